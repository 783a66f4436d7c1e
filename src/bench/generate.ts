/**
 * Synthetic HR exports for the benchmark: an AFAS-like semicolon CSV with a UTF-8 BOM, CRLF
 * line ends and Dutch headers, N people at thousands of schools, ~3% of them at two schools (two rows,
 * same person); and its churn variant, the next night's export: 1% of the people gone, 1% renamed
 * (family name changed), 1% new. Deterministic: the same seed and N give the same bytes.
 *
 * Beside them, the same people as a narrow export (NARROW_HEADER: 8 columns under the canonical field
 * names, comma-separated, no BOM, LF line ends), where csv-parse has less to do and so the floors are
 * lower and the ratios harder.
 *
 * All four files are written in one pass, row by row, so a million people never sit in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FAMILY_NAMES, GIVEN_NAMES, SCHOOL_NAMES, SCHOOL_TYPES, TEAMS } from './names.js';

/** Bump when the output for a given seed and N changes, so that cached exports are made again. */
export const GENERATOR_VERSION = 2;
export const DEFAULT_SEED = 20261129;
export const SCHOOL_COUNT = 6000;
export const SECOND_ROW_SHARE = 0.03;
export const CHURN_SHARE = 0.01;
export const EMAIL_DOMAIN = 'waterlanden.nl';

export const HR_HEADER = ['Personeelsnummer', 'Voornaam', 'Tussenvoegsel', 'Achternaam', 'E-mailadres', 'School', 'Team'] as const;
/** The `--map` entries for HR_HEADER, as `sources add hr --map …` takes them. */
export const HR_MAP = [
  'externalId=Personeelsnummer',
  'givenName=Voornaam',
  'prefix=Tussenvoegsel',
  'familyName=Achternaam',
  'email=E-mailadres',
  'organisation=School',
  'group=Team',
];

/** The narrow export's header: the canonical field names, so that it needs no `--map`. */
export const NARROW_HEADER = ['externalId', 'givenName', 'prefix', 'familyName', 'email', 'role', 'organisation', 'group'] as const;

const BOM = '\uFEFF';
const EOL = '\r\n';

/** mulberry32: a small, fast, seeded PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

export interface School {
  /** BRIN-like code: two digits and two letters (04AB), unique. */
  brin: string;
  name: string;
}

/** `count` schools named like "OBS De Regenboog 0412", each with a unique BRIN-like code. */
export function makeSchools(count: number, rng: () => number): School[] {
  const schools: School[] = [];
  const brins = new Set<string>();
  const letters = 'ABCDEFGHJKLMNPRSTVWXYZ';
  for (let i = 0; i < count; i++) {
    let brin: string;
    do {
      brin = String(Math.floor(rng() * 100)).padStart(2, '0') + pick(rng, [...letters]) + pick(rng, [...letters]);
    } while (brins.has(brin));
    brins.add(brin);
    schools.push({ brin, name: `${pick(rng, SCHOOL_TYPES)} ${pick(rng, SCHOOL_NAMES)} ${String(i + 1).padStart(4, '0')}` });
  }
  return schools;
}

/** Exactly `k` distinct indices below `n` not yet flagged, flagged with `flag` in `flags`. */
function flagSample(flags: Uint8Array, k: number, flag: number, rng: () => number): void {
  let free = 0;
  for (const f of flags) if (f === 0) free++;
  let placed = 0;
  while (placed < Math.min(k, free)) {
    const i = Math.floor(rng() * flags.length);
    if (flags[i] !== 0) continue;
    flags[i] = flag;
    placed++;
  }
}

const ASCII_FOLD = /[\u0300-\u036f]/g;

/** The local part of an email address from a name: lower case, no diacritics, spaces or quotes. */
export function emailLocal(given: string, prefix: string, family: string): string {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(ASCII_FOLD, '')
      .replace(/ı/g, 'i')
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '');
  return `${fold(given)}.${fold(prefix)}${fold(family)}`;
}

class FileWriter {
  private buf = '';
  private readonly fd: number;
  bytes = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(s: string): void {
    this.buf += s;
    if (this.buf.length > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    this.bytes += fs.writeSync(this.fd, this.buf);
    this.buf = '';
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** One export written twice as it is generated: the bench's usual (wide) form and the narrow one. */
class ExportPair {
  readonly wide: FileWriter;
  readonly narrow: FileWriter;

  constructor(
    widePath: string,
    narrowPath: string,
    private readonly wideRows: (p: Person, prefix: string, family: string) => string,
    private readonly narrowRows: (p: Person, prefix: string, family: string) => string,
  ) {
    this.wide = new FileWriter(widePath);
    this.narrow = new FileWriter(narrowPath);
    this.wide.write(BOM + HR_HEADER.join(';') + EOL);
    this.narrow.write(NARROW_HEADER.join(',') + '\n');
  }

  /** The rows of one person, under this family name and tussenvoegsel (the churn renames some). */
  write(p: Person, prefix: string, family: string): void {
    this.wide.write(this.wideRows(p, prefix, family));
    this.narrow.write(this.narrowRows(p, prefix, family));
  }

  close(): void {
    this.wide.close();
    this.narrow.close();
  }
}

export interface GenerateOptions {
  dir: string;
  /** People in the base export. */
  n: number;
  seed?: number;
  /** Called now and then with the number of people written. */
  onProgress?: (people: number) => void;
}

export interface ExportStats {
  people: number;
  rows: number;
  /** People with two rows (at two schools). */
  twoRowPeople: number;
  bytes: number;
}

export interface GeneratedExports {
  version: number;
  seed: number;
  n: number;
  schools: number;
  base: string;
  churn: string;
  /** The same people as `base` and `churn`, as narrow exports (NARROW_HEADER). */
  narrow: string;
  narrowChurn: string;
  baseStats: ExportStats;
  churnStats: ExportStats & { gone: number; renamed: number; added: number };
}

interface Person {
  pnr: number;
  given: string;
  prefix: string;
  family: string;
  email: string;
  /** One or two [school, team]. */
  places: [string, string][];
}

export function exportPaths(dir: string, n: number): { base: string; churn: string; narrow: string; narrowChurn: string; manifest: string } {
  return {
    base: path.join(dir, `hr-${n}.csv`),
    churn: path.join(dir, `hr-${n}-churn.csv`),
    narrow: path.join(dir, `hr-${n}-narrow.csv`),
    narrowChurn: path.join(dir, `hr-${n}-narrow-churn.csv`),
    manifest: path.join(dir, `hr-${n}.json`),
  };
}

const TWO = 1;
const GONE = 1;
const RENAMED = 2;
/** The flags of who has a second row (`twoRow`), and of who leaves or is renamed (`flags`): exact counts, disjoint. */
function churnFlags(n: number, chooser: () => number): { twoRow: Uint8Array; flags: Uint8Array; churnCount: number } {
  const flags = new Uint8Array(n);
  flagSample(flags, Math.floor(n * SECOND_ROW_SHARE), TWO, chooser);
  const twoRow = flags.slice();
  flags.fill(0);
  const churnCount = Math.round(n * CHURN_SHARE);
  flagSample(flags, churnCount, GONE, chooser);
  flagSample(flags, churnCount, RENAMED, chooser);
  return { twoRow, flags, churnCount };
}

/** A maker of people, each with a higher personnel number than the last and an email of their own. */
function personMaker(people: () => number, schools: readonly { name: string }[]): (second: boolean) => Person {
  const emailsTaken = new Map<string, number>();
  let pnr = 100000;
  return (second) => {
    pnr += 1 + Math.floor(people() * 3);
    const given = pick(people, GIVEN_NAMES);
    const [prefix, family] = pick(people, FAMILY_NAMES);
    const local = emailLocal(given, prefix, family);
    const seen = (emailsTaken.get(local) ?? 0) + 1;
    emailsTaken.set(local, seen);
    const email = `${seen === 1 ? local : local + seen}@${EMAIL_DOMAIN}`;
    const first = Math.floor(people() * schools.length);
    const places: [string, string][] = [[schools[first].name, pick(people, TEAMS)]];
    if (second) {
      let other = Math.floor(people() * (schools.length - 1));
      if (other >= first) other++;
      places.push([schools[other].name, pick(people, TEAMS)]);
    }
    return { pnr, given, prefix, family, email, places };
  };
}

function wideRows(p: Person, prefix: string, family: string): string {
  let s = '';
  for (const [school, team] of p.places) s += `${p.pnr};${p.given};${prefix};${family};${p.email};${school};${team}${EOL}`;
  return s;
}

function narrowRows(p: Person, prefix: string, family: string): string {
  let s = '';
  for (const [school, team] of p.places) s += `${p.pnr},${p.given},${prefix},${family},${p.email},staff,${school},${team}\n`;
  return s;
}

function countPerson(s: ExportStats, p: Person): void {
  s.people++;
  s.rows += p.places.length;
  if (p.places.length > 1) s.twoRowPeople++;
}

/** Writes the base export and its churn variant into `dir`; returns where and what. */
export function generateExports(opts: GenerateOptions): GeneratedExports {
  const { dir, n } = opts;
  const seed = opts.seed ?? DEFAULT_SEED;
  fs.mkdirSync(dir, { recursive: true });
  const files = exportPaths(dir, n);

  const schools = makeSchools(SCHOOL_COUNT, prng(seed ^ 0x5c4001));
  const chooser = prng(seed ^ 0xc4a7e);
  const { twoRow, flags, churnCount } = churnFlags(n, chooser);
  const makePerson = personMaker(prng(seed), schools);
  const base = new ExportPair(files.base, files.narrow, wideRows, narrowRows);
  const churn = new ExportPair(files.churn, files.narrowChurn, wideRows, narrowRows);
  const baseStats: ExportStats = { people: 0, rows: 0, twoRowPeople: 0, bytes: 0 };
  const churnStats = { people: 0, rows: 0, twoRowPeople: 0, bytes: 0, gone: 0, renamed: 0, added: 0 };

  for (let i = 0; i < n; i++) {
    const p = makePerson(twoRow[i] === TWO);
    base.write(p, p.prefix, p.family);
    countPerson(baseStats, p);
    if (flags[i] === GONE) {
      churnStats.gone++;
      continue;
    }
    if (flags[i] === RENAMED) {
      // Married or divorced: another family name (and its tussenvoegsel); the email stays.
      let next = pick(chooser, FAMILY_NAMES);
      while (next[1] === p.family && next[0] === p.prefix) next = pick(chooser, FAMILY_NAMES);
      churn.write(p, next[0], next[1]);
      churnStats.renamed++;
    } else {
      churn.write(p, p.prefix, p.family);
    }
    countPerson(churnStats, p);
    if ((i + 1) % 100000 === 0) opts.onProgress?.(i + 1);
  }
  // New people: hired after the last export, so their numbers come after everyone else's.
  for (let i = 0; i < churnCount; i++) {
    const p = makePerson(chooser() < SECOND_ROW_SHARE);
    churn.write(p, p.prefix, p.family);
    countPerson(churnStats, p);
    churnStats.added++;
  }
  base.close();
  churn.close();
  baseStats.bytes = base.wide.bytes;
  churnStats.bytes = churn.wide.bytes;
  if (n % 100000 !== 0) opts.onProgress?.(n);

  const result: GeneratedExports = {
    version: GENERATOR_VERSION,
    seed,
    n,
    schools: schools.length,
    base: files.base,
    churn: files.churn,
    narrow: files.narrow,
    narrowChurn: files.narrowChurn,
    baseStats,
    churnStats,
  };
  fs.writeFileSync(files.manifest, JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** The exports of an earlier run when they are still there and made by this generator; else undefined. */
export function cachedExports(dir: string, n: number, seed = DEFAULT_SEED): GeneratedExports | undefined {
  const files = exportPaths(dir, n);
  try {
    const m = JSON.parse(fs.readFileSync(files.manifest, 'utf8')) as GeneratedExports;
    if (m.version !== GENERATOR_VERSION || m.seed !== seed || m.n !== n) return undefined;
    if (fs.statSync(m.base).size !== m.baseStats.bytes || fs.statSync(m.churn).size !== m.churnStats.bytes) return undefined;
    if (!fs.existsSync(m.narrow) || !fs.existsSync(m.narrowChurn)) return undefined;
    return m;
  } catch {
    return undefined;
  }
}
