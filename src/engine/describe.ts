/**
 * How the engine and the use cases describe a change, for people (the `detail` of a change and of an
 * audit entry). A detail is stored, and --json carries it, in English; a terminal shows it in the
 * reader's language. So every detail is made from one of a closed set of templates (`DETAILS`): the
 * English pattern builds the stored text and, read backwards, recognises it again; the catalogue has a
 * text for every template in every language (`detailTexts`, typed by `DetailKind`), so no detail that
 * basishub writes can lack a Dutch text (test/i18n/details.test.ts runs every template both ways).
 *
 * A new account made from one record is stored in the audit trail as that record only (its `record`
 * column, schema v2): a first sync of a national export writes a million of them, and the text and JSON
 * would double what it writes. `describeRecordedCreate` renders them again when the entry is read, with
 * the same functions that describe a create in a plan, so both read the same.
 */
import { displayName, type Attributes } from '../model.js';
import { unpack, withAttributes, type Relation } from '../sources/record.js';
import type { Change } from './types.js';

/**
 * What a slot holds, and so how it is recognised and put in the reader's language:
 * name/text/ref/refs/code/n as they are (names, reasons, references, kinds, numbers), `date` as the
 * reader writes a day, `instant` as the reader writes a moment, `word` from a closed vocabulary
 * (`DETAIL_WORDS`), `detail` another detail (`create` also a bare create), `parts` details joined by "; " (`parts2`: two or more; `commas` joined by ", "),
 * `either` details joined by " and ", `diffs` attribute changes, `relations` a relations text,
 * `value` a setting's value.
 */
export type SlotKind =
  | 'name'
  | 'text'
  | 'ref'
  | 'refs'
  | 'code'
  | 'n'
  | 'date'
  | 'instant'
  | 'word'
  | 'detail'
  | 'create'
  | 'parts'
  | 'parts2'
  | 'commas'
  | 'either'
  | 'diffs'
  | 'relations'
  | 'value';

/** Every template, by kind: its English pattern with `{slot:kind}` holes. Most specific first. */
export const DETAILS = {
  // ---- a sync's changes (src/engine/plan.ts) -----------------------------------------------------
  because: '{body:detail} (because {why:parts})',
  settingsToo: '{body:detail} (its source settings changed too: {why:parts})',
  settingChanged: '{setting:word} of {source:code} changed from {from:value} to {to:value}',
  alsoLinked: '{body:create}; also linked to {ref:ref} (matched by {field:word})',
  reviveTaken:
    '{name:text}: {ref:ref} would revive account {id:n}, but active account {holder:n} holds its address {email:text}; nothing revived or linked. To keep account {holder:n}, erase account {id:n} (users purge); to keep account {id:n}, delete account {holder:n} (users delete) and the next sync revives account {id:n}',
  reviveTakenRevived:
    '{name:text}: {ref:ref} would revive account {id:n}, but account {holder:n}, deleted before it, comes back with its address {email:text} in this run; nothing revived or linked. To keep account {holder:n}, erase account {id:n} (users purge); to keep account {id:n}, delete account {holder:n} again (users delete) once it is back',
  newYieldsToRevive:
    '{name:text}: a new account for {ref:ref} would take the address {email:text} of account {id:n}, which this run revives; nothing created or linked',
  newYieldsToTaker:
    '{name:text}: a new account for {ref:ref} would take the address {email:text}, which account {id:n} gets in this run; nothing created or linked (the next sync matches the record by its key)',
  newAddressHeld:
    '{name:text}: a new account for {ref:ref} would take the address {email:text}, but active account {holder:n} holds it; nothing created or linked. Correct the address in the source of one of the two accounts',
  newAddressNew:
    '{name:text}: a new account for {ref:ref} would take the address {email:text}, which {holder:ref} starts a new account with in this run; nothing created or linked. Correct the address in the source of one of the two records',
  addressTaken:
    '{name:text}: {ref:ref} gives account {id:n} the address {email:text}, but active account {holder:n} holds it; the address is not changed (the rest of the record is). Correct the address in the source of one of the two accounts',
  conflict: '{name:text}: {field:word} "{key:text}" matches {candidates:either}; nothing created or linked',
  candidate: 'account {id:n}',
  candidateClaimed: 'account {id:n} (already claimed by another record of this source)',
  candidateNew: 'the new account for {ref:ref}',
  candidateLinked: 'account {id:n} (linked to {ref:ref}, another record of this source)',
  candidateNewClaimed: 'the new account for {ref:ref} (another record of this source)',
  lapse: 'list entry ended on {until:date} (reason was: {reason:text})',
  revive: 'offered again by {sources:refs}; restored from Deleted users (deleted {at:instant})',
  relinkListed: 'offered again by {source:code}: matched by its earlier link; the source owns it again (it stays on the list)',
  relinkOwned: 'offered again by {source:code}: matched by its earlier link; the source owns it again',
  relinkActive: 'offered again by {source:code}: its link {ref:ref} is active again',
  linkedOwned: 'linked to {ref:ref}, matched by {field:word}; the source owns it again',
  linked: 'linked to {ref:ref}, matched by {field:word}',
  relationsMoved: '{source:code} relations: "{from:relations}" → "{to:relations}"',
  noLongerOffered: 'no longer offered by {ref:ref}',
  protect: 'no source offers it since {since:date}; kept because it is on the exception list ({reason:text})',
  pending: 'no source offers it since {since:date}; deleted on {due:date} unless a source offers it again',
  delete: 'no source offers it any more ({refs:refs})',
  // ---- a revert (src/engine/undo.ts, src/app/revert-plan.ts) -------------------------------------
  revertStatus: 'status: {from:word} → {to:word}',
  revertOwner: 'owner: {from:word} → {to:word}',
  revertLinkBack: 'link {ref:ref} back',
  revertLinkBackInactive: 'link {ref:ref} back (inactive)',
  revertLinkActive: 'link {ref:ref} active again',
  revertLinkInactive: 'link {ref:ref} inactive again',
  revertLinkRemoved: 'link {ref:ref} removed',
  revertListedUntil: 'back on the exception list ({reason:text}, until {until:date})',
  revertListed: 'back on the exception list ({reason:text})',
  revertUnlisted: 'off the exception list',
  revertReason: 'list reason: "{from:text}" → "{to:text}"',
  revertUntil: 'list end date: {from:value} → {to:value}',
  revertAsItWas: 'as it was',
  revertForced: '{body:detail} (forced over what changed it since run {run:n}: {by:commas})',
  revertKept: 'changed since run {run:n} — {by:commas}; left alone (--force reverts it too)',
  revertPurged: 'account {id:n}: erased (purged) since run {run:n}; nothing to put back',
  revertAddressTaken: 'not revived: active account {holder:n} holds its address {email:text} since run {run:n}; left alone',
  revertAddressKept: 'its address not put back to {email:text}: active account {holder:n} holds it since run {run:n}; left alone',
  revertAlready: 'already as before the run',
  revertAlreadyDeleted: 'already deleted',
  revertLegacy: '{body:detail} — cannot be undone: run {run:n} was recorded before basishub kept what a revert needs',
  revertNoRelations: '{body:detail} (its relations cannot be put back: recorded before basishub kept them)',
  // ---- what people did (src/app/*.ts) ------------------------------------------------------------
  listedUntilNote: 'put on the exception list until {until:date} ({note:text})',
  listedUntil: 'put on the exception list until {until:date}',
  listedNote: 'put on the exception list ({note:text})',
  listed: 'put on the exception list',
  unlistedDeletes: 'taken off the exception list; no source offers it, so the next sync deletes it',
  unlisted: 'taken off the exception list',
  userEditedSource: '{diffs:diffs} (source-owned: a sync will overwrite it)',
  entryEdited: '{diffs:diffs} ({note:text})',
  unlistedDeleted: 'taken off the list because the account was deleted (R7)',
  unlistedSourceRemoved: 'taken off the list: its last source link went with source {source:code}, and a sync never deletes an account without one (R9)',
  userDeletedOffered: '{name:text} moved to Deleted users (still offered by {sources:refs})',
  userDeleted: '{name:text} moved to Deleted users',
  userRestoredLinks: 'restored from Deleted users as a hub account; links removed: {refs:refs}',
  userRestored: 'restored from Deleted users as a hub account',
  purged: 'erased {n:n} account(s) deleted before {before:date} (retention {days:n} days): {ids:refs}',
  deletedByRun: 'sync run {run:n}',
  deletedByRevert: 'revert of sync run {run:n}',
  deletedBy: 'deleted by {actor:name}',
  sourceAdded: 'source {source:code} ({kind:code}, {format:code}) reads {file:text}',
  sourceEditedNext: 'source {source:code}: {changes:commas}; the next sync evaluates its {n:n} linked record(s) again',
  sourceEdited: 'source {source:code}: {changes:commas}',
  sourceRemoved: 'source {source:code} removed with {n:n} link(s)',
  settingSet: 'setting {name:name} = {value:text}',
  settingRemoved: 'setting {name:name} removed',
  targetAddedAt: 'target {target:name} ({kind:code}) at {url:text}',
  targetAddedWrites: 'target {target:name} ({kind:code}) writes {output:text}',
  targetEditedForgotten: 'target {target:name} changed; what it acknowledged is forgotten',
  targetEdited: 'target {target:name} changed',
  targetRemoved: 'target {target:name} ({kind:code}) removed; the accounts in it were left as they are',
  // ---- a publish's changes (src/app/publish.ts) --------------------------------------------------
  publishErased: 'erased from the hub: removed from the target',
  publishDeactivate: '{who:name}: deleted in the hub, deactivated in the target',
  publishReactivate: '{who:name}: active in the hub again',
  // ---- why a sync stopped (src/app/sync.ts); several reasons are joined by "; " ----------------------
  syncStopDeletes: 'it would delete {n:n} accounts ({per:commas}), more than the limit of {max:n}',
  syncStopPer: '{n:n} linked to {source:code}',
  syncStopDrop: 'source {source:code} fell from {before:n} to {after:n} records since run {run:n}',
  publishStopReason: 'it would deactivate or remove {removals:n} of the {acked:n} accounts in the target, more than the limit of {max:n}',
  publishStopMismatch: '{body:detail} (plan {approved:code} no longer matches: the hub changed since; the plan is now {plan:code})',
  publishLifted: 'lifted ({how:text})',
  publishNoToken: 'the environment variable {env:code} holds no token: set it where basishub publishes (cron too)',
  publishNotSent: 'not sent: {why:detail}',
  publishSilent: 'the service stopped answering ({why:text})',
  publishGroupFailed: 'group {key:text}: {why:text}',
  // ---- what changed an account since the run a revert undoes (src/app/revert-plan.ts) -------------
  laterByRun: '{action:code} by run {run:n} ({actor:name}, {at:text})',
  laterByPerson: '{action:code} ({actor:name}, {at:text})',
  laterRecords: 'its records in the sources changed since',
  // ---- last, as they take almost any text: a new account, the person a change is about -----------
  createFull: '{name:text} <{email:text}> ({role:word}): {relations:relations}',
  createNoRole: '{name:text} <{email:text}>: {relations:relations}',
  createNoEmail: '{name:text} ({role:word}): {relations:relations}',
  who: '{who:name}: {body:detail}',
  diffs: '{diffs:diffs}',
  updateParts: '{parts:parts2}',
  createBare: '{name:text}: {relations:relations}',
} as const;

export type DetailKind = keyof typeof DETAILS;

/** The names of a pattern's slots. */
type SlotNames<S extends string> = S extends `${string}{${infer N}:${string}}${infer R}` ? N | SlotNames<R> : never;
/** The parameters of a template: one string (or number) per slot. */
export type DetailParams<K extends DetailKind> = { [N in SlotNames<(typeof DETAILS)[K]>]: string | number };

/**
 * The closed vocabulary of `word` slots, as the English texts write them: roles, match fields,
 * attributes, settings, statuses, owners, source kinds and formats, target kinds.
 */
export const DETAIL_WORDS = [
  'staff',
  'student',
  'email',
  'externalId',
  'none',
  'givenName',
  'prefix',
  'familyName',
  'role',
  'reason',
  'until',
  'priority',
  'kind',
  'map',
  'match key',
  'date format',
  'grace days',
  'file',
  'format',
  'delimiter',
  'encoding',
  'active',
  'deleted',
  'hub',
  'source',
  'auto',
  '(none)',
  'tab',
] as const;
export type DetailWord = (typeof DETAIL_WORDS)[number];

/** A detail in English, as it is stored: the template's pattern with its slots filled. */
export function detail<K extends DetailKind>(kind: K, p: DetailParams<K>): string {
  return DETAILS[kind].replace(SLOT, (_, name: string) => String((p as Record<string, string | number>)[name]));
}

const SLOT = /\{(\w+):(\w+)\}/g;

/** How each kind of slot is recognised in a stored text. */
const SLOT_RE: Record<SlotKind, string> = {
  name: '.+?',
  text: '.*?',
  ref: '\\S+?',
  refs: '[^\\s(),;]+(?:, [^\\s(),;]+)*',
  code: '[\\w.-]+',
  n: '\\d+',
  date: '\\d{4}-\\d{2}-\\d{2}',
  instant: '[^()]*?',
  word: '[A-Za-z() ]+?',
  detail: '.+?',
  create: '.+?',
  parts: '.+?',
  parts2: '.+?',
  commas: '.+?',
  either: '.+?',
  diffs: '.+?',
  relations: '.*?',
  value: '.*?',
};

interface Compiled {
  kind: DetailKind;
  slots: { name: string; kind: SlotKind }[];
  regex: RegExp;
}

let compiled: Compiled[] | undefined;

/** The templates as expressions that recognise them, made on first use (a sync never needs them). */
function templates(): Compiled[] {
  compiled ??= (Object.entries(DETAILS) as [DetailKind, string][]).map(([kind, pattern]) => {
    const slots: Compiled['slots'] = [];
    let source = '^';
    let last = 0;
    for (const m of pattern.matchAll(SLOT)) {
      source += escape(pattern.slice(last, m.index)) + `(${SLOT_RE[m[2] as SlotKind]})`;
      slots.push({ name: m[1], kind: m[2] as SlotKind });
      last = m.index + m[0].length;
    }
    return { kind, slots, regex: new RegExp(source + escape(pattern.slice(last)) + '$', 's') };
  });
  return compiled;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The texts of a language: one per template (same slots, `{name}`), its words, and how it joins and dates. */
export interface DetailLanguage {
  texts: Readonly<Record<DetailKind, string>>;
  words: Readonly<Record<DetailWord, string>>;
  /** " and " between alternatives; " from " and " until " in a relation. */
  and: string;
  from: string;
  until: string;
  day: (iso: string) => string;
  instant: (iso: string) => string;
}

/** Which template made a stored detail, and its slots' values; undefined for a text no template makes. */
export function parseDetail(text: string): { kind: DetailKind; params: Record<string, string> } | undefined {
  const lang = IDENTITY;
  for (const t of templates()) {
    const m = t.regex.exec(text);
    if (m === null) continue;
    const params: Record<string, string> = {};
    if (t.slots.every((s, i) => localSlot(s.kind, (params[s.name] = m[i + 1]!), lang) !== undefined)) return { kind: t.kind, params };
  }
  return undefined;
}

/** A stored detail in another language; undefined when no template makes it (text from an older version). */
export function localizeDetail(text: string, lang: DetailLanguage, loose = true): string | undefined {
  for (const t of templates()) {
    if (!loose && LOOSE.has(t.kind)) continue;
    const m = t.regex.exec(text);
    if (m === null) continue;
    const values: Record<string, string> = {};
    const ok = t.slots.every((s, i) => (values[s.name] = localSlot(s.kind, m[i + 1], lang) as string) !== undefined);
    if (ok) return lang.texts[t.kind].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  }
  return undefined;
}

const WORDS = new Set<string>(DETAIL_WORDS);
/** Templates that take almost any "x: y": only a whole detail, or what a create adds to (never a part of another). */
const LOOSE = new Set<DetailKind>(['createBare']);
/** `name: "value" → "value"`; a value may hold a quote, but not one that would end it (before → , ; or the end). */
const ATTRIBUTE_DIFF = /(\w+): "((?:[^"]|"(?! \u2192 "|, \w+: "|; |$))*)" \u2192 "((?:[^"]|"(?! \u2192 "|, \w+: "|; |$))*)"(?=, \w+: "|$)/y;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function localSlot(kind: SlotKind, raw: string, lang: DetailLanguage): string | undefined {
  switch (kind) {
    case 'date':
      return lang.day(raw);
    case 'instant':
      return lang.instant(raw);
    case 'word':
      return WORDS.has(raw) ? lang.words[raw as DetailWord] : undefined;
    case 'value':
      return WORDS.has(raw) ? lang.words[raw as DetailWord] : DATE.test(raw) ? lang.day(raw) : raw;
    case 'detail':
      return localizeDetail(raw, lang, false);
    case 'create':
      return localizeDetail(raw, lang);
    case 'parts':
      return localList(raw, '; ', '; ', 1, lang);
    case 'parts2':
      return localList(raw, '; ', '; ', 2, lang);
    case 'commas':
      return localList(raw, ', ', ', ', 1, lang);
    case 'either':
      return localList(raw, ' and ', lang.and, 1, lang);
    case 'diffs':
      return localDiffs(raw, lang);
    case 'relations':
      return raw.replace(/ (from|until) (\d{4}-\d{2}-\d{2})/g, (_, w: string, d: string) => `${w === 'from' ? lang.from : lang.until}${lang.day(d)}`);
    default:
      return raw;
  }
}

/** Details joined by `sep`: each item the shortest run of pieces that is a detail, at least `min` items. */
function localList(text: string, sep: string, join: string, min: number, lang: DetailLanguage): string | undefined {
  const pieces = text.split(sep);
  const from = (i: number): string[] | undefined => {
    // With two or more items, the first is never the whole text (that would read the same text again).
    for (let j = i + 1; j <= pieces.length - (i === 0 && min > 1 ? 1 : 0); j++) {
      const item = localizeDetail(pieces.slice(i, j).join(sep), lang, false);
      if (item === undefined) continue;
      if (j === pieces.length) return [item];
      const rest = from(j);
      if (rest !== undefined) return [item, ...rest];
    }
    return undefined;
  };
  const items = from(0);
  return items !== undefined && items.length >= min ? items.join(join) : undefined;
}

/** `familyName: "Graaf" → "Jansen-de Graaf", email: …`: every name from the vocabulary, the values as they are. */
function localDiffs(text: string, lang: DetailLanguage): string | undefined {
  const out: string[] = [];
  ATTRIBUTE_DIFF.lastIndex = 0;
  while (ATTRIBUTE_DIFF.lastIndex < text.length) {
    if (out.length > 0) {
      if (!text.startsWith(', ', ATTRIBUTE_DIFF.lastIndex)) return undefined;
      ATTRIBUTE_DIFF.lastIndex += 2;
    }
    const m = ATTRIBUTE_DIFF.exec(text);
    if (m === null || !WORDS.has(m[1])) return undefined;
    const value = (v: string) => (DATE.test(v) ? lang.day(v) : v);
    out.push(`${lang.words[m[1] as DetailWord]}: "${value(m[2])}" → "${value(m[3])}"`);
  }
  return out.length > 0 ? out.join(', ') : undefined;
}

const IDENTITY: DetailLanguage = {
  texts: Object.fromEntries(Object.entries(DETAILS).map(([k, p]) => [k, p.replace(SLOT, '{$1}')])) as Record<DetailKind, string>,
  words: Object.fromEntries(DETAIL_WORDS.map((w) => [w, w])) as Record<DetailWord, string>,
  and: ' and ',
  from: ' from ',
  until: ' until ',
  day: (iso) => iso,
  instant: (iso) => iso,
};

/** The English texts, as stored: what the English catalogue shows. */
export const ENGLISH_DETAILS: DetailLanguage = IDENTITY;

/** `familyName: "Graaf" → "Jansen-de Graaf", email: …`: the `diffs` slot of a template. */
export function diffText(
  keys: readonly string[],
  before: Readonly<Record<string, string | null | undefined>>,
  after: Readonly<Record<string, string | null | undefined>>,
): string {
  return keys.map((k) => `${k}: "${before[k] ?? ''}" → "${after[k] ?? ''}"`).join(', ');
}

// ---- the details of a create (a plan, and a create stored as its record) --------------------------

export function relationsText(relations: readonly Relation[]): string {
  let text = '';
  for (const x of relations) {
    if (text !== '') text += ', ';
    text += x.group ? `${x.organisation}/${x.group}` : x.organisation;
    if (x.startDate) text += ` from ${x.startDate}`;
    if (x.endDate) text += ` until ${x.endDate}`;
  }
  return text;
}

/** "Jan de Vries <jan@…> (staff): School/Group", then `also` (the further records of the account). */
export function createDetail(attrs: Attributes, relations: readonly Relation[], also = ''): string {
  const name = displayName(attrs);
  const r = relationsText(relations);
  const text = attrs.email
    ? attrs.role
      ? detail('createFull', { name, email: attrs.email, role: attrs.role, relations: r })
      : detail('createNoRole', { name, email: attrs.email, relations: r })
    : attrs.role
      ? detail('createNoEmail', { name, role: attrs.role, relations: r })
      : detail('createBare', { name, relations: r });
  return text + also;
}

/** The audit trail's `after` of a create: the account's attributes and its links. */
export function createAfter(attrs: Attributes, links: string[]): Record<string, unknown> {
  return { givenName: attrs.givenName, prefix: attrs.prefix, familyName: attrs.familyName, email: attrs.email, role: attrs.role, links };
}

/**
 * The record a create from one record is stored as: the account's attributes (merged as R11 says:
 * the source's default role filled in) and the relations of the packed record.
 */
export function recordedCreate(attrs: Attributes, packed: string): string {
  return withAttributes(packed, attrs);
}

/** The detail and `after` of a create stored as its record (see `recordedCreate`). */
export function describeRecordedCreate(source: string, externalId: string, record: string): { detail: string; after: Record<string, unknown> } {
  const r = unpack(externalId, record);
  return { detail: createDetail(r, r.relations), after: createAfter(r, [`${source}:${externalId}`]) };
}

/** What a change did, for people: its detail, or the detail rendered from its record. */
export function detailOf(c: Change): string {
  return c.record === undefined ? c.detail : describeRecordedCreate(c.source!, c.externalId!, c.record).detail;
}
