/**
 * Every text that a person reads, in English: one key per message, its parameters typed. nl.ts has the
 * same shape (`Catalogue`), so a text missing in either language fails the type check. Numbers and
 * dates arrive formatted (`num`, `day` in ./index.ts) unless a parameter says otherwise.
 *
 * Not here, on purpose: command and option names, --json keys and values, error codes, and the headers
 * of tab-separated output (what scripts read).
 */
import { ENGLISH_DETAILS, type DetailKind, type DetailWord } from '../engine/describe.js';
import { grouped } from './numbers.js';

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

// ---- the export readers (src/sources/): why an export is invalid (INVALID_EXPORT), what `sources check` finds.
// Each is a typed message (src/i18n/message.ts): a person reads it in the run's language, --json carries
// this English text. Numbers stay as the readers counted them (no thousands separator), as before.

/** What the JSON scanner found where something else belongs. */
export type JsonFound = 'string' | 'array' | 'number' | 'boolean' | 'null' | { char: string };
/** How a file changed while it was read (src/sources/files.ts). */
export type FileChange =
  'replaced' | 'folderReplaced' | 'modified' | 'removed' | 'removedOrUnreadable' | 'unreadable' | 'appeared' | { size: [number, number] };
/** What a file of a roster export (SDS, OneRoster) holds, for a message that misses it. */
export type RosterPart =
  'schools' | 'sections' | 'students' | 'teachers' | 'studentSections' | 'teacherSections' | 'users' | 'organisations' | 'userOrganisations' | 'manifest';

function columnList(columns: readonly string[]): string {
  const shown = columns.slice(0, 40).map((h) => (h.trim() === '' ? '(empty)' : h.trim()));
  return shown.join(', ') + (columns.length > 40 ? `, … (${columns.length} columns)` : '');
}

function jsonFound(f: JsonFound): string {
  if (typeof f === 'object') return `"${f.char}"`;
  return { string: 'a string', array: 'an array', number: 'a number', boolean: 'true/false', null: 'null' }[f];
}

function fileChange(c: FileChange): string {
  if (typeof c === 'object') return `its size changed from ${c.size[0]} to ${c.size[1]} bytes`;
  return {
    replaced: 'it was replaced by another file',
    folderReplaced: 'it was replaced by another folder',
    modified: 'its modification time changed',
    removed: 'it was removed',
    removedOrUnreadable: 'it was removed or can no longer be read',
    unreadable: 'it can no longer be read',
    appeared: 'it appeared in the folder while the export was read',
  }[c];
}

const ROSTER_PARTS: Record<RosterPart, string> = {
  schools: 'the schools',
  sections: 'the sections',
  students: 'the students',
  teachers: 'the teachers',
  studentSections: "the students' sections",
  teacherSections: "the teachers' sections",
  users: 'the users',
  organisations: 'the organisations',
  userOrganisations: "the users' organisations",
  manifest: 'the OneRoster manifest',
};

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

const readerTexts = {
  // files and folders (files.ts)
  readNoFile: () => 'the file does not exist',
  readNoPermission: () => 'the file cannot be read (permission denied)',
  readIsFolder: (p: { reading: boolean }) => `is a folder, where a file was expected${p.reading ? ' (the file cannot be read)' : ''}`,
  readCannotRead: (p: { code: string }) => `the file cannot be read (${p.code})`,
  readCompressedDamaged: (p: { detail: string }) => `the compressed data is damaged (${p.detail})`,
  readNotRegular: () => 'is not a regular file',
  readNeitherFileNorFolder: () => 'is neither a file nor a folder',
  readIsFileNotFolder: () => 'is a file, where a folder of CSV files was expected',
  readTwoFilesNamed: (p: { name: string }) => `two files named ${p.name} (letter case aside) in the folder`,
  readChanged: (p: { change: FileChange }) => `the file changed while it was read (${fileChange(p.change)})`,
  readChangedHint: () => 'Is the export still being downloaded or written? Wait until it is complete and run again. Nothing was changed.',
  readFailed: (p: { detail: string }) => `the export could not be read (${p.detail})`,
  readMoreProblems: (p: { n: number }) => `… and ${p.n} more problems`,
  readNoRecords: (p: { source: string }) => `the export of source "${p.source}" holds no records`,
  readNoRecordsHint: (p: { source: string }) =>
    `An empty export would delete every account of this source; nothing was changed. If it really is empty, run again with --allow-empty ${p.source}.`,

  // encoding (encoding.ts)
  readNulByte: () => 'the file holds binary data (a NUL byte): is it really a text export?',
  readSeparatorByte: (p: { byte: string }) =>
    `the file holds the control character 0x${p.byte} (an information separator), which no name, email or id can hold`,
  readBomButWindows1252: () => 'the file starts with a UTF-8 byte order mark, but the source is set to windows-1252',
  readBomButWindows1252Hint: () => 'Set the encoding to utf-8 (`sources edit <name> --encoding utf-8`). Nothing was changed.',
  readUtf16: () => 'the file is UTF-16 ("Unicode text"); save it as CSV UTF-8',
  readZipNotText: () => 'the file is a zip archive (an .xlsx workbook?), not a text export; save it as CSV',
  readNotUtf8: () => 'the file is not valid UTF-8',
  readNotUtf8Hint: () => 'If the file is Windows-1252 (ANSI), set `--encoding windows-1252`; else re-export it as UTF-8. Nothing was changed.',
  /** `utf8Line` 0: the BOM made it UTF-8; `badFirst`: the bytes that are not UTF-8 came first. */
  readBrokenUtf8: (p: { utf8Line: number; badLine: number; badFirst: boolean }) => {
    const bad = `bytes that are not UTF-8 (line ${p.badLine})`;
    const utf8 = p.utf8Line === 0 ? 'starts with a UTF-8 byte order mark' : `has UTF-8 text (line ${p.utf8Line})`;
    return p.badFirst ? `broken UTF-8: the file has ${bad} but also UTF-8 text (line ${p.utf8Line})` : `broken UTF-8: the file ${utf8} but also ${bad}`;
  },
  readBomInMiddle: () => 'a byte order mark (U+FEFF) in the middle of the file: were two exports glued together?',
  readUndefined1252: (p: { byte: string }) =>
    `byte 0x${p.byte} has no character in Windows-1252 (it would become an invisible control character): the file is neither valid UTF-8 nor Windows-1252`,
  readUndefined1252Hint: () => 'Re-export the file as UTF-8 (CSV UTF-8), or check which encoding the exporter writes. Nothing was changed.',
  readUtf8ButWindows1252: () => 'the file is valid UTF-8 but windows-1252 is configured: letters such as é may come out wrong (set --encoding utf-8)',

  // CSV (csvtable.ts, csv.ts, headers.ts, dates.ts)
  readQuoteNotClosed: () => 'broken quoting: a quoted field that starts here is never closed',
  readBadClosingQuote: () => 'broken quoting: a closing quote is followed by something other than a delimiter or the end of the line',
  readBadOpeningQuote: () => 'broken quoting: a quote (") inside a field that does not start with one',
  readRowTooLarge: (p: { mb: number }) => `the row is larger than ${p.mb} MB (is the quoting broken?)`,
  readTooManyFields: (p: { max: number }) => `the row has more than ${p.max} fields (is the delimiter right?)`,
  readFieldCount: (p: { n: number; width: number }) => `the row has ${p.n} fields where the header has ${p.width}`,
  readNoHeader: () => 'the file is empty: no header line',
  readUnterminated: () => 'the last line has no line break at its end: the file looks cut off (still being written or downloaded?)',
  readUnterminatedHint: (p: { source: string }) =>
    `Nothing was changed. Wait until the export is complete and run again. If this exporter always ends its files without a line break and you checked that this file is complete, accept it for one run with \`basishub sync run --accept-unterminated ${p.source}\`.`,
  /** The settings a `sources check` read the export with; `delimiter` and `encoding` null: not a CSV setting. */
  readCheckSettings: (p: {
    format: string;
    delimiter: string | null;
    delimiterDetected: boolean;
    encoding: string | null;
    bom: boolean;
    encodingDetected: boolean;
  }) =>
    `  ${p.format}${p.delimiter === null ? '' : `; delimiter: ${DELIMITER_NAMES[p.delimiter] ?? JSON.stringify(p.delimiter)}${p.delimiterDetected ? ' (detected)' : ''}`}` +
    `${p.encoding === null ? '' : `; encoding: ${p.encoding}${p.bom ? ' with BOM' : ''}${p.encodingDetected ? ' (detected)' : ''}`}`,
  readDelimiterDetected: (p: { delimiter: string }) => `delimiter detected: ${DELIMITER_NAMES[p.delimiter] ?? JSON.stringify(p.delimiter)}`,
  readEncodingDetected: (p: { encoding: string; bom: boolean }) => `encoding detected: ${p.encoding}${p.bom ? ' (with BOM)' : ''}`,
  readColumnsNotUsed: (p: { columns: string[] }) => `columns not used: ${columnList(p.columns)}`,
  readDuplicateColumn: (p: { column: string; at: number; other: string; otherAt: number }) =>
    `duplicate column: "${p.column}" (column ${p.at}) and "${p.other}" (column ${p.otherAt}) have the same name`,
  readNoMappedColumn: (p: { unmapped: { column: string; field: string }[]; columns: string[] }) =>
    `no column ${p.unmapped.map((m) => `"${m.column}" (mapped to ${m.field})`).join(', no column ')}; the columns are: ${columnList(p.columns)}`,
  readNoMappedColumnHint: () => 'Correct the mapping with `sources edit <name> --map <field>=<column>`, or fix the export. Nothing was changed.',
  readNoExternalIdColumn: (p: { columns: string[] }) => `no externalId column; the columns are: ${columnList(p.columns)}`,
  readNoExternalIdColumnHint: () => 'Name the column that identifies a person with `--map externalId=<column>`. Nothing was changed.',
  readNoColumns: (p: { missing: string[]; columns: string[] }) =>
    `no column ${p.missing.map((c) => `"${c}"`).join(', ')}; the columns are: ${columnList(p.columns)}`,
  readBadDate: (p: { field: string; value: string; format: string | null }) =>
    `${p.field} "${p.value}" is not a valid date (expected ${p.format ?? 'YYYY-MM-DD, dd-mm-yyyy or yyyyMMdd'})`,
  readDateFormatToken: (p: { format: string; token: string }) => `date format "${p.format}": "${p.token}" is not understood`,
  readDateFormatTokenHint: () => 'Use yyyy, mm (or m) and dd (or d), in either case, e.g. dd-mm-yyyy; HH:mm for a time.',
  readDateFormatParts: (p: { format: string }) => `date format "${p.format}" needs each of year (yyyy), month (mm) and day (dd) once`,

  // rows into records (collect.ts)
  readNoExternalId: () => "the row has no externalId (the source's identifier of the person)",
  readBadRole: (p: { role: string }) => `role "${p.role}" is neither staff nor student`,
  /** `file` null: the earlier row is in the same file. */
  readOtherDetails: (p: { id: string; line: number; file: string | null }) =>
    `externalId ${p.id} appears again with other personal details than on ${p.file === null ? `line ${p.line}` : `${p.file}:${p.line}`}`,
  readOtherDetailsHint: () => 'Rows of one person may differ only in organisation and group. Nothing was changed.',
  readTooManyRelations: (p: { id: string; max: number }) =>
    `externalId ${p.id} has more than ${p.max} relations (organisations and groups): is the export broken?`,

  // JSON (json.ts, jsontext.ts)
  readJsonStart: (p: { found: JsonFound }) => `neither a JSON array nor JSON objects one per line: the file starts with ${jsonFound(p.found)}`,
  readJsonExpectedComma: (p: { found: JsonFound }) => `invalid JSON: expected "," or "]" after the object, found ${jsonFound(p.found)}`,
  readJsonCommaBeforeEnd: () => 'invalid JSON: a comma before "]"',
  readJsonElementNotObject: (p: { found: JsonFound }) => `an element of the array is not an object (a person): it is ${jsonFound(p.found)}`,
  readJsonExpectedObject: (p: { found: JsonFound }) => `expected an object ({…}) at the start of the line, found ${jsonFound(p.found)}`,
  readJsonAfterEnd: (p: { found: JsonFound }) => `invalid JSON: ${jsonFound(p.found)} after the end of the array`,
  readJsonObjectTooLarge: () => 'the object that starts here is larger than 1 MB (is the JSON broken?)',
  readJsonObjectNotClosed: () => 'truncated JSON: the object that starts here is not closed',
  readJsonEmpty: () => 'the file is empty: expected a JSON array or objects one per line',
  readJsonArrayNotClosed: () => 'truncated JSON: the array is not closed with "]"',
  /** `detail`: what JSON.parse said (Node's own words, in English). */
  readJsonInvalid: (p: { detail: string }) => `invalid JSON: ${p.detail}`,
  readJsonNotPerson: () => 'the element is not an object (a person)',
  readJsonNumberTooLarge: (p: { key: string }) => `"${p.key}" holds a number too large to be read exactly`,
  readJsonAsString: () => 'Write it as a string ("…"). Nothing was changed.',
  readJsonIdNotExact: (p: { key: string; value: string; max: number }) =>
    `"${p.key}" holds the number ${p.value}, which is not a whole number that can be read exactly (at most ${p.max})`,
  readJsonIdNotExactHint: () => 'Identifiers this large must be written as strings ("12345678901234567890"), else digits are lost. Nothing was changed.',
  readJsonNotText: (p: { key: string; list: boolean }) => `"${p.key}" holds ${p.list ? 'a list' : 'an object'}, where text was expected`,
  readJsonTwoKeys: (p: { field: string; key: string }) => `two keys of the object give ${p.field} (one of them is "${p.key}")`,
  readJsonNul: () => 'a string holds \\u0000 (a NUL character): is it really a text export?',
  readJsonSeparator: (p: { escape: string }) => `a string holds \\${p.escape} (an information separator), which no name, email or id can hold`,
  readJsonDuplicateKey: (p: { key: string }) => `the key "${p.key}" appears twice in one object (which value is meant?)`,
  /** `mapped`: the key mapped to externalId, if any; `wrapped`: a key that holds a list of people. */
  readJsonNoPerson: (p: { mapped: string | null; wrapped: string | null }) =>
    `the object holds no person: it has no key for externalId${p.mapped ? ` ("${p.mapped}")` : ''}` +
    (p.wrapped ? `; its "${p.wrapped}" holds a list: an export must be the list itself` : ''),
  readJsonRelationsNotList: () => '"relations" is not a list',
  readJsonRelationNotObject: () => 'an element of "relations" is not an object',
  readJsonEncodingIgnored: () => 'encoding windows-1252 is ignored: JSON is read as UTF-8',
  readJsonKeyAbsent: (p: { key: string; field: string }) => `no object has the key "${p.key}" (mapped to ${p.field})`,
  readJsonKeysNotUsed: (p: { keys: string[] }) => `keys not used: ${p.keys.join(', ')}`,

  // roster exports: SDS, OneRoster, zip (roster.ts, sds.ts, oneroster.ts, zip.ts)
  readMissingFile: (p: { name: string; part: RosterPart; files: string[] }) =>
    `no ${p.name} in the export (${ROSTER_PARTS[p.part]}); the files are: ${p.files.join(', ') || 'none'}`,
  readTooManyMemberships: (p: { person: string; max: number }) =>
    `${p.person} has more than ${p.max} memberships (classes, sections, roles): is the export broken?`,
  readSchoolTwice: (p: { id: string }) => `school SIS ID ${p.id} appears twice`,
  /** `column`: the column that names it (School SIS ID, orgSourcedId…); `file`: the file it is missing from. */
  readNotInFile: (p: { column: string; id: string; file: string }) => `${p.column} ${p.id} is not in ${p.file}`,
  readOrgNotInOrgs: (p: { id: string }) => `organisation ${p.id} is not in orgs.csv`,
  readMapIgnored: (p: { format: string }) => `--map is ignored: ${p.format} has fixed column names`,
  readSectionsInactive: (p: { n: number }) => `${p.n} ${plural(p.n, 'section', 'sections')} not Active left out`,
  readPeopleNotActive: (p: { n: number }) => `${p.n} ${plural(p.n, 'person is', 'people are')} not Active (no relation)`,
  readSectionStrangers: (p: { n: number }) => `sections name ${p.n} ${plural(p.n, 'SIS ID', 'SIS IDs')} that are in neither Student.csv nor Teacher.csv`,
  readNoClasses: () => 'no classes.csv or enrollments.csv: no groups',
  readUsersWithoutRole: (p: { n: number }) => `${p.n} ${plural(p.n, 'user', 'users')} without a student or staff role (guardians, parents) left out`,
  readRolesUnknown: (p: { roles: string[] }) => `roles not known, left out: ${p.roles.join(', ')}`,
  readOneRosterVersion: (p: { version: string }) => `oneroster.version is ${p.version}; this source reads OneRoster 1.1`,
  readManifestMode: (p: { name: string; value: string }) => `file.${p.name} is "${p.value}": expected bulk, delta or absent`,
  readManifestFileMissing: (p: { name: string; mode: string }) => `manifest.csv says file.${p.name} is ${p.mode}, but there is no ${p.name}.csv`,
  readNoUsers: () => 'file.users is absent: the export holds no users',
  readManifestSilent: (p: { name: string }) => `manifest.csv does not say file.${p.name}: read as bulk`,
  readUsersDisabled: (p: { n: number }) => `${p.n} ${plural(p.n, 'user', 'users')} with enabledUser false (no relation)`,
  readUsersToBeDeleted: (p: { n: number }) => `${p.n} ${plural(p.n, 'user', 'users')} marked tobedeleted (no relation)`,
  readNamedById: (p: { ids: string[] }) => `not in this export, named by sourcedId: ${p.ids.join(', ')}`,
  readEnrollmentStrangers: (p: { n: number; delta: boolean }) =>
    p.delta
      ? `enrollments of ${p.n} ${plural(p.n, 'user', 'users')} who are not in this delta's users.csv: their groups change at the next bulk export`
      : `enrollments of ${p.n} ${plural(p.n, 'user', 'users')} who are not in users.csv`,
  readZipTwice: (p: { name: string; entry: string }) => `the archive holds ${p.name} twice (${p.entry})`,
  readZipBomb: (p: { name: string; ratio: number; compressed: number; size: number; max: number }) =>
    `${p.name} in the zip archive would inflate ${p.ratio} times (${p.compressed} to ${p.size} bytes; at most ${p.max} times is read): is it a zip bomb?`,
  readZipTooLarge: (p: { mb: number }) =>
    `the entries of the zip archive hold more than ${p.mb} MB together, which basishub does not read; unzip it and give the folder`,
  readZipNoEnd: () => 'not a zip archive (no end of central directory): is the file complete?',
  readZip64: () => 'a ZIP64 archive, which basishub does not read; unzip it and give the folder',
  /** `name`: the entry, where one is cut off. */
  readZipTruncated: (p: { name: string | null }) => `the zip archive is truncated${p.name === null ? '' : ` (${p.name})`}`,
  /** `name` null: the central directory is damaged, else the local header of that entry. */
  readZipDamaged: (p: { name: string | null }) => `the zip archive is damaged (${p.name === null ? 'central directory' : `local header of ${p.name}`})`,
  readZipEncrypted: (p: { name: string }) => `${p.name} in the zip archive is encrypted`,
  readZipMethod: (p: { name: string; method: number }) => `${p.name} in the zip archive uses compression method ${p.method} (only stored and deflate are read)`,
  readZipEntryTooLong: () => 'the entry holds more bytes than the zip directory says',
  readZipEntryDamaged: () => 'the entry is damaged (size or CRC-32 does not match)',
};

/** The readers' texts, in every language (nl.ts has its own). */
export type ReaderTexts = Pick<Catalogue, keyof typeof readerTexts>;

export const en = {
  ...readerTexts,
  // ---- framing of messages and errors (src/cli/output.ts) ----------------------------------------
  errorLabel: () => 'Error',
  unexpected: (p: { message: string }) => `Unexpected error: ${p.message}`,
  bugHint: () => 'This is a bug in basishub; run with BASISHUB_DEBUG=1 for the stack trace.',
  progressRecords: (p: { phase: string; done: string }) => `${p.phase}… ${p.done} records`,
  phaseReading: (p: { source: string }) => `reading ${p.source}`,
  phasePlanning: () => 'planning',
  phaseApplying: () => 'applying',
  phaseIndexing: () => 'indexing',
  phaseReverting: () => 'reverting',
  phaseBackingUp: () => 'backing up',
  interrupted: () => 'Interrupted; nothing was changed.',
  cancelled: () => 'Cancelled; nothing was changed.',

  // ---- language and usage (src/cli/main.ts, program.ts) ------------------------------------------
  badLang: (p: { value: string }) => `--lang must be nl or en, not "${p.value}".`,
  badLangHint: () => 'Pass --lang nl (Nederlands) or --lang en (English).',
  usageHint: () => 'See `basishub --help` or `basishub <command> --help`.',
  hubBusy: () => 'The hub is busy: a sync is writing to it. Nothing was changed.',
  hubBusyHint: () => 'Try again when the sync has finished (see `basishub sync history`).',
  wholeNumber: (p: { flag: string; min: number; max: number }) =>
    `${p.flag} must be a whole number${p.min === 0 ? ', 0 or more' : ` of at least ${num(p.min)}`}, at most ${num(p.max)}.`,
  contradict: (p: { flags: string[] }) => `${p.flags.join(' and ')} contradict each other.`,
  passOne: () => 'Pass one of them.',
  noCommand: (p: { words: string }) => `No command "${p.words}".`,
  noCommandHint: () => 'See the commands with `basishub help`.',
  jsonNeedsCommand: () => 'Which command? Under --json stdout holds one JSON document, so a command without its subcommand prints no help there.',
  noCompletion: (p: { shell: string }) => `No completion for "${p.shell}".`,
  passOneOf: (p: { values: string }) => `Pass one of: ${p.values}.`,

  // ---- help (commander's own texts, the global options, examples) --------------------------------
  helpTitle: (p: { title: string }) => p.title,
  helpOption: () => 'display help for command',
  versionOption: () => 'output the version number',
  helpDefault: (p: { value: string }) => `default: ${p.value}`,
  helpExamples: () => 'Examples:',
  helpRules: (p: { file: string }) => `Rule numbers in messages (R1–R18) are explained in ${p.file}.`,
  programDescription: () => "Keeps a school foundation's accounts in line with its source systems, and protects the accounts that must stay.",
  optDb: () => 'the database file (else env BASISHUB_DB, else ./basishub.db)',
  optJson: () => 'machine output: exactly one JSON document on stdout; no colour, prompts or progress',
  optActor: () => 'who acts, for the audit trail (else env BASISHUB_ACTOR, else the OS user)',
  optNoInput: () => 'never prompt; a missing value is a usage error (implied without a TTY and by --json)',
  optYes: () => 'answer yes to every confirmation',
  optNoColor: () => 'no colour (also with NO_COLOR set or when output is not a TTY)',
  optLang: () => 'the language people read: nl or en (else env BASISHUB_LANG, else LANG beginning with nl → Dutch)',
  cmdHelp: () => 'help for a command, e.g. `basishub help exceptions add`',
  cmdCompletion: () => 'print a shell completion script: bash, zsh or fish (see the README for installing it)',
  /** Command descriptions by command path ("exceptions add"); a path missing here keeps its own English text. */
  commands: (): Record<string, string> => ({}),
  /** Option descriptions by "command path|--flag"; a flag missing here keeps its own English text. */
  options: (): Record<string, string> => ({}),
  /** Examples' explanations: English text → this language's text. */
  examples: (): Record<string, string> => ({}),
  helpCommandText: () => 'display help for command',
  /** The longer help after the options of `exceptions review` and `exceptions import`. */
  reviewHelp: () =>
    `Groups: listed for --older-than days or longer; listed but offered by no source (and since when); lapsed
since the previous review; offered by a source again after the list kept them (changing the entry with
\`exceptions edit\` records the decision to keep it); end date passed but no sync has run since.
A review is recorded as the previous review (in the hub's meta data, not the audit trail: it changes no
data and does not invalidate an approved sync plan). "pending" counts each account once.`,
  importHelp: () =>
    `CSV: comma or semicolon (detected), UTF-8 with or without BOM, a header naming the columns (any case;
other columns, such as those of an export, are ignored). JSON: an array of objects. user is an account
id, email address or source:externalId. An empty until removes an entry's end date; without an until
column, listed entries keep theirs. Problems are reported by physical line (CSV) or by element number,
counting from 1 (JSON). A leading ' that \`exceptions export\` put before = + - @ is removed again.`,

  // ---- sync summary and changes (src/cli/render.ts, commands/sync.ts) ----------------------------
  group: (p: { action: string }): string =>
    ({
      create: 'Created',
      update: 'Updated',
      relink: 'Relinked',
      revive: 'Revived',
      lapse: 'Lapsed from the exception list',
      pending: 'Pending deletion (grace period)',
      delete: 'Deleted',
      protect: 'Protected by the exception list',
      conflict: 'Conflicts (nothing created or linked)',
      keep: 'Left alone by the revert',
    })[p.action] ?? p.action,
  count: (p: { key: string; n: number }): string =>
    ({
      created: 'created',
      updated: 'updated',
      relinked: 'relinked',
      revived: 'revived',
      deleted: 'deleted',
      protected: 'protected',
      conflicts: 'conflicts',
      pending: 'pending',
      lapsed: 'lapsed',
      unchanged: 'unchanged',
      kept: 'left alone (changed since)',
      notRevertible: 'cannot be undone',
    })[p.key] ?? p.key,
  noChanges: () => 'no changes',
  andMore: (p: { n: string; hint: string | null }) => `… and ${p.n} more${p.hint ? ` (${p.hint})` : ''}`,
  /**
   * The details of changes, one text per template of src/engine/describe.ts (same slots, `{name}`): the
   * engine stores them in English (the audit trail, --json); a terminal shows them in this language.
   */
  detailTexts: (): Record<DetailKind, string> => ENGLISH_DETAILS.texts,
  /** The words of a detail's closed vocabulary (roles, attributes, settings, statuses…). */
  detailWords: (): Record<DetailWord, string> => ENGLISH_DETAILS.words,
  /** How a detail joins alternatives, and dates a relation. */
  detailJoin: () => ({ and: ENGLISH_DETAILS.and, from: ENGLISH_DETAILS.from, until: ENGLISH_DETAILS.until }),
  dryRunTitle: () => 'Dry run',
  nothingChanged: () => ' — nothing was changed',
  runCompleted: (p: { runId: number | null }) => `Sync run ${p.runId} completed`,
  forcedPast: () => ' (forced past the safety limits)',
  approvedPlan: (p: { plan: string }) => ` (approved plan ${p.plan})`,
  fileLine: (p: { source: string; path: string; records: string; checksum: string }) => `  ${p.source}: ${p.path} — ${p.records} records, sha256 ${p.checksum}`,
  settingsChanged: (p: { what: string }) => `  Settings changed since the last sync, so their sources' accounts are evaluated again: ${p.what}.`,
  backupFirst: (p: { output: string; pruned: number }) =>
    `  backup first: ${p.output}${p.pruned ? ` (${p.pruned} older ${plural(p.pruned, 'copy', 'copies')} removed)` : ''}`,
  planLine: (p: { plan: string }) => `\nPlan ${p.plan}. Run without --dry-run to apply it.`,
  planWouldStop: (p: { plan: string; reasons: string; approve: string }) =>
    `\nPlan ${p.plan}. A sync would stop here (exit 4, changing nothing): ${p.reasons}. If the plan is right, apply exactly this plan with \`${p.approve}\` (or allow more with --max-deletes <n>).`,
  noRunsYet: () => 'No sync has run yet. Start one with `basishub sync run --dry-run`.',
  noRun: (p: { id: string }) => `No sync run ${p.id}.`,
  noRunHint: () => 'See the runs with `basishub sync history`.',
  badOverride: (p: { value: string }) => `--source "${p.value}" is not name=path.`,
  runStatus: (p: { status: string }) => ({ completed: 'completed', stopped: 'stopped' })[p.status] ?? p.status,
  runFlags: (p: { dryRun: boolean; forced: boolean; approved: boolean; reverts: number | null }) =>
    (p.dryRun ? ' (dry run)' : '') +
    (p.forced ? ' (forced)' : '') +
    (p.approved ? ' (approved)' : '') +
    (p.reverts !== null ? ` (revert of run ${p.reverts})` : ''),
  showTitle: (p: { runId: number }) => `Sync run ${p.runId}`,
  showStopped: () => ' (nothing was changed; below is what it planned)',
  showStarted: (p: { started: string; actor: string; finished: string | null }) =>
    `  started ${p.started} by ${p.actor}${p.finished ? `, finished ${p.finished}` : ''}`,
  showReverts: (p: { runId: number }) => `  a revert of sync run ${p.runId}`,
  showStop: (p: { stopped: boolean; reason: string }) => `  ${p.stopped ? 'stopped' : 'safety'}: ${p.reason}`,
  showPlan: (p: { plan: string; approve: string | null }) => `  plan ${p.plan}${p.approve ? `  (apply it with: ${p.approve})` : ''}`,

  // ---- account references and accounts (src/app/refs.ts, users.ts) -------------------------------
  noName: () => '(no name)',
  deletedMark: () => '[deleted]',
  emptyRef: () => 'An empty user reference was given.',
  emptyRefHint: () => 'Pass an account id, an email address or source:externalId.',
  noSourceNamed: (p: { source: string; ref: string }) => `No source named "${p.source}" (in the reference "${p.ref}").`,
  seeSources: () => 'See the sources with `basishub sources list`.',
  notARef: (p: { ref: string }) => `"${p.ref}" is not an account id, an email address or source:externalId.`,
  findAccountHint: () => 'Find the account with `basishub users list --search <name>`.',
  noMatch: (p: { ref: string }) => `No account matches "${p.ref}".`,
  noMatchHint: () => 'Find the account with `basishub users list --search <name>` (deleted ones: --status deleted).',
  ambiguous: (p: { ref: string; n: number; list: string }) => `"${p.ref}" matches ${p.n} accounts: ${p.list}.`,
  ambiguousHint: () => 'Pass the account id (#…) instead.',
  editDeleted: (p: { account: string }) => `${p.account} is deleted; a deleted account cannot be edited.`,
  restoreFirst: (p: { id: number }) => `Restore it first with \`basishub users restore ${p.id}\`.`,
  nothingToChangeUser: () => 'Nothing to change.',
  nothingToChangeUserHint: () => 'Pass --given-name, --prefix, --family-name or --email.',
  notEmail: (p: { value: string }) => `"${p.value}" is not an email address.`,
  emptyFamilyName: () => 'The family name cannot be empty.',
  ownedBySource: (p: { account: string; sources: string; listed: boolean }) =>
    `${p.account} is owned by ${p.sources || 'its source'}: the next sync will overwrite this change with what the source says${p.listed ? ' (being on the exception list does not change that while a source offers it)' : ''}. Change it in the source system instead.`,
  editAnyway: () => 'Change it in the hub anyway?',
  editRefusal: (p: { account: string }) => `${p.account} is owned by its source; the next sync would overwrite the change.`,
  emailTaken: (p: { email: string; holders: string }) => `${p.email} is the email address of ${p.holders}; an address belongs to one active account.`,
  emailTakenHint: (p: { n: number }) =>
    `Change or remove ${p.n === 1 ? "that account's address" : "those accounts' addresses"} first, or choose another address. Nothing was changed.`,
  alreadyDeleted: (p: { account: string; at: string }) => `${p.account} is already deleted (${p.at}).`,
  alreadyDeletedHint: (p: { id: number }) => `See it with \`basishub users show ${p.id}\`; restore it with \`basishub users restore ${p.id}\`.`,
  stillOffered: (p: { account: string; by: string }) =>
    `${p.account} is still offered by ${p.by}: the next sync will restore it, unless another active account holds its address by then (that sync then reports a conflict naming it and leaves this one deleted). To remove the person for good, remove them in the source system.`,
  deleteTakesOff: (p: { account: string; reason: string }) => `${p.account} is on the exception list (${p.reason}); deleting it takes it off the list (R7).`,
  deleteQuestion: (p: { account: string }) => `Delete ${p.account}?`,
  deleteRefusal: (p: { account: string }) => `Deleting ${p.account} needs a confirmation.`,
  notDeleted: (p: { account: string }) => `${p.account} is not deleted, so there is nothing to restore.`,
  purgeDays: () => '--older-than must be a whole number of days, at least 1.',
  purgeWarn: (p: { n: number; before: string }) =>
    `${p.n} ${plural(p.n, 'account', 'accounts')} deleted before ${p.before} will be erased for good: they cannot be restored or revived afterwards.`,
  purgeQuestion: (p: { n: number }) => `Erase ${p.n} ${plural(p.n, 'account', 'accounts')} for good?`,
  purgeRefusal: (p: { n: number }) => `Purging erases ${p.n} ${plural(p.n, 'account', 'accounts')} for good.`,
  refusedNothingChanged: (p: { refusal: string }) => `${p.refusal} Nothing was changed.`,
  refusedHint: (p: { flag: string }) => `Without a terminal nothing can be asked: pass ${p.flag} to do it anyway.`,

  // ---- users commands ----------------------------------------------------------------------------
  statusValue: (p: { value: string }) => `--status must be active or deleted, not "${p.value}".`,
  ownerValue: (p: { value: string }) => `--owner must be source or hub, not "${p.value}".`,
  noActiveMatch: () => 'No active accounts match (deleted ones: --status deleted or --all).',
  noAccountsMatch: () => 'No accounts match.',
  usersCount: (p: { shown: number; total: number; estimated: boolean; status: 'active' | 'deleted' | undefined }) => {
    const what = (n: number) =>
      p.status === 'deleted'
        ? plural(n, 'deleted account', 'deleted accounts')
        : p.status === 'active'
          ? plural(n, 'active account', 'active accounts')
          : plural(n, 'account', 'accounts');
    if (p.estimated) return `${num(p.shown)} of about ${num(p.total)} ${what(p.total)}`;
    return p.shown < p.total ? `${num(p.shown)} of ${num(p.total)} ${what(p.total)}` : `${num(p.total)} ${what(p.total)}`;
  },
  userStatusCell: (p: { status: 'active' | 'deleted'; deletedAt: string; notOfferedSince: string }) =>
    p.status === 'deleted' ? `deleted ${p.deletedAt}` : p.notOfferedSince ? `not offered since ${p.notOfferedSince}` : 'active',
  ownerCell: (p: { owner: string }) => p.owner,
  roleCell: (p: { role: string }) => p.role,
  inactiveLink: () => ' (inactive)',
  listedCell: () => 'listed',
  onListMark: () => ' [on the exception list]',
  field: (p: { name: 'email' | 'name' | 'role' | 'status' | 'owner' | 'offered' | 'links' | 'relations' | 'created' | 'exception' }) => p.name,
  none: () => '(none)',
  statusLine: (p: { status: 'active' | 'deleted'; since: string; cause: string }) => `${p.status}${p.since ? ` since ${p.since} (${p.cause})` : ''}`,
  ownerLine: (p: { owner: 'hub' | 'source' }) => (p.owner === 'hub' ? 'hub (change it here)' : 'source (change it in the source system)'),
  offeredLine: (p: { since: string; listed: boolean }) => `no source offers it since ${p.since}${p.listed ? ' — kept by the list' : ' — pending deletion'}`,
  notOfferedLink: () => ' (not offered)',
  noLinks: () => 'none (a hub account)',
  createdLine: (p: { created: string; updated: string }) => `${p.created}   updated ${p.updated}`,
  exceptionLine: (p: { reason: string; until: string; added: string; by: string }) =>
    `${p.reason}${p.until ? ` (until ${p.until})` : ''} — added ${p.added} by ${p.by}`,
  recentHistory: () => 'Recent history',
  userUnchanged: () => 'Nothing changed: the account has these values already.',
  userChanged: (p: { fields: string[]; id: number; name: string }) => `Changed ${p.fields.join(', ')} of #${p.id} ${p.name}.`,
  userDeleted: (p: { id: number; name: string; wasListed: boolean }) =>
    `#${p.id} ${p.name} moved to Deleted users${p.wasListed ? ' and taken off the exception list' : ''}.`,
  willRestore: () => 'A source still offers it: the next sync will restore it, unless another active account holds its address by then (then a conflict).',
  userRestored: (p: { id: number; name: string }) =>
    `#${p.id} ${p.name} restored. It is a hub account now: no source link, not on the exception list, never deleted by a sync.`,
  noPurge: (p: { days: number }) => `No account has been deleted for more than ${p.days} days.`,
  wouldPurge: (p: { n: number }) => `${p.n} ${plural(p.n, 'account', 'accounts')} would be erased. Run without --dry-run to erase them.`,
  purged: (p: { n: number; before: string }) => `Erased ${p.n} ${plural(p.n, 'account', 'accounts')} deleted before ${p.before}.`,

  // ---- table headers on a terminal (piped, tab-separated output keeps the English words) ---------
  head: (p: { name: string }) => p.name,

  // ---- the exception list ------------------------------------------------------------------------
  reasonRequired: () => 'A reason is required, so that any coordinator can later see why the account is on the list (R6).',
  reasonRequiredHint: () => 'Pass --reason "<why>".',
  reasonRequiredShort: () => 'A reason is required (R6): pass --reason "<why>".',
  reasonRequiredPrompt: () => 'A reason is required (R6).',
  listDeleted: (p: { account: string }) => `${p.account} is deleted and cannot be put on the list.`,
  listDeletedHint: () => 'A deleted account has nothing to protect.',
  alreadyListed: (p: { account: string; since: string; by: string; reason: string }) =>
    `${p.account} is on the list already (since ${p.since}, by ${p.by}: ${p.reason}).`,
  alreadyListedHint: (p: { id: number }) => `Change the entry with \`basishub exceptions edit ${p.id} --reason "…"\`.`,
  noSourceLink: (p: { account: string }) =>
    `${p.account} has no source link, so it cannot be put on the list: the list protects accounts against deletion by a source, and no source drives this account.`,
  noSourceLinkHint: () => 'A sync never deletes an account without a source link (for example one restored from Deleted users), so it needs no protection.',
  untilPast: (p: { label: string | undefined; date: string }) =>
    `${p.label ? `${p.label} ` : 'The end date '}${p.date} lies in the past; the entry would lapse at the next sync.`,
  notADate: (p: { label: string | undefined; value: string }) =>
    `${p.label ? `${p.label} ` : ''}"${p.value}" is not a date: type it as YYYY-MM-DD or dd-mm-yyyy (2027-01-31 or 31-01-2027).`,
  noSuchDate: (p: { label: string | undefined; value: string }) => `${p.label ? `${p.label} ` : ''}"${p.value}" is not a date that exists.`,
  whichAccount: () => 'Which account? Pass <user> (an account id, email address or source:externalId).',
  whichAccountHint: () => 'Without a terminal nothing can be asked: `basishub exceptions add <user> --reason "…"`.',
  pickAccount: () => 'Which account? Type part of a name, email, id or a reference such as hr:10234',
  typeMore: (p: { n: number }) => `  Type at least ${p.n} letters.`,
  askReason: () => 'Reason (why must this account stay?)',
  askUntil: () => 'End date (YYYY-MM-DD or dd-mm-yyyy, empty for none)',
  confirmAdd: (p: { account: string; until: string }) => `Put ${p.account} on the exception list${p.until ? ` until ${p.until}` : ''}?`,
  pickerNoSource: () => 'no source',
  pickerNoRole: () => 'no role',
  pickerDescription: (p: { id: number; role: string; owner: string }) => `#${p.id}, ${p.role}, owner ${p.owner}`,
  pickerDeleted: (p: { at: string; cause: string }) => `deleted ${p.at}${p.cause ? ` (${p.cause})` : ''}`,
  pickerListed: () => 'on the list already',
  pickerNoLink: () => 'no source link (R9)',
  notListed: (p: { account: string }) => `${p.account} is not on the exception list.`,
  notListedHint: (p: { id: number }) => `Put it on the list with \`basishub exceptions add ${p.id} --reason "…"\`.`,
  nothingToChange: () => 'Nothing to change.',
  nothingToChangeHint: () => 'Pass --reason, --until <YYYY-MM-DD> or --no-until.',
  removeWarn: (p: { account: string; since: string }) =>
    `No source offers ${p.account}${p.since ? ` (since ${p.since})` : ''}: once it is off the list, the next sync deletes it.`,
  removeQuestion: (p: { account: string }) => `Take ${p.account} off the list, so that the next sync deletes it?`,
  removeRefusal: (p: { account: string }) => `Taking ${p.account} off the list means the next sync deletes it.`,
  added: (p: { id: number; name: string; until: string }) =>
    `#${p.id} ${p.name} is on the exception list${p.until ? ` until ${p.until}` : ''}: a sync will not delete it.`,
  addedNotOffered: () => 'No source offers it now: the hub owns it while it is listed (change it with `basishub users edit`).',
  listEmpty: (p: { filtered: boolean }) => `The exception list is empty${p.filtered ? ' for this filter.' : '.'}`,
  entries: (p: { n: number }) => `${num(p.n)} ${plural(p.n, 'entry', 'entries')}`,
  /** A page of a long list or run: which part is shown, and the command for the next part or for all. */
  pageShown: (p: { from: number; to: number; total: number; what: 'entries' | 'changes'; next: string | null }) =>
    `${p.to < p.from ? `none from ${num(p.from)} on` : `${num(p.from)}–${num(p.to)}`} of ${num(p.total)} ${p.what === 'entries' ? plural(p.total, 'entry', 'entries') : plural(p.total, 'change', 'changes')}${p.next ? ` (next: ${p.next}; all: --all)` : ''}`,
  entryUnchanged: () => 'Nothing changed: the entry has these values already.',
  entryField: (p: { field: string }): string => p.field,
  entryChanged: (p: { fields: string[]; id: number; name: string }) => `Changed the ${p.fields.join(' and ')} of #${p.id} ${p.name}'s entry.`,
  removed: (p: { id: number; name: string }) => `#${p.id} ${p.name} is off the exception list.`,
  offeredCell: () => 'offered',
  notOfferedCell: (p: { since: string }) => `not offered${p.since ? ` since ${p.since}` : ''}`,
  lapsedCell: (p: { until: string }) => `${p.until} (lapsed)`,
  addedByCell: (p: { by: string; at: string }) => `${p.by} ${p.at}`,
  exportDelimiterCsvOnly: () => '--delimiter applies to CSV only.',
  exportDelimiterCsvOnlyHint: () => 'Drop --delimiter, or pass --format csv.',
  exportCsvJson: () => 'With --json, stdout holds one JSON document, so the CSV cannot go there.',
  exportCsvJsonHint: () => 'Pass --output <file> for the CSV, or --format json.',
  exported: (p: { n: number; file: string; csv: boolean; delimiter: string | null }) =>
    `Exported ${num(p.n)} ${plural(p.n, 'entry', 'entries')} to ${p.file} (${p.csv ? `CSV, UTF-8 with BOM, delimiter "${p.delimiter}"` : 'JSON'}; readable by you only).`,
  importCounts: (p: { added: number; updated: number; unchanged: number; dryRun: boolean }) =>
    `${p.added} ${p.dryRun ? 'to add' : 'added'}, ${p.updated} ${p.dryRun ? 'to update' : 'updated'}, ${p.unchanged} unchanged`,
  importDryRun: (p: { file: string; counts: string }) => `Dry run of ${p.file}: ${p.counts}. Nothing was written.`,
  imported: (p: { file: string; counts: string }) => `Imported ${p.file}: ${p.counts}.`,
  importAction: (p: { add: boolean; dryRun: boolean; changed: string }) =>
    p.add ? (p.dryRun ? 'add' : 'added') : `${p.dryRun ? 'update' : 'updated'} ${p.changed}`,

  // ---- review (R10) ------------------------------------------------------------------------------
  reviewTitle: () => 'Review of the exception list',
  reviewPrevious: (p: { today: string; previous: string | null }) => ` — ${p.today}; previous review: ${p.previous ?? 'none'}`,
  reviewGroup: (p: { group: string; days: number }): string =>
    ({
      longListed: `Listed ${p.days} ${plural(p.days, 'day', 'days')} or longer`,
      notOffered: 'Listed, but no source offers them: they stay only because of the list',
      lapsed: 'Lapsed since the previous review (their end date passed; a sync took them off the list)',
      offeredAgain: 'Offered by a source again: protection may no longer be needed',
      pastUntil: 'End date passed, still listed until the next sync',
    })[p.group] ?? p.group,
  reviewAdvice: (p: { group: string }): string =>
    ({
      longListed:
        'Still needed? Take it off with `basishub exceptions remove <id>`, or record why it stays with `basishub exceptions edit <id> --reason "…" --until <YYYY-MM-DD>`.',
      notOffered: 'Take it off with `basishub exceptions remove <id>` (the next sync deletes it), or delete it now with `basishub users delete <id>`.',
      lapsed:
        'Still needed? Put it back with `basishub exceptions add <id> --reason "…" --until <YYYY-MM-DD>`; a deleted account first with `basishub users restore <id>`.',
      offeredAgain:
        'Take it off with `basishub exceptions remove <id>`; to keep it, change its reason or end date with `basishub exceptions edit <id>` (that records the decision).',
      pastUntil: 'The next `basishub sync run` takes it off the list. To keep it: `basishub exceptions edit <id> --until <YYYY-MM-DD>` or `--no-until`.',
    })[p.group] ?? '',
  reviewNone: () => 'none',
  unknown: () => 'unknown',
  lapsedInRun: (p: { runId: number }) => ` (sync run ${p.runId})`,
  listedAgain: () => 'listed again',
  deletedCell: () => 'deleted',
  activeNotListed: () => 'active, not listed',
  reviewClear: () => 'Nothing on the exception list needs a decision.',
  reviewPending: (p: { n: number }) => `${p.n} ${plural(p.n, 'account needs', 'accounts need')} a decision.`,
  reviewNotRecorded: () => 'Not recorded as a review (--no-record).',

  // ---- demo --------------------------------------------------------------------------------------
  demoNight: (p: { night: number; date: string }) => `Night ${p.night} — ${p.date}`,
  demoStory: (p: { night: number }): string[] =>
    ({
      1: [
        'The first sync: HR (AFAS), the pupil administration (ParnasSys) and Basispoort.',
        'Basispoort staff are matched to the HR accounts by email: one account each, linked to both (R11, R12).',
      ],
      2: [
        'A pupil joins, another leaves; Anouk de Graaf marries and is now Jansen-de Graaf.',
        'Fatima el Amrani (substitute pool) is between contracts: gone from HR and Basispoort, but she is on the list.',
        'Lotte Vermeulen is registered without a group: not offered, so no account (R2).',
      ],
      3: ['Petra Smit leaves the foundation; Saar Jacobs moves to Groep 6; Fatima is still between contracts.'],
      4: ['Fatima has a new contract at RKBS Sint Jozef: HR offers her again and she is matched back, not duplicated (R5).'],
      5: ['Fatima is gone from HR again, and no longer on the list: this night deletes her account (R7).'],
    })[p.night] ?? [],
  demoAction: (p: { step: string }): { title: string; result: string } =>
    ({
      protect: { title: 'The coordinator protects the substitute teacher', result: 'Fatima el Amrani is on the exception list.' },
      rename: { title: 'Fatima married: the hub owns her account now (R4), so the coordinator renames her in the hub', result: 'Changed familyName.' },
      unlist: { title: 'Her new contract is known; the coordinator takes her off the list (R7)', result: 'Fatima el Amrani-Bakker is off the exception list.' },
    })[p.step] ?? { title: p.step, result: '' },
  demoExplore: () => 'Explore the demo hub:',
  exportHint: () => 'Nothing was changed. Fix or replace the export and run again.',
  attribute: (p: { name: string }) => p.name,
  stopDeletes: (p: { n: number; per: { source: string; n: number }[]; max: number }) =>
    `it would delete ${num(p.n)} accounts (${p.per.map((x) => `${num(x.n)} linked to ${x.source}`).join(', ')}), more than the limit of ${num(p.max)}`,
  stopDrop: (p: { source: string; before: number; after: number; runId: number }) =>
    `source ${p.source} fell from ${num(p.before)} to ${num(p.after)} records since run ${p.runId}`,
  syncStopped: (p: { reasons: string }) => `Sync stopped: ${p.reasons}. Nothing was changed.`,
  syncStoppedHint: (p: { runId: number; approve: string }) =>
    `Review the plan with \`basishub sync show ${p.runId}\`; if it is right, apply exactly this plan with \`${p.approve}\` (or allow more with --max-deletes <n>).`,
  planMismatch: (p: { approved: string; plan: string }) =>
    `Plan ${p.approved} no longer matches: the exports or the hub changed since it was reviewed (the plan is now ${p.plan}). Nothing was changed.`,
  planMismatchHint: () => 'Review the new plan with `basishub sync run --dry-run`, then approve it.',
  noSources: () => 'No sources are registered, so there is nothing to sync.',
  noSourcesHint: () => 'Add one with `basishub sources add <name> --file <export>`.',
  noSource: (p: { name: string }) => `No source named "${p.name}".`,
  theSourcesAre: (p: { names: string }) => `The sources are: ${p.names}.`,
  schemaNewer: (p: { file: string; version: number; known: number }) =>
    `${p.file} has schema version ${p.version}, newer than this basishub knows (${p.known}).`,
  schemaNewerHint: () => 'Upgrade basishub; this version will not touch a newer hub.',
  noDatabase: (p: { file: string }) => `No basishub database at ${p.file}.`,
  noDatabaseHint: () => 'Create one with `basishub init`, or point to yours with --db <path> or BASISHUB_DB.',
  notAFile: (p: { file: string }) => `${p.file} is not a file.`,
  notAHub: (p: { file: string }) => `${p.file} is not a basishub database; refusing to touch it.`,
  notAHubHint: () => 'Pass the path of your hub with --db, or create a new one with `basishub init --db <new path>`.',
  notAHubBecause: (p: { file: string; why: string }) => `${p.file} is not a basishub database (${p.why}).`,
  notAHubBecauseHint: () => 'Pass the path of your hub with --db.',
  syncLocked: (p: { actor: string; since: string; pid: number; host: string }) =>
    `Another sync is running: started by ${p.actor} at ${p.since} (process ${p.pid} on ${p.host}).`,
  syncLockedHint: () => 'Wait for it to finish; this run changed nothing. A lock left by a killed sync is taken over automatically.',
  commanderError: (p: { message: string }): string => p.message,
  hubCreated: (p: { path: string }) => `Created the hub at ${p.path} (readable by you only).`,
  hubExists: (p: { path: string }) => `${p.path} is a basishub hub already; nothing changed.`,
  hubNext: () => 'Next: register a source with `basishub sources add <name> --file <export>`.',
  noAudit: () => 'No audit entries match.',
  sourceAdded: (p: { name: string }) => `Source ${p.name} added.`,
  checkSource: (p: { name: string }) => `Check the export with \`basishub sources check ${p.name}\`.`,
  noSourcesYet: () => 'No sources yet. Add one with `basishub sources add <name> --file <export>`.',
  sourceUnchanged: (p: { name: string }) => `Nothing changed: source ${p.name} has these settings already.`,
  sourceChanged: (p: { name: string; changes: string }) => `Source ${p.name} changed: ${p.changes}.`,
  sourceEvaluatedAgain: (p: { n: number }) =>
    `The next sync evaluates its ${num(p.n)} linked record(s) again; \`basishub sync run --dry-run\` shows what changes.`,
  sourceRemoved: (p: { name: string; unlinked: number }) => `Source ${p.name} removed${p.unlinked ? ` (${num(p.unlinked)} links removed)` : ''}.`,
  checkFoundProblems: (p: { n: number; sources: string }) =>
    `${num(p.n)} ${plural(p.n, 'problem', 'problems')} in the export of ${p.sources} (listed above): a sync would refuse it and change nothing.`,
  checkCounts: (p: { records: number; rows: number; notOffered: number }) =>
    `  ${num(p.records)} records in ${num(p.rows)} rows; ${num(p.notOffered)} not offered (no current relation)`,
  moreOrganisations: (p: { n: number }) => `  … and ${num(p.n)} more organisations`,
  backupWritten: (p: { output: string; size: string }) => `Backup written to ${p.output} (${p.size}, readable by you only).`,
  backupCheck: (p: { output: string }) =>
    `Check it with \`basishub check --db ${p.output}\`; to restore it, see "Backups" in the README (the hub's -wal and -shm files must go too).`,
  notSet: () => '(not set)',
  settingRemoved: (p: { name: string }) => `${p.name} removed`,
  revertTitleDry: (p: { runId: number }) => `Revert of sync run ${p.runId}`,
  revertDryNote: () => ' — dry run, nothing was changed',
  revertNothing: (p: { runId: number }) => `Nothing to revert in sync run ${p.runId}`,
  revertNothingNote: () => ' — every account it changed is as before it, or was changed since',
  revertDone: (p: { runId: number; revertOf: number }) => `Sync run ${p.runId} completed: a revert of sync run ${p.revertOf}`,
  revertForced: () => ' (forced over later changes)',
  revertPartial: (p: { runId: number }) =>
    `  Run ${p.runId} was recorded before basishub kept what a revert needs: only created accounts and attribute changes can be undone.`,
  revertApply: (p: { runId: number; kept: boolean }) =>
    `\nRun \`basishub sync revert ${p.runId} --yes\` to apply it${p.kept ? ', with --force to revert the accounts changed since too' : ''}.`,
  revertStopped: (p: { runId: number }) => `Sync run ${p.runId} stopped at a safety limit and changed nothing, so there is nothing to revert.`,
  revertStoppedHint: (p: { runId: number }) => `See what it planned with \`basishub sync show ${p.runId}\`.`,
  revertUnfinished: (p: { runId: number }) => `Sync run ${p.runId} has not finished.`,
  revertNeedsYes: (p: { runId: number }) => `Reverting sync run ${p.runId} changes accounts; without a terminal to confirm it on, it needs --yes.`,
  revertNeedsYesHint: (p: { runId: number }) =>
    `Review it with \`basishub sync revert ${p.runId} --dry-run\`, then run \`basishub sync revert ${p.runId} --yes\`.`,
  revertHubChanged: () => 'The hub changed while the revert was being confirmed; nothing was changed.',
  revertHubChangedHint: (p: { runId: number }) => `Review it again with \`basishub sync revert ${p.runId} --dry-run\`.`,
  backupDirNeeded: () => 'backup-dir needs a folder.',
  backupKeepNumber: () => 'backup-keep must be a whole number of at least 1.',
  noSetting: (p: { name: string }) => `No setting named "${p.name}".`,
  theSettingsAre: (p: { names: string }) => `The settings are: ${p.names}.`,
  sourcesChangedMeanwhile: () => 'The sources were changed (added, edited or removed) while this sync ran; it changed nothing.',
  sourcesChangedMeanwhileHint: () => 'Run `basishub sync run` again: it reads the exports with the sources as they are now.',
  phaseWriting: () => 'writing',
  phaseReplanning: () => 'the hub changed while planning; planning again',
  phaseChecking: () => 'checking the hub',
  notAHubOpen: (p: { file: string; why: string }) => `${p.file} could not be opened as a basishub database (${p.why}).`,
  notAHubDamagedHint: () => 'Pass the path of your hub with --db. If it is your hub, it is damaged: see `basishub check --db <path>`.',
  controlChar: (p: { label: string; char: string; at: number; why: string }) =>
    `${p.label} holds a control character (${p.char} at position ${p.at}); ${p.why}, so it must be plain text.`,
  controlCharHint: () => 'Type it again without that character.',
  nothingVisible: (p: { label: string; empty: boolean; why: string }) =>
    `${p.label} ${p.empty ? 'is empty' : 'holds nothing visible (only spaces or zero-width characters)'}; ${p.why}.`,
  nothingVisibleHint: () => 'Type readable text.',
  whyActor: () => 'the audit trail must say who acted',
  whyReason: () => 'any coordinator must later be able to read why',
  theReason: () => 'The reason',
  importNotUtf8: (p: { file: string }) => `${p.file} is not UTF-8 text.`,
  importNotUtf8Hint: () => 'Save it as "CSV UTF-8" (Excel) or as UTF-8 JSON.',
  importNoFile: (p: { file: string; code: string; why: string }) =>
    p.code === 'ENOENT' ? `No file ${p.file}.` : p.code === 'EISDIR' ? `${p.file} is a folder, not a file.` : `Cannot read ${p.file}: ${p.why}`,
  importEmpty: (p: { file: string }) => `${p.file} is empty.`,
  importHeaderHint: () => 'The first line must name the columns user,reason,until.',
  importRowsRefused: (p: { file: string; n: number; lines: string }) =>
    `${p.file}: ${num(p.n)} row${p.n === 1 ? '' : 's'} cannot be imported; nothing was written.\n${p.lines}`,
  importRowsRefusedHint: () => 'Fix these rows (or leave them out) and import the file again; the other rows are fine.',
  importWhere: (p: { json: boolean; line: number; user: string }) => `  ${p.json ? 'element' : 'line'} ${p.line}${p.user ? ` (${p.user})` : ''}`,
  importNoUser: () => 'no user: give an account id, email address or source:externalId',
  importTwice: (p: { first: number; json: boolean }) => `the same account as ${p.json ? 'element' : 'line'} ${p.first}: each account may appear only once`,
  sourceNameBad: (p: { name: string }) => `"${p.name}" cannot be a source name.`,
  sourceNameBadHint: () => 'Use letters, digits, dot, dash or underscore (no colon: it separates source and id in user references).',
  sourceExists: (p: { name: string }) => `A source named "${p.name}" exists already.`,
  sourceExistsHint: (p: { name: string }) => `Change it with \`basishub sources edit ${p.name} …\`.`,
  sourceNeedsFile: () => 'sources add needs --file <path of the export>.',
  sourceNotAdded: (p: { problem: string }) => `${p.problem}. The source was not added.`,
  sourceNotAddedHint: () => 'Name the column that identifies a person with `--map externalId=<column>` (and the others with --map <field>=<column>).',
  noSourcesRegistered: () => 'No sources are registered.',
  hubWhole: (p: { file: string }) => `${p.file} is whole: SQLite's integrity check and the hub's rules found nothing wrong.`,
  runRef: (p: { runId: number }) => ` (run ${p.runId})`,
  targetAdded: (p: { name: string }) => `Target ${p.name} added.`,
  targetDryRunHint: (p: { name: string }) => `See what it would get with \`basishub publish --target ${p.name} --dry-run\`.`,
  noTargetsYet: () => 'No targets yet. Add one with `basishub targets add <name> --kind scim|sds-v2.1|oneroster-1.1|csv …`.',
  targetChanged: (p: { name: string }) => `Target ${p.name} changed.`,
  targetMoved: () =>
    'It points somewhere else now: the next publish sends every account again (a SCIM service that has them is matched by externalId, not duplicated).',
  targetRemoved: (p: { name: string }) => `Target ${p.name} removed; the accounts in it were left as they are.`,

  // ---- sources show and edit (src/cli/commands/sources.ts) ---------------------------------------
  sourceLabel: (p: { name: 'file' | 'format' | 'match' | 'priority' | 'grace days' | 'dates' | 'map' | 'links' | 'detected' }): string => p.name,
  sourceCsvFormat: (p: { delimiter: string; encoding: string }) => `, delimiter ${p.delimiter}, encoding ${p.encoding}`,
  sourceMapNone: () => '(column names as the fields)',
  sourceDetected: (p: { delimiter: string; encoding: string; bom: boolean; columns: string }) =>
    `delimiter: ${p.delimiter}; encoding: ${p.encoding}${p.bom ? ' with BOM' : ''}; columns: ${p.columns}`,
  delimiterWord: (p: { name: string }) => p.name,
  settingChange: (p: { setting: string; from: string; to: string }) => `${p.setting} from ${p.from} to ${p.to}`,

  // ---- files a person names, and the disk (src/store/outfile.ts, failures.ts, src/app/backup.ts) --
  outputEmpty: (p: { flag: string }) => `${p.flag} is empty.`,
  outputEmptyHint: () => 'Pass a file name, or - for stdout.',
  outputWhat: (p: { what: string }): string => p.what,
  outputKind: (p: { kind: 'folder' | 'fifo' | 'socket' | 'device' | 'other' }): string =>
    ({ folder: 'a folder', fifo: 'a named pipe (FIFO)', socket: 'a socket', device: 'a device', other: 'not a regular file' })[p.kind],
  outputNotFile: (p: { file: string; kind: string; what: string }) => `${p.file} is ${p.kind}, not a file; refusing to write ${p.what} there.`,
  outputNotFileHint: (p: { flag: string }) => `Pass the name of a regular file to ${p.flag}, or ${p.flag} - for stdout.`,
  protectedFile: (p: { kind: 'hub' | '-wal' | '-shm' | '-journal' | 'attached' | 'open'; file: string }): string =>
    ({
      hub: `the hub database ${p.file}`,
      '-wal': `the hub's write-ahead log ${p.file}`,
      '-shm': `the hub's shared-memory file ${p.file}`,
      '-journal': `the hub's rollback journal ${p.file}`,
      attached: `a database file in use (${p.file})`,
      open: `a file that basishub has open (${p.file})`,
    })[p.kind],
  outputProtected: (p: { file: string; name: string; what: string }) => `${p.file} is ${p.name}; refusing to write ${p.what} over it.`,
  outputProtectedHint: (p: { flag: string }) => `Pass another file to ${p.flag}.`,
  outputNoFolder: (p: { dir: string }) => `The folder ${p.dir} does not exist; nothing was written.`,
  outputNoFolderHint: (p: { flag: string }) => `Create it first, or pass another path to ${p.flag}.`,
  fileNotWritten: (p: { file: string; why: string }) => `Could not write ${p.file}: ${p.why}. Nothing was changed.`,
  fileNotWrittenHint: () => 'Choose a writable location with enough free space, then run the command again.',
  storageWhy: (p: { why: 'full' | 'readonly' | 'denied' | 'readonlyFile' }): string =>
    ({ full: 'the disk is full', readonly: 'the file system is read-only', denied: 'permission denied', readonlyFile: 'the file is read-only' })[p.why],
  hubUnwritable: (p: { folder: boolean; readonly: boolean }) =>
    `${p.folder ? 'its folder' : 'it'} ${p.readonly ? 'is on a read-only file system' : 'is not writable for this user'}`,
  hubNotWritten: (p: { file: string; why: string }) => `Could not write to the hub ${p.file}: ${p.why}. Nothing was changed.`,
  hubNotWrittenHint: () =>
    'Free space or make the hub and its folder writable (SQLite keeps the -wal and -shm files beside the hub), then run the command again.',
  hubDamaged: (p: { file: string; what: string }) => `The hub ${p.file} is damaged: ${p.what}.`,
  hubDamagedHint: () =>
    'Nothing more was written to it. See what is wrong with `basishub check`; then restore the last copy made with `basishub backup` (copy it over the hub while no other basishub command runs).',
  sqliteReports: (p: { message: string; nothingChanged: boolean }) => `SQLite reports "${p.message}"${p.nothingChanged ? '. Nothing was changed' : ''}`,
  outputExists: (p: { file: string; what: string }) => `${p.file} already exists; ${p.what} does not write over a file.`,
  outputExistsHint: (p: { flag: string }) => `Pass --force to replace it, or choose another ${p.flag}.`,
  backupDirNotFolder: (p: { dir: string }) => `${p.dir} is not a folder, so the copy before the sync cannot go there; nothing was changed.`,
  backupDirNotFolderHint: () =>
    'Pass a folder to --backup-dir (it is made when it does not exist), or change the setting with `basishub config set backup-dir <dir>`.',
  keepNeedsDir: () => '--keep needs a folder for the copies.',
  keepNeedsDirHint: () => 'Pass --backup-dir <dir>, or set one with `basishub config set backup-dir <dir>`.',

  // ---- exceptions import: the file and its rows; export's flags (src/app/bulk.ts) -----------------
  importColumnTwice: (p: { file: string; name: string; n: number }) => `${p.file}: the header has the column "${p.name}" ${p.n} times.`,
  importColumnsMissing: (p: { file: string; missing: string[]; found: string[] }) =>
    `${p.file}: the header lacks the column${p.missing.length > 1 ? 's' : ''} ${p.missing.map((m) => `"${m}"`).join(' and ')} (found: ${p.found.map((h) => `"${h}"`).join(', ') || 'nothing'}).`,
  importColumnsHint: () => 'The first line must name the columns user,reason,until (until is optional).',
  importNotCsv: (p: { file: string; line: number | null; why: string }) => `${p.file}${p.line ? `:${p.line}` : ''}: not a readable CSV file (${p.why}).`,
  importNotCsvHint: () => 'Nothing was written. Check the quotes in and near that line.',
  importNotJson: (p: { file: string; why: string }) => `${p.file}: not valid JSON (${p.why}).`,
  importNotJsonHint: () => 'Nothing was written. An import in JSON is an array of objects with user, reason and until.',
  importNotArray: (p: { file: string }) => `${p.file}: the JSON must be an array of objects with user, reason and until.`,
  importFieldCount: (p: { n: number; header: number; delimiter: string }) =>
    `${p.n} fields where the header has ${p.header}: a value that contains "${p.delimiter}" must be in double quotes`,
  importUntilLabel: () => 'until',
  importNotObject: () => 'not an object with user, reason and until',
  importUserType: () => 'user must be a text or an account id',
  importReasonType: () => 'reason must be a text',
  importUntilType: () => 'until must be a date as "YYYY-MM-DD" or null',
  exportDelimiterBad: (p: { value: string }) => `--delimiter must be "," or ";", not "${p.value}".`,
  exportDelimiterBadHint: () => 'Dutch Excel reads ";" (--delimiter ";").',
  exportFormatBad: (p: { value: string }) => `--format must be csv or json, not "${p.value}".`,

  // ---- targets show and list, publish (src/cli/commands/targets.ts, publish.ts, src/app/publish.ts) -
  targetLabel: (p: { name: 'url' | 'token' | 'groups' | 'concurrency' | 'output' | 'acknowledged' | 'published' | 'pending' }): string => p.name,
  targetToken: (p: { env: string }) => `from $${p.env} (read when publishing; never stored)`,
  targetGroups: (p: { groups: boolean }) => (p.groups ? 'schools and classes as SCIM Groups' : 'no'),
  targetConcurrency: (p: { n: number; timeout: number }) => `${p.n}, time-out ${p.timeout} s`,
  targetTokenUnset: (p: { env: string }) => `$${p.env} is not set in this environment`,
  targetTokenUnsetWarning: (p: { env: string }) => `The environment variable ${p.env} is not set here; set it wherever \`basishub publish\` runs (cron too).`,
  targetAcknowledged: (p: { active: number; inactive: number; last: string }) =>
    `${num(p.active)} active, ${num(p.inactive)} deactivated${p.last ? `; last on ${p.last}` : ''}`,
  targetNever: () => 'never',
  targetRunStatus: (p: { status: string }): string =>
    ({ completed: 'completed', stopped: 'stopped', failed: 'failed', running: 'running, or interrupted (the next publish completes it)' })[p.status] ??
    p.status,
  targetPublished: (p: { at: string; actor: string; status: string; stop: string }) => `${p.at} by ${p.actor}: ${p.status}${p.stop ? ` (${p.stop})` : ''}`,
  targetFailures: (p: { n: number; first: string }) => `${num(p.n)} failure(s), first: ${p.first}`,
  targetInLine: (p: { n: number }) => `nothing: the target is in line with the hub (${p.n} accounts)`,
  targetPending: (p: { created: number; updated: number; deactivated: number; reactivated: number; deleted: number; unchanged: number }) =>
    `${num(p.created)} to create, ${num(p.updated)} to update, ${num(p.deactivated)} to deactivate, ${num(p.reactivated)} to reactivate, ${num(p.deleted)} to remove; ${num(p.unchanged)} in line`,
  targetWhere: (p: { scim: boolean; place: string }) => (p.scim ? `at ${p.place}` : `writes ${p.place}`),
  targetLastRun: (p: { at: string; status: string }) => `${p.at} ${p.status}`,
  publishTitle: (p: { name: string; kind: string }) => `Target ${p.name} (${p.kind})`,
  publishState: (p: { dryRun: boolean; status: string }) => (p.dryRun ? 'dry run — nothing was sent' : p.status),
  publishForced: () => ' (forced past the safety limit)',
  publishApproved: (p: { plan: string }) => ` (approved plan ${p.plan})`,
  publishCount: (p: { key: string }): string =>
    ({
      created: 'created',
      updated: 'updated',
      deactivated: 'deactivated',
      reactivated: 'reactivated',
      deleted: 'deleted',
      unchanged: 'unchanged',
      failed: 'failed',
    })[p.key] ?? p.key,
  publishGroupsLine: (p: { counts: string }) => `groups: ${p.counts}`,
  publishStop: (p: { dryRun: boolean; reason: string }) => `${p.dryRun ? 'would stop' : 'stopped'}: ${p.reason}`,
  publishGroup: (p: { action: string }): string =>
    ({ create: 'Created', update: 'Updated', reactivate: 'Reactivated', deactivate: 'Deactivated', delete: 'Deleted (erased from the hub)' })[p.action] ??
    p.action,
  publishMore: (p: { n: string }) => `… and ${p.n} more (see --json)`,
  publishListed: (p: { n: string }) => `(the first ${p.n} changes are listed; the counts are complete)`,
  publishMoreFailures: (p: { n: string }) => `… and ${p.n} more failures (see --json)`,
  publishWrote: (p: { files: string }) => `wrote ${p.files}`,
  publishPlan: (p: { plan: string }) => `plan ${p.plan}`,

  // ---- sync revert's counts and question; config's meanings (src/cli/commands/revert.ts, backup.ts) -
  revertCount: (p: { key: string }): string =>
    ({
      revived: 'back from Deleted users',
      updated: 'put back',
      deleted: 'created accounts deleted',
      kept: 'left alone (changed since)',
      notRevertible: 'cannot be undone',
      unchanged: 'already as before',
    })[p.key] ?? p.key,
  revertQuestion: (p: { runId: number; n: number }) => `Revert sync run ${p.runId}: put back ${p.n} account(s)?`,
  revertRefusal: (p: { runId: number }) => `Reverting sync run ${p.runId} needs a confirmation.`,
  settingMeaning: (p: { name: string; text: string }): string => p.text,

  // ---- refusals of sources add/edit and targets add/edit (src/app/sources.ts, targets.ts) ---------
  notOneOf: (p: { what: 'format' | 'kind' | 'match' | 'encoding' | 'field'; value: string; allowed: string }) =>
    `${({ format: 'Format', kind: 'Kind', match: 'Match field', encoding: 'Encoding', field: 'Field' } as Record<string, string>)[p.what]} "${p.value}" is not one of: ${p.allowed}.`,
  mapNotPair: (p: { entry: string }) => `--map "${p.entry}" is not field=Column.`,
  mapFields: (p: { fields: string }) => `Fields: ${p.fields}.`,
  delimiterOneChar: (p: { value: string }) => `--delimiter must be one character (or tab, comma, semicolon), not "${p.value}".`,
  priorityWhole: () => '--priority must be a whole number.',
  graceDaysWhole: () => '--grace-days must be a whole number of days, 0 or more.',
  targetScimNoOutput: () => 'A SCIM target has a --url, not an --output.',
  targetFilesNoUrl: (p: { kind: string; zip: boolean }) =>
    `A ${p.kind} target writes files: give --output <folder${p.zip ? ' or .zip' : ''}>, not --url, --token-env or --groups.`,
  targetTokenEnvName: (p: { value: string }) => `--token-env takes the name of an environment variable (such as SCIM_TOKEN), not "${p.value}".`,
  targetTokenEnvHint: () => 'The token itself is never stored: basishub reads it from that variable when it publishes.',
  targetZipOnly: (p: { kind: string }) => `A ${p.kind} target writes a folder; only oneroster-1.1 can write a .zip.`,
  targetScimNeeds: () => 'A SCIM target needs --url <base-url> and --token-env <VAR>.',
  targetFilesNeed: (p: { kind: string; zip: boolean }) => `A ${p.kind} target needs --output <folder${p.zip ? ' or .zip' : ''}>.`,
  noTarget: (p: { name: string }) => `No target named "${p.name}".`,
  targetNameBad: (p: { name: string }) => `"${p.name}" cannot be a target name.`,
  targetNameBadHint: () => 'Use letters, digits, dot, dash or underscore.',
  targetExists: (p: { name: string }) => `A target named "${p.name}" exists already.`,
  targetExistsHint: (p: { name: string }) => `Change it with \`basishub targets edit ${p.name} …\`.`,
  targetNeedsKind: () => 'targets add needs --kind scim|sds-v2.1|oneroster-1.1|csv.',
  addTargetHint: () => 'Add one with `basishub targets add <name> --kind scim|sds-v2.1|oneroster-1.1|csv …`.',
  outputNeedsPath: () => '--output needs a path.',
  theTargetsAre: (p: { names: string }) => `The targets are: ${p.names}.`,
  targetKindFixed: (p: { name: string }) => `The kind of a target cannot change; remove ${p.name} and add it again.`,

  // ---- what another command changed meanwhile; a source's file and links (src/app/users.ts, exceptions.ts, sources.ts)
  purgedMeanwhile: (p: { id: number }) => `Account #${p.id} no longer exists (it was purged meanwhile). Nothing was changed.`,
  deletedMeanwhile: (p: { account: string; cause: string }) => `${p.account} was deleted meanwhile (${p.cause}); nothing was changed.`,
  ownedAgainMeanwhile: (p: { account: string }) =>
    `${p.account} is owned by its source again (a sync linked it meanwhile); the next sync would overwrite the change. Nothing was changed.`,
  ownedAgainHint: () => 'Change it in the source system, or pass --force to change it in the hub anyway.',
  unlistedMeanwhile: (p: { account: string }) => `${p.account} is not on the exception list (any more). Nothing was changed.`,
  restoredMeanwhile: (p: { account: string }) => `${p.account} is not deleted (any more), so there is nothing to restore. Nothing was changed.`,
  sourceFileMissing: (p: { file: string }) => `${p.file} does not exist yet; the sync will need it.`,
  sourceStillLinked: (p: { name: string; n: number }) =>
    `Source ${p.name} still has ${num(p.n)} linked account record(s); removing it would leave their accounts without it.`,
  sourceStillLinkedHint: () =>
    'Pass --force to remove it anyway: the links go, the accounts stay (an account with no link left is owned by the hub and never deleted by a sync).',
  publishFailed: (p: { targets: string; n: number }) =>
    `Publishing to ${p.targets} failed for ${num(p.n)} item(s). What the target acknowledged stays; the next publish retries the rest.`,
  publishFailedHint: (p: { first: string }) => `First failure: ${p.first}`,
  publishStopped: (p: { targets: string; reason: string; n: number }) =>
    `Publish to ${p.targets} stopped: ${p.reason}. Nothing was sent to ${p.n === 1 ? 'it' : 'them'}.`,
  publishStoppedHint: (p: { name: string; plan: string }) =>
    `Review with \`basishub publish --target ${p.name} --dry-run\`; if it is right, send exactly this plan with \`basishub publish --target ${p.name} --approve ${p.plan}\` (or --max-deactivations <n>).`,
  publishNoTargets: () => 'No targets are registered, so there is nothing to publish to.',
};

/** Texts are strings, whatever literal an English text happens to be. */
type Text<R> = R extends string ? string : R;
export type Catalogue = { [K in keyof typeof en]: (typeof en)[K] extends (...args: infer A) => infer R ? (...args: A) => Text<R> : never };

/** Used by en.ts's own texts that count. */
function num(n: number): string {
  return grouped(n, 'en-US');
}
