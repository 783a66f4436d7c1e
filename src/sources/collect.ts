/**
 * Groups an export's rows into records: several rows with one externalId are one person with several
 * relations; rows that disagree on that person's other fields make the export invalid, naming both
 * lines (the command-line contract, "Source exports").
 */
import { invalidExport } from '../errors.js';
import { msg } from '../i18n/message.js';
import {
  attributesPart,
  canonicalPack,
  fingerprint,
  fingerprintUtf8,
  hasAttributes,
  packFields,
  packRelation,
  relationParts,
  packedEnd,
  packedHead,
  unpack,
  type Role,
  type SourceRecord,
} from './record.js';
import { KeyedTexts, SharedBytes, TextArena } from './keyed.js';
import type { ExportInfo, ExportRow } from './types.js';

const ROLES = new Map<string, Role>([
  ['', ''],
  ['staff', 'staff'],
  ['student', 'student'],
  // Common spellings in Dutch and standard exports.
  ['medewerker', 'staff'],
  ['personeel', 'staff'],
  ['leerkracht', 'staff'],
  ['teacher', 'staff'],
  ['leerling', 'student'],
  ['pupil', 'student'],
]);

/**
 * The role a row's text names, or undefined. A Map, not an object: "constructor" or "__proto__" is
 * no role. The canonical spellings, as most rows have them, are taken as they are, without a trimmed
 * and lower-cased copy of the text made first.
 */
export function normaliseRole(value: string): Role | undefined {
  if (value === 'staff' || value === 'student' || value === '') return value;
  return ROLES.get(value.trim().toLowerCase());
}

/** The most relations one person may have in one export (rows with an organisation or group). */
export const MAX_RELATIONS = 1000;

/**
 * The bounds of what CollectedExport.shared keeps: so many distinct ends of rows, in so many bytes
 * (about 22 MB with its table at most), each at most so long. An export whose ends are all different
 * costs at most that more than without sharing.
 */
const SHARED_LIMITS = { count: 1 << 18, bytes: 16 << 20, length: 256 };

/**
 * A whole export, collected: one packed record per externalId. Kept as compact as JavaScript allows,
 * because a national export has a million records and a hostile one of 50 MB three million: per slot
 * (in the order of the export) the externalId with the packed text of the attributes and the first
 * relation, as UTF-8 bytes found through a hash table of typed arrays (src/sources/keyed.ts), and the
 * line where the record starts. No string or Map entry per person: about 40 bytes a person besides
 * the text (a Map of externalIds took about 100 more).
 *
 * A person's further relations are stored once each, as they arrive, in a second arena and chained
 * per slot (newest first): memory grows with the rows read, never with their square (rewriting the
 * whole record at every row did: 10,000 rows of one person took a gigabyte). A row that repeats the
 * person's previous relation is skipped; other repeats are stored and dropped when the record is
 * packed (canonicalPack). More than MAX_RELATIONS relations for one person make the export invalid.
 */
export class CollectedExport {
  private readonly text = new KeyedTexts();
  /**
   * The ends of first rows that many people share, each stored once: an email domain, the role and
   * the relation ("@school.nl␟staff␞CBS De Vlinder␟Groep 4␟␟"; record.ts, packedEnd). Per slot, 1 +
   * the shared end of its first row, which its text then goes without (0: the text holds the whole
   * row). At a million people this keeps a third of the text. Within SHARED_LIMITS: in an
   * export with another end on every row (a hostile one) the rest stay whole, as without sharing.
   */
  private readonly shared = new SharedBytes();
  private sharedOf = new Int32Array(1024);
  private readonly scratch = Buffer.allocUnsafe(3 * SHARED_LIMITS.length);
  private lines = new Int32Array(1024);
  /** Per slot: 1 + the newest entry of its chain of further relations, or 0 for none. */
  private more = new Int32Array(1024);
  /** The further relations: text, the next (older) entry + 1 (0: the end), and how many the slot has. */
  private readonly extra = new TextArena();
  private extraNext = new Int32Array(1024);
  private extraCount = new Int32Array(1024);
  private extras = 0;
  /** The file of a slot, only where it is not `path` (multi-file formats). */
  private readonly files = new Map<number, string>();
  rows = 0;

  constructor(readonly path: string) {}

  /** Adds one row; throws INVALID_EXPORT when it contradicts an earlier row of the same person. */
  add(row: ExportRow): void {
    this.rows++;
    const file = row.file ?? this.path;
    const externalId = row.externalId.trim();
    if (externalId === '') throw invalidExport(file, row.line, msg('readNoExternalId'));
    const role = normaliseRole(row.role);
    if (role === undefined) {
      throw invalidExport(file, row.line, msg('readBadRole', { role: row.role }));
    }
    const givenName = row.givenName.trim();
    const prefix = row.prefix.trim();
    const familyName = row.familyName.trim();
    const email = row.email.trim();
    const organisation = row.organisation.trim();
    const group = row.group.trim();
    const relation =
      organisation === '' && group === '' ? null : packRelation({ organisation, group, startDate: row.startDate || null, endDate: row.endDate || null });
    const slot = this.text.find(externalId);
    if (slot < 0) {
      this.addSlot(externalId, packedHead(givenName, prefix, familyName, email), packedEnd(email, role, relation), row.line);
      if (file !== this.path) this.files.set(this.text.size - 1, file);
      return;
    }
    const attrs = packFields(givenName, prefix, familyName, email, role);
    const seen = this.firstRow(slot);
    if (!hasAttributes(seen, attrs)) {
      const first = this.files.get(slot) ?? this.path;
      const earlier = { id: externalId, line: this.lines[slot], file: file === first ? null : first };
      throw invalidExport(file, row.line, msg('readOtherDetails', earlier), msg('readOtherDetailsHint'));
    }
    if (relation !== null) this.addRelation(slot, relationParts(seen)[0], relation, externalId, file, row.line);
  }

  /** A new person's first row, as `head` + `end` (record.ts): the end kept once if others share it. */
  private addSlot(externalId: string, head: string, end: string, line: number): void {
    const id = end.length > SHARED_LIMITS.length ? -1 : this.shared.idOfText(end, this.scratch, SHARED_LIMITS);
    const n = this.text.insert(externalId, id < 0 ? head + end : head);
    if (n === this.lines.length) {
      this.lines = grown(this.lines, n * 2);
      this.more = grown(this.more, n * 2);
      this.sharedOf = grown(this.sharedOf, n * 2);
    }
    this.lines[n] = line;
    this.sharedOf[n] = id + 1;
  }

  /** The packed record of a slot's first row: its attributes and first relation. */
  private firstRow(slot: number): string {
    const text = this.text.text(slot);
    const id = this.sharedOf[slot] - 1;
    return id < 0 ? text : text + this.shared.text(id);
  }

  /** Chains one further relation to a slot (see the class comment). */
  private addRelation(slot: number, first: string | undefined, relation: string, externalId: string, file: string, line: number): void {
    const newest = this.more[slot] - 1;
    if (newest >= 0 ? this.extra.get(newest) === relation : first === relation) return;
    const count = (newest >= 0 ? this.extraCount[newest] : 0) + (first === undefined ? 0 : 1) + 1;
    if (count > MAX_RELATIONS) {
      throw invalidExport(file, line, msg('readTooManyRelations', { id: externalId, max: MAX_RELATIONS }));
    }
    const e = this.extras++;
    if (e === this.extraNext.length) {
      this.extraNext = grown(this.extraNext, e * 2);
      this.extraCount = grown(this.extraCount, e * 2);
    }
    this.extra.set(e, relation);
    this.extraNext[e] = newest + 1;
    this.extraCount[e] = newest >= 0 ? this.extraCount[newest] + 1 : 1;
    this.more[slot] = e + 1;
  }

  get size(): number {
    return this.text.size;
  }

  has(externalId: string): boolean {
    return this.text.find(externalId) >= 0;
  }

  /** The externalIds, in the order of the export (each decoded anew: hold slots, not these). */
  *ids(): IterableIterator<string> {
    for (let slot = 0; slot < this.text.size; slot++) yield this.text.key(slot);
  }

  slotOf(externalId: string, guess = -1): number {
    return guess >= 0 && guess < this.text.size && this.text.keyIsAscii(guess, externalId) ? guess : this.text.find(externalId);
  }

  idAt(slot: number): string {
    return this.text.key(slot);
  }

  /** The canonical packed record (see record.ts), or undefined. */
  packed(externalId: string): string | undefined {
    const slot = this.text.find(externalId);
    return slot < 0 ? undefined : this.packedAt(slot);
  }

  packedAt(slot: number): string {
    const raw = this.firstRow(slot);
    // No further relations: the string read is canonical already (attributes and at most one relation).
    if (this.more[slot] === 0) return raw;
    const relations = relationParts(raw); // at most one: the first relation read
    for (let e = this.more[slot] - 1; e >= 0; e = this.extraNext[e] - 1) relations.push(this.extra.get(e));
    return canonicalPack(attributesPart(raw), relations);
  }

  fingerprintAt(slot: number): number {
    if (this.more[slot] === 0) {
      // One row: its bytes as kept are the packed record, hashed without making a string.
      const text = this.text.textBytesAt(slot);
      const id = this.sharedOf[slot] - 1;
      const end = id < 0 ? text : this.shared.bytesAt(id);
      const fp = fingerprintUtf8(text, this.text.from, this.text.to, end, id < 0 ? 0 : this.shared.from, id < 0 ? 0 : this.shared.to);
      if (fp >= 0) return fp;
    }
    return fingerprint(this.packedAt(slot));
  }

  record(externalId: string): SourceRecord | undefined {
    const p = this.packed(externalId);
    return p === undefined ? undefined : unpack(externalId, p);
  }

  /** Where a record starts in its export, for messages. */
  lineOf(externalId: string): number | undefined {
    const slot = this.text.find(externalId);
    return slot < 0 ? undefined : this.lines[slot];
  }

  /** All records, unpacked one at a time. */
  *records(): IterableIterator<SourceRecord> {
    for (let slot = 0; slot < this.text.size; slot++) yield unpack(this.text.key(slot), this.packedAt(slot));
  }
}

function grown(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** An export as read and collected, with what the reader found out about it. */
export interface ReadExport {
  info: ExportInfo;
  records: CollectedExport;
}
