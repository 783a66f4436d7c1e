/**
 * The world and the reference model of the many-nights model test (test/app/nights-model.test.ts).
 *
 * - The *world* is the foundation as its three sources see it: staff in the HR export (semicolon CSV
 *   with BOM, matched by email) and, some of them, in Basispoort (CSV, matched by email); pupils in the
 *   pupil administration (JSON, match none). Each person's record in a source is on (with a relation),
 *   without a relation (R2: not offered), or gone; events change it night by night.
 * - The *model* is written from docs/rules.md alone, never from the engine: which accounts exist,
 *   which are active, listed, owned by a source or the hub, which links they hold and what their
 *   attributes are. `syncModel` is R1-R5, R7 (lapse), R11, R12 and R14 for one night.
 */
import fs from 'node:fs';
import path from 'node:path';

export type SourceName = 'hr' | 'parnassys' | 'basispoort';
/** In priority order (hr 30, the pupil administration 20, Basispoort 10: R11). */
export const SOURCES: readonly SourceName[] = ['hr', 'parnassys', 'basispoort'];
const MATCHES_BY_EMAIL: Record<SourceName, boolean> = { hr: true, parnassys: false, basispoort: true };

/**
 * Cases the model knows the hub gets wrong until a fix lands elsewhere: while a case is listed here, the
 * check it breaks lets it pass (tallied as `known: <case>`, so the run stays comparable); remove it from
 * the list to test it. See the test file's header for each case. None now: a new one is a string type here.
 */
export type KnownCase = never;
const KNOWN_CASES: readonly KnownCase[] = [];
export const SKIPPED_UNTIL_FIXED: readonly KnownCase[] = (process.env.MODEL_KNOWN ?? KNOWN_CASES.join(','))
  .split(',')
  .filter((c): c is KnownCase => (KNOWN_CASES as readonly string[]).includes(c));

// ---- the world ----------------------------------------------------------------------------------

export interface SourceRecordState {
  ext: string;
  state: 'on' | 'norel' | 'off';
}

export interface Person {
  pid: number;
  pupil: boolean;
  given: string;
  prefix: string;
  family: string;
  /** Staff only: the pupil administration's export carries no address (as the demo's). */
  email: string;
  school: string;
  group: string;
  recs: Partial<Record<SourceName, SourceRecordState>>;
}

const GIVEN = ['Jan', 'Zoë', 'Fatima', 'Daan', 'Noor', 'Sanne', 'Bas', 'Mariëlle', 'Emre', 'Anouk', 'Petra', 'Hans', 'Lotte', 'Milan', 'Saïd', 'Inge'];
const PREFIX = ['', '', 'de', 'van', 'van der', 'van den', "'t", 'el', 'ter', 'in het'];
const FAMILY = ['Vries', 'Dijk', 'Jong', 'Linden', 'Broek', 'Hart', 'Amrani', 'Öztürk', 'Smit', 'Bakker', 'Jansen', 'Graaf', 'Visser', 'Meijer', 'Berg'];
const SCHOOLS = ['OBS De Regenboog', 'CBS De Wegwijzer', 'RKBS Sint Jozef'];
const GROUPS = ['Groep 1/2', 'Groep 3', 'Groep 4', 'Groep 5/6', 'Groep 7', 'Groep 8', 'Invalpool', 'Directie'];

/** A small deterministic generator (mulberry32), so that one number makes one foundation. */
export class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

export class World {
  people: Person[] = [];
  private used = new Set<string>();
  private counter = 0;

  newExt(source: SourceName): string {
    const n = ++this.counter;
    if (source === 'hr') return String(10200 + n);
    if (source === 'parnassys') return `L${100200 + n}`;
    return `https://ketenid.nl/201703/${n.toString(16).padStart(40, '0')}`;
  }

  /** A unique address for these names (a second Jan de Vries gets jan.devries2@...). */
  newEmail(given: string, prefix: string, family: string): string {
    const base = `${ascii(given)}.${ascii(prefix + family)}`;
    for (let i = 1; ; i++) {
      const email = `${base}${i === 1 ? '' : i}@waterlanden.nl`;
      if (!this.used.has(email)) {
        this.used.add(email);
        return email;
      }
    }
  }

  addPerson(rng: Rng, pupil: boolean, withBasispoort: boolean): Person {
    const given = rng.pick(GIVEN);
    const prefix = rng.pick(PREFIX);
    const family = rng.pick(FAMILY);
    const p: Person = {
      pid: this.people.length,
      pupil,
      given,
      prefix,
      family,
      email: pupil ? '' : this.newEmail(given, prefix, family),
      school: rng.pick(SCHOOLS),
      group: rng.pick(GROUPS),
      recs: {},
    };
    if (pupil) p.recs.parnassys = { ext: this.newExt('parnassys'), state: 'on' };
    else {
      p.recs.hr = { ext: this.newExt('hr'), state: 'on' };
      if (withBasispoort) p.recs.basispoort = { ext: this.newExt('basispoort'), state: 'on' };
    }
    this.people.push(p);
    return p;
  }

  static foundation(seed: number, size: number): World {
    const rng = new Rng(seed);
    const w = new World();
    for (let i = 0; i < size; i++) {
      const pupil = rng.next() < 0.5;
      w.addPerson(rng, pupil, !pupil && rng.next() < 0.5);
    }
    return w;
  }

  /** The records a source's export holds now (people whose record is not gone). */
  records(source: SourceName): { p: Person; rec: SourceRecordState }[] {
    return this.people.flatMap((p) => (p.recs[source] && p.recs[source]!.state !== 'off' ? [{ p, rec: p.recs[source]! }] : []));
  }

  /** Writes the three exports into `dir` in the formats the demo's sources read; returns the overrides. */
  write(dir: string, night: number): Record<SourceName, string> {
    const file = (name: string) => path.join(dir, `night-${night}-${name}`);
    const files = { hr: file('hr-afas.csv'), parnassys: file('leerlingen.json'), basispoort: file('basispoort.csv') };
    const hr = this.records('hr').map(({ p, rec }) => {
      const rel = rec.state === 'on' ? ['12AB', p.school, p.group] : ['', '', ''];
      return [rec.ext, p.given, p.prefix, p.family, p.email, ...rel].join(';');
    });
    fs.writeFileSync(
      files.hr,
      '\ufeffPersoneelsnummer;Voornaam;Tussenvoegsel;Achternaam;E-mailadres;BRIN;School;Team\r\n' + hr.map((l) => l + '\r\n').join(''),
    );
    const pupils = this.records('parnassys').map(({ p, rec }) => ({
      leerlingnummer: rec.ext,
      roepnaam: p.given,
      tussenvoegsel: p.prefix,
      achternaam: p.family,
      relations: rec.state === 'on' ? [{ organisation: p.school, group: p.group }] : [],
    }));
    fs.writeFileSync(files.parnassys, JSON.stringify(pupils, null, 2) + '\n');
    const bp = this.records('basispoort').map(({ p, rec }) =>
      [rec.ext, p.given, p.prefix, p.family, p.email, 'medewerker', ...(rec.state === 'on' ? [p.school, p.group] : ['', ''])].join(','),
    );
    fs.writeFileSync(files.basispoort, 'eckid,voornaam,tussenvoegsel,achternaam,email,rol,school,groep\n' + bp.map((l) => l + '\n').join(''));
    return files;
  }
}

// ---- the reference model ---------------------------------------------------------------------

export interface Attrs {
  given: string;
  prefix: string;
  family: string;
  email: string;
}

export interface ModelAccount {
  mid: number;
  /** The hub's id, once the account has been seen in the hub. */
  hubId?: number;
  status: 'active' | 'deleted';
  /** When it was deleted, where it is (an ISO time, as the hub's deletedAt): who comes back first (R14). */
  deletedAt?: string;
  owner: 'source' | 'hub';
  listed: { until: string | null } | null;
  /** `source\u0000externalId` -> active (offered by that record now). */
  links: Map<string, boolean>;
  attrs: Attrs;
}

export interface ModelCounts {
  created: number;
  deleted: number;
  revived: number;
  protected: number;
  conflicts: number;
  lapsed: number;
  /** R5: listed, hub-owned accounts that a source offers again. */
  returned: number;
  /** R14, R12: new accounts not made because a revived account comes back with their address, or an account takes it. */
  yielded: number;
  /** R12 with R11: of those, the ones whose address an existing account takes this night. */
  yieldedToTaker: number;
  /** R12 with R11: accounts that keep their own address, since another account holds the new one. */
  keptAddress: number;
}

export const linkKey = (source: string, ext: string) => `${source}\u0000${ext}`;
export const sourceOf = (key: string) => key.slice(0, key.indexOf('\u0000')) as SourceName;

export class Model {
  accounts: ModelAccount[] = [];

  clone(): Model {
    const m = new Model();
    m.accounts = this.accounts.map((a) => ({ ...a, listed: a.listed && { ...a.listed }, links: new Map(a.links), attrs: { ...a.attrs } }));
    return m;
  }

  byLink(source: string, ext: string): ModelAccount | undefined {
    const k = linkKey(source, ext);
    return this.accounts.find((a) => a.links.has(k));
  }

  byHubId(id: number): ModelAccount | undefined {
    return this.accounts.find((a) => a.hubId === id);
  }

  /** The accounts a record of `source` with this address matches by key (R12): not deleted, no offered link of that source. */
  candidates(source: SourceName, email: string): ModelAccount[] {
    if (!MATCHES_BY_EMAIL[source] || email === '') return [];
    return this.accounts.filter((a) => a.status === 'active' && a.attrs.email === email && ![...a.links].some(([k, on]) => on && sourceOf(k) === source));
  }

  /**
   * The accounts with this address that another record of `source` holds (R12: an active account with an
   * offered link of that source, or one a record of it was matched to, or started, earlier this night).
   */
  heldBy(source: SourceName, email: string): ModelAccount[] {
    if (!MATCHES_BY_EMAIL[source] || email === '') return [];
    return this.accounts.filter((a) => a.status === 'active' && a.attrs.email === email && [...a.links].some(([k, on]) => on && sourceOf(k) === source));
  }

  /** The active accounts with a source link: the base of the default deletion limit. */
  activeLinked(): number {
    return this.accounts.filter((a) => a.status === 'active' && a.links.size > 0).length;
  }
}

const attrsOf = (p: Person): Attrs => ({ given: p.given, prefix: p.prefix, family: p.family, email: p.email });

/**
 * One night's sync by the rules, on a copy of the model: returns the model after it and its counts.
 * Step 1 reads the links (R12 first by link, even an inactive one); step 2 matches the records without
 * one by key among the accounts not deleted at the start of the run and not linked to that source (or
 * makes a new account); step 3 decides per account (R14 revive, R5 return, R4 protect, R1/R3 delete),
 * the revives last: one active account per address (R14 with R12, `reviveOnce`).
 */
export function syncModel(before: Model, world: World, today: string): { after: Model; counts: ModelCounts } {
  const m = before.clone();
  const counts: ModelCounts = {
    created: 0,
    deleted: 0,
    revived: 0,
    protected: 0,
    conflicts: 0,
    lapsed: 0,
    returned: 0,
    yielded: 0,
    yieldedToTaker: 0,
    keptAddress: 0,
  };
  const made = new Set<ModelAccount>();
  for (const a of m.accounts) {
    if (a.listed?.until != null && a.listed.until < today) {
      a.listed = null; // R7: the end date passed
      counts.lapsed++;
    }
  }
  const offeredBy = new Map<ModelAccount, { source: SourceName; p: Person }[]>();
  const offer = (a: ModelAccount, source: SourceName, p: Person) => offeredBy.set(a, [...(offeredBy.get(a) ?? []), { source, p }]);
  for (const source of SOURCES) {
    const inExport = new Map(world.records(source).map((r) => [linkKey(source, r.rec.ext), r]));
    for (const a of m.accounts) {
      for (const k of a.links.keys()) {
        if (sourceOf(k) !== source) continue;
        const r = inExport.get(k);
        a.links.set(k, r?.rec.state === 'on');
        if (r?.rec.state === 'on') offer(a, source, r.p);
      }
    }
    for (const { p, rec } of world.records(source)) {
      if (rec.state !== 'on' || m.byLink(source, rec.ext) !== undefined) continue;
      const found = m.candidates(source, p.email);
      // R12: a key that fits several accounts, or one that another record of this source holds, is a conflict.
      if (found.length > 1 || m.heldBy(source, p.email).length > 0) {
        counts.conflicts++;
        continue;
      }
      let a = found[0];
      if (a === undefined) {
        a = { mid: m.accounts.length, status: 'active', owner: 'source', listed: null, links: new Map(), attrs: attrsOf(p) };
        m.accounts.push(a);
        made.add(a);
        counts.created++;
      }
      a.links.set(linkKey(source, rec.ext), true);
      offer(a, source, p);
    }
  }
  const now = `${today}T02:00:00.000Z`;
  const reviving = m.accounts.filter((a) => a.status === 'deleted' && offeredBy.has(a));
  for (const a of m.accounts) if (!reviving.includes(a)) decide(a, offeredBy.get(a), counts, now);
  takeOnce(before, m, made, counts);
  reviveOnce(before, m, reviving, offeredBy, made, counts);
  return { after: m, counts };
}

type Offers = Map<ModelAccount, { source: SourceName; p: Person }[]>;

/**
 * R12 with R11, as docs/rules.md says: an address belongs to one active account. An active account whose
 * sources give it a new address takes it only when no other active account keeps that address through
 * this night; of several that would take one address, the lowest id does. The others keep their old
 * address (the rest of what their sources say applies), a conflict each. A new account of this night with
 * an address an account takes this night is not made (a conflict; the next night matches it by key).
 */
function takeOnce(before: Model, m: Model, made: Set<ModelAccount>, counts: ModelCounts): void {
  const was = (a: ModelAccount) => before.accounts[a.mid];
  const takers = m.accounts.filter(
    (a) => !made.has(a) && was(a)?.status === 'active' && a.status === 'active' && a.attrs.email !== '' && a.attrs.email !== was(a)!.attrs.email,
  );
  const byAddress = new Map<string, ModelAccount[]>();
  for (const a of takers) byAddress.set(a.attrs.email, [...(byAddress.get(a.attrs.email) ?? []), a]);
  for (const [email, group] of byAddress) {
    const kept = m.accounts.some((o) => !made.has(o) && !group.includes(o) && o.status === 'active' && o.attrs.email === email);
    group.sort((x, y) => x.hubId! - y.hubId!);
    const winner = kept ? undefined : group[0];
    for (const a of group) {
      if (a === winner) continue;
      a.attrs.email = was(a)!.attrs.email; // keeps its own
      counts.conflicts++;
      counts.keptAddress++;
    }
    if (winner === undefined) continue;
    for (const n of [...made].filter((x) => x.attrs.email === email)) {
      m.accounts.splice(m.accounts.indexOf(n), 1);
      made.delete(n);
      counts.created--;
      counts.conflicts++;
      counts.yielded++;
      counts.yieldedToTaker++;
    }
  }
}

/**
 * R14 with R12, as docs/rules.md says: an address belongs to one active account. A deleted account
 * comes back only when no other account holds the address it comes back with (its sources' address)
 * after this night: not an active one that keeps it, not a new one of this night (that one is not made:
 * a conflict), not another deleted one that comes back with it and was deleted before it (the earliest
 * deletion comes back, then the lower id). One that does not come back is a conflict: nothing changes.
 */
function reviveOnce(before: Model, m: Model, reviving: ModelAccount[], offeredBy: Offers, made: Set<ModelAccount>, counts: ModelCounts): void {
  const byAddress = new Map<string, ModelAccount[]>();
  for (const a of reviving) {
    const email = addressOf(a, offeredBy.get(a)!);
    if (email === '') decide(a, offeredBy.get(a), counts, '');
    else byAddress.set(email, [...(byAddress.get(email) ?? []), a]);
  }
  for (const [email, group] of byAddress) {
    const held = m.accounts.some((o) => !made.has(o) && !group.includes(o) && o.status === 'active' && o.attrs.email === email);
    group.sort((x, y) => ((x.deletedAt ?? '') < (y.deletedAt ?? '') ? -1 : (x.deletedAt ?? '') > (y.deletedAt ?? '') ? 1 : x.hubId! - y.hubId!));
    const back = held ? undefined : group[0];
    for (const a of group) {
      if (a === back) {
        decide(a, offeredBy.get(a), counts, '');
        continue;
      }
      counts.conflicts++;
      a.links = new Map(before.accounts[a.mid]!.links); // nothing changes for it
    }
    if (back === undefined) continue;
    for (const n of [...made].filter((x) => x.attrs.email === email)) {
      m.accounts.splice(m.accounts.indexOf(n), 1);
      counts.created--;
      counts.conflicts++;
      counts.yielded++;
    }
  }
  m.accounts.forEach((a, i) => (a.mid = i));
}

/** The address an account gets from the records that offer it (R11: the highest priority that states one). */
function addressOf(a: ModelAccount, offered: { source: SourceName; p: Person }[]): string {
  const byPriority = [...offered].sort((x, y) => SOURCES.indexOf(x.source) - SOURCES.indexOf(y.source));
  return byPriority.find((o) => o.p.email !== '')?.p.email ?? a.attrs.email;
}

function decide(a: ModelAccount, offered: { source: SourceName; p: Person }[] | undefined, counts: ModelCounts, now: string): void {
  if (offered !== undefined) {
    if (a.status === 'deleted')
      counts.revived++; // R14
    else if (a.owner === 'hub' && a.listed !== null) counts.returned++; // R5
    a.status = 'active';
    a.deletedAt = undefined;
    a.owner = 'source'; // R5: the source owns it again, listed or not
    const byPriority = [...offered].sort((x, y) => SOURCES.indexOf(x.source) - SOURCES.indexOf(y.source));
    // R11: the highest priority wins, for what a source says: the pupil administration's export has no
    // address, so an address the hub gave a pupil stays.
    a.attrs = { ...attrsOf(byPriority[0]!.p), email: addressOf(a, offered) };
  } else if (a.status === 'active') {
    if (a.listed !== null) {
      a.owner = 'hub'; // R4
      counts.protected++;
    } else if (a.links.size > 0) {
      a.status = 'deleted'; // R1, R3
      a.deletedAt = now;
      counts.deleted++;
    }
  }
}
