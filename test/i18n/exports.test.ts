/**
 * A bad export in Dutch and in English: the readers' problems (INVALID_EXPORT) and the findings of
 * `sources check` read in the run's language, with the same exit code, while what scripts read —
 * `--json` on stdout and stderr, the error code, the English message — is byte for byte the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Hub, nightSources, ROOT } from '../helpers/hub.js';
import { englishLeft } from './giveaways.js';

const BAD = path.join(ROOT, 'fixtures', 'bad');
const DUTCH = { LANG: 'nl_NL.UTF-8' };

// file, format, --map options, a phrase of the Dutch message
const CASES: [string, string, string[], string][] = [
  ['empty.csv', 'csv', [], 'het bestand is leeg: geen kopregel'],
  ['missing-externalid.csv', 'csv', [], 'geen kolom voor externalId; de kolommen zijn:'],
  ['missing-mapped-column.csv', 'csv', ['--map', 'email=E-mailadres'], 'geen kolom "E-mailadres" (gekoppeld aan email)'],
  ['duplicate-header.csv', 'csv', [], 'dubbele kolom:'],
  ['conflicting-rows.csv', 'csv', [], 'komt opnieuw voor, met andere persoonsgegevens dan op regel 2'],
  ['broken-quoting.csv', 'csv', [], 'kapotte aanhalingstekens'],
  ['broken-quoting-closing.csv', 'csv', [], 'na een sluitend aanhalingsteken staat iets anders'],
  ['wrong-field-count.csv', 'csv', [], 'de regel heeft 4 velden, de kopregel 3'],
  ['invalid-date.csv', 'csv', [], 'is geen geldige datum (verwacht: JJJJ-MM-DD, dd-mm-jjjj of jjjjMMdd)'],
  ['invalid-utf8.csv', 'csv', [], 'kapotte UTF-8'],
  ['bom-in-middle.csv', 'csv', [], 'zijn er twee exports aan elkaar geplakt?'],
  ['truncated.json', 'json', [], 'afgebroken JSON'],
  ['bare-string.json', 'json', [], 'het bestand begint met een tekst'],
  ['wrapped-object.json', 'json', [], 'een export moet zelf die lijst zijn'],
  ['array-of-strings.json', 'json', [], 'een element van de lijst is geen object (een persoon)'],
  ['invalid-json-object.ndjson', 'json', [], "ongeldige JSON: onverwacht teken 'S'"],
];

function hubWithNightOne(): Hub {
  const hub = new Hub();
  hub.setupDemoSources();
  hub.night(1);
  return hub;
}

// The four runs of a case (Dutch and English, human and --json) on one export of each kind of
// reader problem; the others run the two that differ: the Dutch terminal and the English --json.
const ALL_FOUR = new Set(['empty.csv', 'missing-mapped-column.csv', 'bom-in-middle.csv', 'truncated.json']);

describe('a bad export in Dutch (INVALID_EXPORT)', () => {
  const hub = hubWithNightOne();

  it.each(CASES)('%s: the problem in Dutch, the same exit code and --json bytes as in English', (file, format, map, phrase) => {
    const name = `bad-${file.replace(/\W/g, '-')}`;
    // Registered on a file that is not there yet, then given the bad export for one run, as a night's export arrives.
    hub.ok(['sources', 'add', name, '--file', path.join(hub.dir, 'later', file), '--format', format, ...map]);
    try {
      const args = ['sync', 'run', ...nightSources(1), '--source', `${name}=${path.join(BAD, file)}`];
      const nl = hub.run(args, { env: DUTCH });
      expect(nl.code).toBe(3);
      expect(nl.stderr).toContain(`Fout [INVALID_EXPORT] ${path.join(BAD, file)}`);
      expect(nl.stderr).toContain(phrase);
      expect(nl.stderr).toMatch(/→ .*Er is niets gewijzigd\./);
      expect(englishLeft(nl.stderr)).toEqual([]);

      const enJson = hub.run(['--json', '--lang', 'en', ...args], { env: DUTCH });
      expect(enJson.code).toBe(3);
      expect(enJson.stdout).toBe('');
      expect(enJson.error.code).toBe('INVALID_EXPORT');
      expect(enJson.error.message).toContain(path.join(BAD, file));
      expect(enJson.error.message).not.toContain(phrase);
      expect(enJson.error.hint).toMatch(/Nothing was changed/);
      if (!ALL_FOUR.has(file)) return;

      const en = hub.run(['--lang', 'en', ...args], { env: DUTCH });
      const nlJson = hub.run(['--json', ...args], { env: DUTCH });
      expect([en.code, nlJson.code]).toEqual([3, 3]);
      expect(en.stderr).toContain(`Error [INVALID_EXPORT] ${path.join(BAD, file)}`);
      expect(en.stderr).not.toContain(phrase);
      expect(nlJson.stdout).toBe(enJson.stdout);
      expect(nlJson.stderr).toBe(enJson.stderr);
      expect(nlJson.stderr).toBe(enJson.stderr);
      // The English message that scripts read is what the English terminal shows.
      expect(en.stderr).toContain(enJson.error.message);
    } finally {
      hub.ok(['sources', 'remove', name]);
    }
  });
});

describe('sources check in Dutch', () => {
  it('says every finding in Dutch, exits 3 as in English, and prints the same --json', () => {
    const hub = new Hub();
    hub.ok(['init']);
    const file = path.join(hub.dir, 'afas-medewerkers.csv');
    // Semicolon CSV with BOM (delimiter and encoding detected), a column no field uses, a date that
    // does not exist, a row with a field too many, and a row without a relation.
    fs.writeFileSync(
      file,
      '\uFEFFPersoneelsnummer;Voornaam;Tussenvoegsel;Achternaam;School;Team;startDate;Functie\r\n' +
        '10234;Jan;de;Vries;OBS De Regenboog;Directie;01-08-2020;directeur\r\n' +
        '10241;Zoë;van;Dijk;OBS De Regenboog;Groep 1/2;31-02-2026;leerkracht\r\n' +
        '10257;Anouk;de;Graaf;OBS De Regenboog;Groep 3;;leerkracht;extra\r\n' +
        '10263;Petra;;Smit;;;;invaller\r\n',
    );
    hub.ok([
      'sources',
      'add',
      'hr',
      '--file',
      file,
      '--map',
      'externalId=Personeelsnummer',
      '--map',
      'givenName=Voornaam',
      '--map',
      'prefix=Tussenvoegsel',
      '--map',
      'familyName=Achternaam',
      '--map',
      'organisation=School',
      '--map',
      'group=Team',
    ]);

    const nl = hub.run(['sources', 'check', 'hr'], { env: DUTCH });
    const en = hub.run(['sources', 'check', 'hr', '--lang', 'en'], { env: DUTCH });
    expect([nl.code, en.code]).toEqual([3, 3]);
    expect(nl.stdout).toContain('scheidingsteken: puntkomma (herkend); tekencodering: utf-8 met BOM (herkend)');
    expect(nl.stdout).toContain('kolommen die niet gebruikt worden: Functie');
    expect(nl.stdout).toContain(`${file}:3: startDate "31-02-2026" is geen geldige datum`);
    expect(nl.stdout).toContain(`${file}:4: de regel heeft 9 velden, de kopregel 8`);
    // Piped, the table of organisations is tab-separated with the English headers scripts read.
    const forPeople = nl.stdout.split('\n').filter((l) => !l.includes('\t'));
    expect(englishLeft(forPeople.join('\n') + nl.stderr)).toEqual([]);
    expect(en.stdout).toContain('delimiter: semicolon (detected); encoding: utf-8 with BOM (detected)');
    expect(en.stdout).toContain(`${file}:3: startDate "31-02-2026" is not a valid date`);

    const nlJson = hub.run(['sources', 'check', 'hr', '--json'], { env: DUTCH });
    const enJson = hub.run(['sources', 'check', 'hr', '--json', '--lang', 'en']);
    expect(nlJson.code).toBe(3);
    expect(nlJson.stdout).toBe(enJson.stdout);
    // The report on stdout, and the exit's error on stderr, as every error is (exit 3: INVALID_EXPORT).
    expect(JSON.parse(enJson.stderr.trim().split('\n').pop()!).error).toMatchObject({
      code: 'INVALID_EXPORT',
      message: '2 problems in the export of hr (listed above): a sync would refuse it and change nothing.',
      sources: [{ source: 'hr', path: file, problems: 2 }],
    });
    expect(nl.stderr).toContain('2 problemen in de export van hr (hierboven)');
    expect(en.stderr).toContain('Error [INVALID_EXPORT] 2 problems in the export of hr');
    const report = enJson.json;
    expect(report.warnings).toEqual(['delimiter detected: semicolon', 'columns not used: Functie', 'encoding detected: utf-8 (with BOM)']);
    expect(report.problems).toEqual([
      { file, line: 3, message: 'startDate "31-02-2026" is not a valid date (expected YYYY-MM-DD, dd-mm-yyyy or yyyyMMdd)' },
      { file, line: 4, message: 'the row has 9 fields where the header has 8' },
    ]);
  });
});
