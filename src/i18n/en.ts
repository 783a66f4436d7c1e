/**
 * Every text that a person reads, in English: one key per message, its parameters typed. nl.ts has the
 * same shape (`Catalogue`), so a text missing in either language fails the type check. Numbers and
 * dates arrive formatted (`num`, `day` in ./index.ts) unless a parameter says otherwise.
 *
 * Not here, on purpose: command and option names, --json keys and values, error codes, and the headers
 * of tab-separated output (what scripts read).
 */
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

export const en = {
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
  wholeNumber: (p: { flag: string; min: number }) => `${p.flag} must be a whole number${p.min > 0 ? ` of at least ${p.min}` : p.min === 0 ? ', 0 or more' : ''}.`,
  contradict: (p: { flags: string[] }) => `${p.flags.join(' and ')} contradict each other.`,
  passOne: () => 'Pass one of them.',
  noCommand: (p: { words: string }) => `No command "${p.words}".`,
  noCommandHint: () => 'See the commands with `basishub help`.',
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
  /** The longer help texts after a command's options ("exceptions review"): English → this language. */
  helpAfter: (): Record<string, string> => ({}),

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
  /** The engine writes a change's detail in English (it is stored, and JSON carries it): phrases to put in this language. */
  detailPhrases: (): [string, string][] => [],
  dryRunTitle: () => 'Dry run',
  nothingChanged: () => ' — nothing was changed',
  runCompleted: (p: { runId: number | null }) => `Sync run ${p.runId} completed`,
  forcedPast: () => ' (forced past the safety limits)',
  approvedPlan: (p: { plan: string }) => ` (approved plan ${p.plan})`,
  fileLine: (p: { source: string; path: string; records: string; checksum: string }) => `  ${p.source}: ${p.path} — ${p.records} records, sha256 ${p.checksum}`,
  settingsChanged: (p: { what: string }) => `  Settings changed since the last sync, so their sources' accounts are evaluated again: ${p.what}.`,
  backupFirst: (p: { output: string; pruned: number }) => `  backup first: ${p.output}${p.pruned ? ` (${p.pruned} older ${plural(p.pruned, 'copy', 'copies')} removed)` : ''}`,
  planLine: (p: { plan: string }) => `\nPlan ${p.plan}. Run without --dry-run to apply it.`,
  noRunsYet: () => 'No sync has run yet. Start one with `basishub sync run --dry-run`.',
  noRun: (p: { id: string }) => `No sync run ${p.id}.`,
  noRunHint: () => 'See the runs with `basishub sync history`.',
  badOverride: (p: { value: string }) => `--source "${p.value}" is not name=path.`,
  runStatus: (p: { status: string }) => ({ completed: 'completed', stopped: 'stopped' })[p.status] ?? p.status,
  runFlags: (p: { dryRun: boolean; forced: boolean; approved: boolean; reverts: number | null }) =>
    (p.dryRun ? ' (dry run)' : '') + (p.forced ? ' (forced)' : '') + (p.approved ? ' (approved)' : '') + (p.reverts !== null ? ` (revert of run ${p.reverts})` : ''),
  showTitle: (p: { runId: number }) => `Sync run ${p.runId}`,
  showStopped: () => ' (nothing was changed; below is what it planned)',
  showStarted: (p: { started: string; actor: string; finished: string | null }) => `  started ${p.started} by ${p.actor}${p.finished ? `, finished ${p.finished}` : ''}`,
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
  emailTakenHint: (p: { n: number }) => `Change or remove ${p.n === 1 ? "that account's address" : "those accounts' addresses"} first, or choose another address. Nothing was changed.`,
  alreadyDeleted: (p: { account: string; at: string }) => `${p.account} is already deleted (${p.at}).`,
  alreadyDeletedHint: (p: { id: number }) => `See it with \`basishub users show ${p.id}\`; restore it with \`basishub users restore ${p.id}\`.`,
  stillOffered: (p: { account: string; by: string }) => `${p.account} is still offered by ${p.by}: the next sync will restore it. To remove the person for good, remove them in the source system.`,
  deleteTakesOff: (p: { account: string; reason: string }) => `${p.account} is on the exception list (${p.reason}); deleting it takes it off the list (R7).`,
  deleteQuestion: (p: { account: string }) => `Delete ${p.account}?`,
  deleteRefusal: (p: { account: string }) => `Deleting ${p.account} needs a confirmation.`,
  notDeleted: (p: { account: string }) => `${p.account} is not deleted, so there is nothing to restore.`,
  purgeDays: () => '--older-than must be a whole number of days, at least 1.',
  purgeWarn: (p: { n: number; before: string }) => `${p.n} ${plural(p.n, 'account', 'accounts')} deleted before ${p.before} will be erased for good: they cannot be restored or revived afterwards.`,
  purgeQuestion: (p: { n: number }) => `Erase ${p.n} ${plural(p.n, 'account', 'accounts')} for good?`,
  purgeRefusal: (p: { n: number }) => `Purging erases ${p.n} ${plural(p.n, 'account', 'accounts')} for good.`,
  refusedNothingChanged: (p: { refusal: string }) => `${p.refusal} Nothing was changed.`,
  refusedHint: (p: { flag: string }) => `Without a terminal nothing can be asked: pass ${p.flag} to do it anyway.`,

  // ---- users commands ----------------------------------------------------------------------------
  statusValue: (p: { value: string }) => `--status must be active or deleted, not "${p.value}".`,
  ownerValue: (p: { value: string }) => `--owner must be source or hub, not "${p.value}".`,
  noActiveMatch: () => 'No active accounts match (deleted ones: --status deleted or --all).',
  noAccountsMatch: () => 'No accounts match.',
  usersCount: (p: { shown: number; total: number; status: 'active' | 'deleted' | undefined }) => {
    const what = (n: number) => (p.status === 'deleted' ? plural(n, 'deleted account', 'deleted accounts') : p.status === 'active' ? plural(n, 'active account', 'active accounts') : plural(n, 'account', 'accounts'));
    return p.shown < p.total ? `${p.shown} of ${p.total} ${what(p.total)}` : `${p.total} ${what(p.total)}`;
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
  exceptionLine: (p: { reason: string; until: string; added: string; by: string }) => `${p.reason}${p.until ? ` (until ${p.until})` : ''} — added ${p.added} by ${p.by}`,
  recentHistory: () => 'Recent history',
  userUnchanged: () => 'Nothing changed: the account has these values already.',
  userChanged: (p: { fields: string[]; id: number; name: string }) => `Changed ${p.fields.join(', ')} of #${p.id} ${p.name}.`,
  userDeleted: (p: { id: number; name: string; wasListed: boolean }) => `#${p.id} ${p.name} moved to Deleted users${p.wasListed ? ' and taken off the exception list' : ''}.`,
  willRestore: () => 'A source still offers it: the next sync will restore it.',
  userRestored: (p: { id: number; name: string }) => `#${p.id} ${p.name} restored. It is a hub account now: no source link, not on the exception list, never deleted by a sync.`,
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
  alreadyListed: (p: { account: string; since: string; by: string; reason: string }) => `${p.account} is on the list already (since ${p.since}, by ${p.by}: ${p.reason}).`,
  alreadyListedHint: (p: { id: number }) => `Change the entry with \`basishub exceptions edit ${p.id} --reason "…"\`.`,
  noSourceLink: (p: { account: string }) =>
    `${p.account} has no source link, so it cannot be put on the list: the list protects accounts against deletion by a source, and no source drives this account.`,
  noSourceLinkHint: () => 'A sync never deletes an account without a source link (for example one restored from Deleted users), so it needs no protection.',
  untilPast: (p: { label: string | undefined; date: string }) => `${p.label ? `${p.label} ` : 'The end date '}${p.date} lies in the past; the entry would lapse at the next sync.`,
  notADate: (p: { label: string | undefined; value: string }) => `${p.label ? `${p.label} ` : ''}"${p.value}" is not a date: type it as YYYY-MM-DD or dd-mm-yyyy (2027-01-31 or 31-01-2027).`,
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
  removeWarn: (p: { account: string; since: string }) => `No source offers ${p.account}${p.since ? ` (since ${p.since})` : ''}: once it is off the list, the next sync deletes it.`,
  removeQuestion: (p: { account: string }) => `Take ${p.account} off the list, so that the next sync deletes it?`,
  removeRefusal: (p: { account: string }) => `Taking ${p.account} off the list means the next sync deletes it.`,
  added: (p: { id: number; name: string; until: string }) => `#${p.id} ${p.name} is on the exception list${p.until ? ` until ${p.until}` : ''}: a sync will not delete it.`,
  addedNotOffered: () => 'No source offers it now: the hub owns it while it is listed (change it with `basishub users edit`).',
  listEmpty: (p: { filtered: boolean }) => `The exception list is empty${p.filtered ? ' for this filter.' : '.'}`,
  entries: (p: { n: number }) => `${num(p.n)} ${plural(p.n, 'entry', 'entries')}`,
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
    `Exported ${p.n} ${plural(p.n, 'entry', 'entries')} to ${p.file} (${p.csv ? `CSV, UTF-8 with BOM, delimiter "${p.delimiter}"` : 'JSON'}; readable by you only).`,
  importCounts: (p: { added: number; updated: number; unchanged: number; dryRun: boolean }) =>
    `${p.added} ${p.dryRun ? 'to add' : 'added'}, ${p.updated} ${p.dryRun ? 'to update' : 'updated'}, ${p.unchanged} unchanged`,
  importDryRun: (p: { file: string; counts: string }) => `Dry run of ${p.file}: ${p.counts}. Nothing was written.`,
  imported: (p: { file: string; counts: string }) => `Imported ${p.file}: ${p.counts}.`,
  importAction: (p: { add: boolean; dryRun: boolean; changed: string }) => (p.add ? (p.dryRun ? 'add' : 'added') : `${p.dryRun ? 'update' : 'updated'} ${p.changed}`),

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
      longListed: 'Still needed? Take it off with `basishub exceptions remove <id>`, or record why it stays with `basishub exceptions edit <id> --reason "…" --until <YYYY-MM-DD>`.',
      notOffered: 'Take it off with `basishub exceptions remove <id>` (the next sync deletes it), or delete it now with `basishub users delete <id>`.',
      lapsed: 'Still needed? Put it back with `basishub exceptions add <id> --reason "…" --until <YYYY-MM-DD>`; a deleted account first with `basishub users restore <id>`.',
      offeredAgain: 'Take it off with `basishub exceptions remove <id>`; to keep it, change its reason or end date with `basishub exceptions edit <id>` (that records the decision).',
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
      1: ['The first sync: HR (AFAS), the pupil administration (ParnasSys) and Basispoort.', 'Basispoort staff are matched to the HR accounts by email: one account each, linked to both (R11, R12).'],
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
};

/** Texts are strings, whatever literal an English text happens to be. */
type Text<R> = R extends string ? string : R;
export type Catalogue = { [K in keyof typeof en]: (typeof en)[K] extends (...args: infer A) => infer R ? (...args: A) => Text<R> : never };

/** Used by en.ts's own texts that count. */
function num(n: number): string {
  return n.toLocaleString('en-US');
}
