/**
 * Half-written exports are refused (INVALID_EXPORT, nothing read as if it were whole): a file whose
 * size, modification time or identity changes while it is read, a CSV whose last line has no line
 * break, and the same for every file of an SDS or OneRoster folder and for a zip.
 */
import { describe, expect, it } from '@jest/globals';
import { appendFileSync, cpSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExport, readExport } from '../../src/sources/index.js';
import { offeredOn } from '../../src/engine/offer.js';
import type { ExportRow, SourceFormat } from '../../src/sources/types.js';
import { DUTCH_MAP, fixture, invalid, settings, tempDir } from './helpers.js';

const HR_HEADER = 'Personeelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;School;Team\r\n';
const HR_ROWS =
  '10234;Jan;de;Vries;jan.devries@stichting-primair.nl;OBS De Regenboog;Groep 1\r\n' +
  '10317;Ingrid;van der;Berg;ingrid.vanderberg@stichting-primair.nl;CBS Het Kompas;Groep 1\r\n';
const hr = settings({ name: 'afas', map: DUTCH_MAP, delimiter: ';' });

function write(name: string, text: string): string {
  const p = join(tempDir(), name);
  writeFileSync(p, text);
  return p;
}

describe('a CSV whose last line has no line break', () => {
  it('is refused: cut inside its last field, "Groep 1" would be stored as "Groe"', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS + "10452;Thijs;van 't;Hek;thijs.vanthek@stichting-primair.nl;OBS De Regenboog;Groe");
    const err = await invalid(readExport(p, hr));
    expect(err.message).toBe(`${p}:4: the last line has no line break at its end: the file looks cut off (still being written or downloaded?)`);
    expect(err.hint).toContain('basishub sync run --accept-unterminated afas');
    expect(err.hint).toContain('Nothing was changed');
  });

  it('is read when the run accepts it knowingly (an exporter that writes files so)', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS.trimEnd());
    const read = await readExport(p, hr, { acceptUnterminated: true });
    expect(read.records.record('10317')?.relations).toEqual([{ organisation: 'CBS Het Kompas', group: 'Groep 1', startDate: null, endDate: null }]);
  });

  it('a header alone without a line break is refused too (cut inside the header?)', async () => {
    const p = write('personeel.csv', HR_HEADER.trimEnd());
    const err = await invalid(readExport(p, hr));
    expect(err.message).toContain(`${p}:1: the last line has no line break`);
  });

  it('is one problem of sources check, which reads on', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS.trimEnd());
    const report = await checkExport(p, hr, offeredOn('2026-11-30'));
    expect(report.records).toBe(2);
    expect(report.problems).toEqual([{ file: p, line: 3, message: expect.stringContaining('no line break') }]);
  });

  it('a lone \\r at the end is a line end (old Mac exports)', async () => {
    const p = write('personeel.csv', (HR_HEADER + HR_ROWS).replace(/\r\n/g, '\r'));
    expect((await readExport(p, hr)).records.size).toBe(2);
  });

  it('a file of an SDS folder cut at its end is refused, naming that file', async () => {
    const dir = join(tempDir(), 'sds');
    cpSync(fixture('microsoft-sds/v1-100-users'), dir, { recursive: true });
    const teacher = join(dir, 'Teacher.csv');
    writeFileSync(teacher, readFileSync(teacher, 'utf8').trimEnd());
    const err = await invalid(readExport(dir, settings({ format: 'sds-v1' })));
    expect(err.details?.file).toBe(teacher);
    expect(err.message).toContain('no line break');
  });

  it('a OneRoster users.csv cut at its end is refused', async () => {
    const dir = join(tempDir(), 'oneroster');
    cpSync(fixture('oneroster/bulk'), dir, { recursive: true });
    const users = join(dir, 'users.csv');
    writeFileSync(users, readFileSync(users, 'utf8').trimEnd());
    const err = await invalid(readExport(dir, settings({ format: 'oneroster-1.1' })));
    expect(err.details?.file).toBe(users);
  });
});

/** Reads `path` and, at the first row, does `meddle` (as an exporter still writing would). */
async function readWhile(path: string, format: SourceFormat, meddle: () => void, map = {}) {
  let done = false;
  const onRow = (_row: ExportRow) => {
    if (!done) meddle();
    done = true;
  };
  const s = settings({ format, map });
  const { readerFor } = await import('../../src/sources/index.js');
  return readerFor(format)(path, s, onRow);
}

describe('an export that changes while it is read', () => {
  it('a CSV that grows (still being downloaded)', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS);
    const err = await invalid(
      readWhile(p, 'csv', () => appendFileSync(p, '10533;Eline;;Ó Bríain;eline.obriain@stichting-primair.nl;IKC De Vlinder;Directie\r\n'), DUTCH_MAP),
    );
    expect(err.message).toMatch(/the file changed while it was read \(its size changed from \d+ to \d+ bytes\)/);
    expect(err.hint).toMatch(/still being downloaded or written/);
  });

  it('a CSV rewritten in place with the same size (only the modification time tells)', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS);
    const old = statSync(p).mtime;
    const err = await invalid(
      readWhile(
        p,
        'csv',
        () => {
          writeFileSync(p, (HR_HEADER + HR_ROWS).replace('Groep 1', 'Groep 2'));
          utimesSync(p, old, new Date(old.getTime() + 5000));
        },
        DUTCH_MAP,
      ),
    );
    expect(err.message).toContain('its modification time changed');
  });

  it('a CSV replaced by another file (a rename over it)', async () => {
    const dir = tempDir();
    const p = join(dir, 'personeel.csv');
    writeFileSync(p, HR_HEADER + HR_ROWS);
    const err = await invalid(
      readWhile(
        p,
        'csv',
        () => {
          writeFileSync(join(dir, 'new.csv'), HR_HEADER + HR_ROWS);
          renameSync(join(dir, 'new.csv'), p);
        },
        DUTCH_MAP,
      ),
    );
    expect(err.message).toContain('it was replaced by another file');
  });

  it('a CSV removed while it is read (moved away by the exporter)', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS);
    const err = await invalid(readWhile(p, 'csv', () => unlinkSync(p), DUTCH_MAP));
    expect(err.message).toContain('the file changed while it was read (it was removed or can no longer be read)');
  });

  it('a JSON export that grows', async () => {
    const dir = tempDir();
    const p = join(dir, 'leerlingen.ndjson');
    writeFileSync(p, '{"externalId":"L1001","givenName":"Daan","familyName":"Visser","group":"Groep 3"}\n');
    const err = await invalid(
      readWhile(p, 'json', () => appendFileSync(p, '{"externalId":"L1002","givenName":"Sanne","familyName":"Mulder","group":"Groep 3"}\n')),
    );
    expect(err.message).toContain('the file changed while it was read');
  });

  it('a file of an SDS folder that changes while another file is read', async () => {
    const dir = join(tempDir(), 'sds');
    cpSync(fixture('microsoft-sds/v1-100-users'), dir, { recursive: true });
    const err = await invalid(readWhile(dir, 'sds-v1', () => appendFileSync(join(dir, 'School.csv'), '99,Nieuwe school\n')));
    expect(err.details?.file).toBe(join(dir, 'School.csv'));
    expect(err.message).toContain('the file changed while it was read');
  });

  it('a file that appears in an SDS folder while it is read', async () => {
    const dir = join(tempDir(), 'sds');
    cpSync(fixture('microsoft-sds/v1-100-users'), dir, { recursive: true });
    const err = await invalid(readWhile(dir, 'sds-v1', () => writeFileSync(join(dir, 'Guardian.csv'), 'SIS ID\n')));
    expect(err.message).toContain('appeared in the folder while the export was read');
  });

  it('a OneRoster zip that changes between its directory and its entries', async () => {
    const p = join(tempDir(), 'oneroster.zip');
    cpSync(fixture('oneroster/bulk.zip'), p);
    const err = await invalid(readWhile(p, 'oneroster-1.1', () => appendFileSync(p, Buffer.from('more bytes of a download'))));
    // The entry being read when it changed (the archive's own check would name the archive).
    expect(String(err.details?.file)).toMatch(new RegExp(`^${p.replace(/[.]/g, '\\.')}(/\\w+\\.csv)?$`));
    expect(err.message).toContain('the file changed while it was read');
  });

  it('an unchanged export reads the same, twice', async () => {
    const p = write('personeel.csv', HR_HEADER + HR_ROWS);
    const a = await readExport(p, hr);
    const b = await readExport(p, hr);
    expect(a.info.checksum).toBe(b.info.checksum);
    expect(b.records.size).toBe(2);
  });
});
