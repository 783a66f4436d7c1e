/**
 * A record: one person in one source export (docs/rules.md, "Terms"), with all its relations, and the
 * one module that knows its packed form. Records are kept packed as one string while an export is
 * collected (so that a million of them fit in memory) and in the hub's links; `unpack` turns one back
 * into an object, `relationsOf` reads only its relations, and `fingerprint` tells two apart cheaply.
 * Nothing else splits or joins a packed record: the collector, the engine and the views call this.
 * (What a record means, whether its source offers it (R2), is the engine's: src/engine/offer.ts.)
 */
export interface Relation {
  organisation: string;
  group: string;
  /** YYYY-MM-DD or null. */
  startDate: string | null;
  endDate: string | null;
}

export type Role = 'staff' | 'student' | '';

export interface RecordAttributes {
  givenName: string;
  prefix: string;
  familyName: string;
  email: string;
  role: Role;
}

export interface SourceRecord extends RecordAttributes {
  externalId: string;
  relations: Relation[];
}

export const ATTRIBUTE_FIELDS = ['givenName', 'prefix', 'familyName', 'email', 'role'] as const;
export type AttributeField = (typeof ATTRIBUTE_FIELDS)[number];

const US = '\x1f'; // between fields
const RS = '\x1e'; // between the attributes and each relation
const RS_CODE = 0x1e;

export function packAttributes(a: RecordAttributes): string {
  return packFields(a.givenName, a.prefix, a.familyName, a.email, a.role);
}

/** packAttributes, from the fields as they are read (no object a million times). */
export function packFields(givenName: string, prefix: string, familyName: string, email: string, role: Role): string {
  return givenName + US + prefix + US + familyName + US + email + US + role;
}

export function packRelation(r: Relation): string {
  return r.organisation + US + r.group + US + (r.startDate ?? '') + US + (r.endDate ?? '');
}

/**
 * The canonical packed form: attributes, then the relations sorted and without duplicates. Two
 * exports that say the same about a person give the same string, whatever the order of their rows.
 */
export function canonicalPack(attrs: string, relations: readonly string[]): string {
  if (relations.length === 0) return attrs;
  if (relations.length === 1) return attrs + RS + relations[0];
  const sorted = [...new Set(relations)].sort();
  return attrs + RS + sorted.join(RS);
}

export function pack(r: SourceRecord): string {
  return canonicalPack(packAttributes(r), r.relations.map(packRelation));
}

/** A packed record of attributes and one packed relation (`packRelation`). */
export function withRelation(attrs: string, relation: string): string {
  return attrs + RS + relation;
}

/** The packed attributes of a packed record (`packAttributes`). */
export function attributesPart(packed: string): string {
  const rs = packed.indexOf(RS);
  return rs < 0 ? packed : packed.slice(0, rs);
}

/** The packed relations of a packed record, each as `packRelation` made it. */
export function relationParts(packed: string): string[] {
  const rs = packed.indexOf(RS);
  return rs < 0 ? [] : packed.slice(rs + 1).split(RS);
}

/**
 * The packed relations, each with the separator before it, as an account's search row holds them
 * (src/store/search.ts). A record without relations gives itself whole: what SQL's
 * `substr(record, instr(record, char(30)))` gives, which the search triggers use (relationsSuffixSql).
 */
export function relationsSuffix(packed: string): string {
  const rs = packed.indexOf(RS);
  return rs < 0 ? packed : packed.slice(rs);
}

/**
 * The record separator in SQL: `char(30)`, or with `literal` the character itself in a string literal,
 * which a statement that reads a million links then need not call a function for (some 150 ms).
 * Statements kept in the schema (a migration's) use the call, as they were written.
 */
function rsSql(literal: boolean): string {
  return literal ? `'${RS}'` : `char(${RS_CODE})`;
}

/** relationsSuffix as an SQL expression of the packed record `expr` (a column). */
export function relationsSuffixSql(expr: string, literal = false): string {
  return `substr(${expr}, instr(${expr}, ${rsSql(literal)}))`;
}

/** SQL: whether the packed record in the column or expression `expr` has any relations (see relationsSuffixSql). */
export function hasRelationsSql(expr: string, literal = false): string {
  return `instr(${expr}, ${rsSql(literal)}) > 0`;
}

/**
 * A packed record of attributes and at most one relation, cut in two where the part begins that many
 * people share: `packedHead(…) + packedEnd(…)` is `packFields(…)`, followed by the relation if any
 * (`withRelation`). The end is the email's domain (from its last "@"), the role and the relation; the
 * collector keeps each end once (src/sources/collect.ts). Any cut would do, as the two are joined
 * again as they were: this is where the most repeats.
 */
export function packedHead(givenName: string, prefix: string, familyName: string, email: string): string {
  const at = email.lastIndexOf('@');
  return givenName + US + prefix + US + familyName + US + (at < 0 ? email : email.slice(0, at));
}

/** The other part (see packedHead). */
export function packedEnd(email: string, role: Role, relation: string | null): string {
  const at = email.lastIndexOf('@');
  const end = (at < 0 ? '' : email.slice(at)) + US + role;
  return relation === null ? end : end + RS + relation;
}

/** Whether a packed record has exactly these packed attributes (`packAttributes`), whatever its relations. */
export function hasAttributes(packed: string, attrs: string): boolean {
  return packed.startsWith(attrs) && (packed.length === attrs.length || packed.charCodeAt(attrs.length) === RS_CODE);
}

/** A key that is the same for two relations with the same organisation and group. */
export function relationKey(r: Relation): string {
  return r.organisation + US + r.group;
}

/** A packed record with other attributes and the same relations. */
export function withAttributes(packed: string, a: RecordAttributes): string {
  const rs = packed.indexOf(RS);
  return rs < 0 ? packAttributes(a) : packAttributes(a) + packed.slice(rs);
}

/** The end of the field that starts at `from`, within a part that ends at `end`. */
function fieldEnd(packed: string, from: number, end: number): number {
  const i = packed.indexOf(US, from);
  return i < 0 || i > end ? end : i;
}

/**
 * The record of a packed string. indexOf and slice rather than split: three to four times faster,
 * and a first sync unpacks every record of a million twice.
 */
export function unpack(externalId: string, packed: string): SourceRecord {
  let rs = packed.indexOf(RS);
  const end = rs < 0 ? packed.length : rs;
  const g = fieldEnd(packed, 0, end);
  const p = fieldEnd(packed, g + 1, end);
  const f = fieldEnd(packed, p + 1, end);
  const e = fieldEnd(packed, f + 1, end);
  const relations: Relation[] = [];
  while (rs >= 0) {
    const from = rs + 1;
    rs = packed.indexOf(RS, from);
    const to = rs < 0 ? packed.length : rs;
    const o = fieldEnd(packed, from, to);
    const gr = fieldEnd(packed, o + 1, to);
    const sd = fieldEnd(packed, gr + 1, to);
    relations.push({
      organisation: packed.slice(from, o),
      group: packed.slice(o + 1, gr),
      startDate: packed.slice(gr + 1, sd) || null,
      endDate: packed.slice(sd + 1, to) || null,
    });
  }
  return {
    externalId,
    givenName: packed.slice(0, g),
    prefix: packed.slice(g + 1, p),
    familyName: packed.slice(p + 1, f),
    email: packed.slice(f + 1, e),
    role: packed.slice(e + 1, end) as Role,
    relations,
  };
}

/** The relations of a packed record (the hub's links hold them so), without the attributes. */
export function relationsOf(packed: string): Relation[] {
  return unpack('', packed).relations;
}

/**
 * A 53-bit fingerprint of a packed record (cyrb53). The hub stores it per source link; a sync skips
 * a record whose fingerprint and offer state did not change, which keeps a no-change resync of a
 * million records close to the cost of parsing the export.
 */
export function fingerprint(s: string): number {
  return WHOLE.reset().add(s).value();
}

/**
 * `fingerprint` of text given in pieces, without joining them: `reset()`, `add()` each piece in order,
 * then `value()` equals `fingerprint` of the pieces joined. One instance serves a whole pass.
 */
export class FingerprintBuilder {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  reset(): this {
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    return this;
  }

  add(s: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  value(): number {
    return fingerprintEnd(this.h1, this.h2);
  }
}

/**
 * `fingerprint` of the text that two ranges of UTF-8 bytes spell one after the other (the second may
 * be empty), read without decoding them into a string: each character's UTF-16 units are hashed as
 * `fingerprint` hashes the decoded string's. -1 for bytes that are not UTF-8 (then decode, and call
 * `fingerprint`). A no-change resync fingerprints a million records this way.
 */
export function fingerprintUtf8(a: Buffer, aFrom: number, aTo: number, b: Buffer, bFrom: number, bTo: number): number {
  const h = FP_STATE;
  h[0] = 0xdeadbeef;
  h[1] = 0x41c6ce57;
  if (!hashUtf8(h, a, aFrom, aTo) || !hashUtf8(h, b, bFrom, bTo)) return -1;
  return fingerprintEnd(h[0], h[1]);
}

const FP_STATE = new Int32Array(2);

/** Hashes the UTF-16 units the UTF-8 bytes at [from, to) spell into `h` (see fingerprintUtf8); false where it cannot. */
function hashUtf8(h: Int32Array, bytes: Buffer, from: number, to: number): boolean {
  let h1 = h[0];
  let h2 = h[1];
  for (let i = from; i < to; i++) {
    let ch = bytes[i];
    if (ch >= 0x80) {
      if (ch >= 0xc2 && ch < 0xe0 && i + 1 < to) ch = ((ch & 0x1f) << 6) | (bytes[++i] & 0x3f);
      else if (ch >= 0xe0 && ch < 0xf0 && i + 2 < to) {
        ch = ((ch & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
        i += 2;
      } else if (ch >= 0xf0 && ch < 0xf5 && i + 3 < to) {
        const cp = ((ch & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
        i += 3;
        const high = 0xd800 + ((cp - 0x10000) >> 10);
        h1 = Math.imul(h1 ^ high, 2654435761);
        h2 = Math.imul(h2 ^ high, 1597334677);
        ch = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      } else return false;
    }
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h[0] = h1;
  h[1] = h2;
  return true;
}

/** The builder `fingerprint` hashes a whole text with (one text at a time: nothing in between can call it). */
const WHOLE = new FingerprintBuilder();

function fingerprintEnd(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
