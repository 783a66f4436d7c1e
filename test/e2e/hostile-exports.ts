/**
 * Hostile and half-written exports, generated at a chosen size, for test/e2e/hostile.test.ts: each
 * replays an attack on the readers through the built CLI. `bytes` is the size on disk to aim at (the
 * attacks that do not scale keep theirs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDeflateRaw } from 'node:zlib';
import { FIXTURES } from '../sources/helpers.js';
import { zipOf, type TestZipEntry } from '../sources/helpers.js';

export const HR_HEADER = '\ufeffPersoneelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;BRIN;School;Team\r\n';
const HR_ROW = '10234;Jan;de;Vries;jan.devries@waterlanden.nl;12AB;OBS De Regenboog;Directie\r\n';

/** `unit` repeated to about `bytes`. */
function repeated(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

/** Raw deflate of `bytes` bytes of `fill`, streamed (never held inflated). */
async function deflatedRun(fill: string, bytes: number): Promise<Buffer> {
  const d = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (c: Buffer) => out.push(c));
  const chunk = Buffer.alloc(1 << 20, fill);
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!d.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await new Promise((r) => d.on('end', r));
  return Buffer.concat(out);
}

/** The OneRoster sample (fixtures/oneroster/bulk) as a zip, with some entries replaced. */
function oneRosterZip(replace: Record<string, Partial<TestZipEntry>>): Buffer {
  const dir = path.join(FIXTURES, 'oneroster', 'bulk');
  return zipOf(fs.readdirSync(dir).map((name) => ({ name: `export/${name}`, data: fs.readFileSync(path.join(dir, name)), ...replace[name] })));
}

/**
 * Distinct people of one id and one group each, the smallest rows an HR export holds (about 17 bytes),
 * to about `bytes`: the most people a file of that size can name, so what the collector and the
 * planner keep per person decides the memory (50 MB: three million people). Written in pieces, never
 * held whole.
 */
export function minimalPeople(dir: string, bytes: number): { path: string; people: number } {
  const p = path.join(dir, 'minimal-people.csv');
  const fd = fs.openSync(p, 'w');
  try {
    fs.writeSync(fd, HR_HEADER);
    let size = HR_HEADER.length;
    let people = 0;
    while (size < bytes) {
      const rows: string[] = [];
      for (let i = 0; i < 10000 && size < bytes; i++, people++) {
        const row = `${1000000 + people};;;;;;;3\r\n`;
        rows.push(row);
        size += row.length;
      }
      fs.writeSync(fd, rows.join(''));
    }
    return { path: p, people };
  } finally {
    fs.closeSync(fd);
  }
}

export interface Attack {
  name: string;
  source: 'hr' | 'parnassys' | 'ro';
  /** Writes the export into `dir`, about `bytes` large; returns its path. */
  make(dir: string, bytes: number): Promise<string> | string;
  /**
   * The exit code expected: 3 (INVALID_EXPORT) for a refusal, 4 (SAFETY_STOP) for an export read whole
   * that would delete too much, 0 for one that is fine (run as a dry run: nothing may change).
   */
  exit: 0 | 3 | 4;
}

function file(dir: string, name: string, data: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

const ENROLLMENTS_HEADER = 'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate\n';

export const ATTACKS: Attack[] = [
  {
    name: "one person's row repeated (R2 grouping, was quadratic)",
    source: 'hr',
    exit: 4, // read whole: one person with one relation, so every other hr account would go
    make: (dir, bytes) => file(dir, 'repeated-row.csv', HR_HEADER + repeated(HR_ROW, bytes)),
  },
  {
    name: 'one person in thousands of groups',
    source: 'hr',
    exit: 3,
    make: (dir, bytes) => {
      const n = Math.max(2000, Math.floor(bytes / HR_ROW.length));
      const rows = Array.from({ length: n }, (_, i) => HR_ROW.replace('Directie', `Werkgroep ${i}`));
      return file(dir, 'many-groups.csv', HR_HEADER + rows.join(''));
    },
  },
  {
    name: 'people with 1000 relations each (the limit, accepted; dry run)',
    source: 'hr',
    exit: 0,
    make: (dir, bytes) => {
      const out: string[] = [HR_HEADER];
      let size = 0;
      for (let p = 0; size < bytes; p++) {
        for (let g = 0; g < 1000; g++) {
          const row = `${20000 + p};Jan;de;Vries;jan.devries${p}@waterlanden.nl;12AB;OBS De Regenboog;Werkgroep ${g}\r\n`;
          out.push(row);
          size += row.length;
        }
      }
      return file(dir, 'thousand-relations.csv', out.join(''));
    },
  },
  {
    name: 'one JSON record with 8,000 relations',
    source: 'parnassys',
    exit: 3,
    make: (dir) => {
      const relations = Array.from({ length: 8000 }, (_, i) => ({ organisation: 'OBS De Regenboog', group: `Groep ${i}` }));
      return file(dir, 'relations.json', JSON.stringify([{ leerlingnummer: 'L100234', roepnaam: 'Daan', achternaam: 'Jong', relations }]));
    },
  },
  {
    name: 'a row of millions of empty fields (commas)',
    source: 'hr',
    exit: 3,
    make: (dir, bytes) => file(dir, 'commas.csv', HR_HEADER + ';'.repeat(bytes) + '\r\n'),
  },
  {
    name: 'a row of empty quoted fields',
    source: 'hr',
    exit: 3,
    make: (dir, bytes) => file(dir, 'quoted-empty.csv', HR_HEADER + repeated('"";', bytes) + '""\r\n'),
  },
  {
    name: 'one line without line breaks',
    source: 'hr',
    exit: 3,
    make: (dir, bytes) => file(dir, 'one-line.csv', HR_HEADER + 'x'.repeat(bytes)),
  },
  {
    name: 'a quote that is never closed',
    source: 'hr',
    exit: 3,
    make: (dir, bytes) => file(dir, 'unclosed.csv', HR_HEADER + '10234;"Jan' + repeated('de Vries\r\n', bytes)),
  },
  {
    name: 'only blank lines after the header',
    source: 'hr',
    exit: 3,
    make: (dir, bytes) => file(dir, 'blank.csv', HR_HEADER + '\r\n'.repeat(bytes / 2)),
  },
  {
    name: 'cut inside the last field (still downloading)',
    source: 'hr',
    exit: 3,
    make: (dir) => {
      const text = fs.readFileSync(path.join(FIXTURES, 'demo', 'night-1', 'hr-afas.csv'), 'utf8');
      return file(dir, 'cut.csv', text.slice(0, text.trimEnd().length - 3));
    },
  },
  {
    name: 'NDJSON of empty objects',
    source: 'parnassys',
    exit: 3,
    make: (dir, bytes) => file(dir, 'empty-objects.ndjson', repeated('{}\n', bytes)),
  },
  {
    name: 'JSON nested a hundred thousand deep (in a key not used)',
    source: 'parnassys',
    exit: 4, // valid JSON: read whole, one pupil left, so the others would go
    make: (dir) => file(dir, 'deep.json', `[{"leerlingnummer":"L100234","notitie":${'['.repeat(100000)}${']'.repeat(100000)}}]`),
  },
  {
    name: 'JSON: a key twice in one record',
    source: 'parnassys',
    exit: 3,
    make: (dir) => file(dir, 'holes.json', '[{"leerlingnummer":"L1","roepnaam":"Daan","roepnaam":"Dana","relations":[{"group":"Groep 3"}]}]'),
  },
  {
    name: 'Windows-1252 byte 0x81 in a name',
    source: 'hr',
    exit: 3,
    make: (dir) =>
      file(
        dir,
        'cp1252.csv',
        Buffer.concat([Buffer.from(HR_HEADER.slice(1) + '10234;Jan;de;Vr'), Buffer.from([0x81]), Buffer.from('es;j@w.nl;12AB;OBS;Directie\r\n')]),
      ),
  },
  {
    name: 'zip inflating to commas, 1000x (zip bomb)',
    source: 'ro',
    exit: 3,
    make: async (dir, bytes) =>
      file(dir, 'bomb.zip', oneRosterZip({ 'enrollments.csv': { body: await deflatedRun(',', bytes * 20), crc: 0, size: bytes * 20 } })),
  },
  {
    name: 'zip entry larger than it declares',
    source: 'ro',
    exit: 3,
    make: async (dir, bytes) => file(dir, 'liar.zip', oneRosterZip({ 'enrollments.csv': { body: await deflatedRun(',', bytes * 20), crc: 0, size: 4096 } })),
  },
  {
    name: 'zip of one enrollment repeated (within the ratio)',
    source: 'ro',
    exit: 3,
    make: (dir, bytes) => {
      const rows = Array.from({ length: Math.floor(bytes / 60) }, (_, i) => `enr-${i},,,cls-rb-g3,org-rb,t-1001,teacher,true,,\n`);
      return file(dir, 'enrollments.zip', oneRosterZip({ 'enrollments.csv': { data: Buffer.from(ENROLLMENTS_HEADER + rows.join('')) } }));
    },
  },
  {
    name: 'zip with one corrupted deflate byte',
    source: 'ro',
    exit: 3,
    make: (dir) => {
      const zip = oneRosterZip({});
      zip[zip.indexOf('export/users.csv') + 'export/users.csv'.length + 3]! ^= 0x55;
      return file(dir, 'corrupt.zip', zip);
    },
  },
  {
    name: 'zip cut short',
    source: 'ro',
    exit: 3,
    make: (dir) => {
      const zip = oneRosterZip({});
      return file(dir, 'cut.zip', zip.subarray(0, zip.length - 100));
    },
  },
];
