import type { ImportResult } from '../../app/exceptions-import.js';
import { parseDelimiter, parseFormat } from '../export-flags.js';
import { addExceptionAsking, editException, exceptionPage, removeException } from '../../app/exceptions.js';
import { DEFAULT_OLDER_THAN, reviewExceptions, type ReviewGroup, type ReviewResult } from '../../app/review.js';
import type { ExceptionView } from '../../app/views.js';
import { EXIT, usageError } from '../../errors.js';
import { act, DAYS_MAX, exclusive, intArg, isStdout, type Parent } from '../define.js';
import type { Cell, Column } from '../table.js';
import { dutchDateTime, dutchDay } from '../../dutch.js';
import type { Runtime } from '../runtime.js';
import { day, num, t } from '../../i18n/index.js';

export function exceptionRows(rt: Runtime, list: ExceptionView[]): Cell[][] {
  const { c } = rt.out;
  const { t, day } = rt.out.cells;
  return list.map((v) => [
    v.user.id,
    v.user.displayName + (v.user.status === 'deleted' ? c.red(` ${t.deletedMark()}`) : ''),
    v.user.email,
    v.reason,
    t.addedByCell({ by: v.createdBy, at: day(dutchDay(v.createdAt)) }),
    v.daysListed,
    v.offered ? c.green(t.offeredCell()) : c.yellow(t.notOfferedCell({ since: v.notOfferedSince ? day(dutchDay(v.notOfferedSince)) : '' })),
    v.until ? (v.lapsed ? c.red(t.lapsedCell({ until: day(v.until) })) : day(v.until)) : '',
  ]);
}

const ID: Column = { head: 'id', id: true };
const NAME: Column = { head: 'name', keep: true, weight: 10, min: 14 };
const REASON: Column = { head: 'reason', flex: true, weight: 9, min: 16 };

export const EXCEPTION_HEAD: Column[] = [
  { head: 'id', id: true },
  { head: 'name', keep: true, weight: 10, min: 14 },
  { head: 'email', weight: 6, min: 16 },
  REASON,
  { head: 'added by', weight: 4 },
  { head: 'days', weight: 5, align: 'right' },
  { head: 'source', weight: 7, min: 11 },
  { head: 'until', weight: 8 },
];

/** Up to this many entries, `exceptions list` prints every one; a longer list, its first page. */
const LIST_ALL_UP_TO = 100;
const FIRST_PAGE = 50;

/** The filter flags of `exceptions list`, as typed, for the command of its next page. */
function listFlags(flags: { stale?: number; notOffered?: boolean }): string {
  return (flags.stale !== undefined ? ` --stale ${flags.stale}` : '') + (flags.notOffered ? ' --not-offered' : '');
}

export function registerExceptions(program: Parent, rt: Runtime): void {
  const ex = program.command('exceptions').description('the import-exceptions list: accounts that a sync may never delete');
  for (const declare of [exceptionsAdd, exceptionsList, exceptionsEdit, exceptionsReview, exceptionsImport, exceptionsExport, exceptionsRemove])
    declare(ex, rt);
}

function exceptionsAdd(ex: Parent, rt: Runtime): void {
  ex.command('add [user]')
    .description('put an account on the list (R6, R9); on a terminal, what is missing is asked')
    .option('--reason <text>', 'why it must stay (required)')
    .option('--until <date>', 'the entry lapses after this date (YYYY-MM-DD or dd-mm-yyyy)')
    .action(
      act(rt, async (ref, flags) => {
        const v = await addExceptionAsking(rt.context(), ref, { reason: flags.reason, until: flags.until });
        rt.out.result(v, () => {
          rt.out.success(t.added({ id: v.user.id, name: v.user.displayName, until: day(v.until) }));
          if (!v.offered) rt.out.info(t.addedNotOffered());
        });
      }),
    );
}

function exceptionsList(ex: Parent, rt: Runtime): void {
  ex.command('list')
    .description('the list: reason, added by and when, days listed, whether a source offers it, end date')
    .option('--stale <days>', 'only entries listed at least this many days', intArg('--stale', 0, DAYS_MAX))
    .option('--not-offered', 'only accounts that no source offers')
    .option('--limit <n>', 'at most this many entries (with --json too)', intArg('--limit', 1))
    .option('--offset <n>', 'skip this many entries first (with --limit: the next page)', intArg('--offset', 0))
    .option('--all', `every entry; without it a list of more than ${LIST_ALL_UP_TO} entries shows the first ${FIRST_PAGE} (--json: always all)`)
    .action(
      act(rt, (flags) => {
        const paged = flags.limit !== undefined || flags.offset !== undefined;
        if (flags.all && paged) throw usageError(t.contradict({ flags: ['--all', flags.limit !== undefined ? '--limit' : '--offset'] }), t.passOne());
        // Text for people shows a long list's first page; --json and --all the whole list.
        const firstPage = !paged && !flags.all && !rt.out.json;
        const offset = flags.offset ?? 0;
        const filter = { stale: flags.stale, notOffered: flags.notOffered };
        const { entries, total } = exceptionPage(rt.context(), filter, { offset, limit: firstPage ? LIST_ALL_UP_TO + 1 : flags.limit });
        const list = firstPage && total > LIST_ALL_UP_TO ? entries.slice(0, FIRST_PAGE) : entries;
        rt.out.result(list, (l) => {
          if (l.length === 0 && offset === 0) return rt.out.info(t.listEmpty({ filtered: flags.stale !== undefined || !!flags.notOffered }));
          if (l.length > 0) rt.out.print(rt.out.table(EXCEPTION_HEAD, exceptionRows(rt, l)));
          if (offset === 0 && l.length === total) return rt.out.info(rt.out.e.dim(t.entries({ n: total })));
          const to = offset + l.length;
          const size = flags.limit ?? FIRST_PAGE;
          const next = to < total ? `basishub exceptions list${listFlags(flags)} --offset ${to} --limit ${size}` : null;
          rt.out.info(rt.out.e.dim(t.pageShown({ from: offset + 1, to, total, what: 'entries', next })));
        });
      }),
    );
}

function exceptionsEdit(ex: Parent, rt: Runtime): void {
  exclusive(ex.command('edit <user>'), ['until', 'no-until'])
    .description("change an entry's reason or end date (R6)")
    .option('--reason <text>', 'the new reason')
    .option('--until <date>', 'a new end date (YYYY-MM-DD or dd-mm-yyyy)')
    .option('--no-until', 'remove the end date')
    .action(
      act(rt, (ref, flags) => {
        const until = flags.until === false ? null : flags.until;
        const r = editException(rt.context(), ref, { reason: flags.reason, until });
        rt.out.result({ ...r.entry, changed: r.changed }, () => {
          if (r.changed.length === 0) rt.out.info(t.entryUnchanged());
          else
            rt.out.success(t.entryChanged({ fields: r.changed.map((field) => t.entryField({ field })), id: r.entry.user.id, name: r.entry.user.displayName }));
        });
      }),
    );
}

function exceptionsReview(ex: Parent, rt: Runtime): void {
  ex.command('review')
    .description('what needs a decision (R10): long-listed entries, accounts no source offers, lapsed entries, and more')
    .option('--older-than <days>', 'entries listed at least this many days count as long-listed', intArg('--older-than', 0, DAYS_MAX), DEFAULT_OLDER_THAN)
    .option('--fail-if-pending', 'exit 6 when anything needs a decision (for cron and monitoring); the review is printed all the same')
    .option('--no-record', 'look without marking the review as done: lapsed entries then show again at the next review')
    .option('--all', `every entry of every group; without it a group of more than ${LIST_ALL_UP_TO} shows its first ${FIRST_PAGE} (--json: always all)`)
    .addHelpText('after', `\n${t.reviewHelp()}`)
    .action(
      act(rt, (flags) => {
        // A terminal shows a long group's first page: only those accounts are read (--json and --all: all).
        const firstPage = flags.all || rt.out.json ? undefined : { upTo: LIST_ALL_UP_TO, show: FIRST_PAGE };
        const r = reviewExceptions(rt.context(), { olderThan: flags.olderThan, record: flags.record, firstPage });
        const { totals: _totals, ...json } = r;
        rt.out.result(json, () => renderReview(rt, r, !!flags.all));
        if (flags.failIfPending && r.pending > 0) rt.exitCode = EXIT.pendingReview;
      }),
    );
}

function exceptionsImport(ex: Parent, rt: Runtime): void {
  ex.command('import <file>')
    .description('add or update entries from CSV (, or ;) or JSON with columns user,reason,until; all rows valid or nothing written')
    .option('--dry-run', 'check every row and show what would change; write nothing')
    .addHelpText('after', `\n${t.importHelp()}`)
    .action(
      act(rt, async (file, flags) => {
        // Loaded here, not with the group: `exceptions list` and `review` need no CSV reader.
        const { importExceptions } = await import('../../app/exceptions-import.js');
        const r = importExceptions(rt.context(), file, { dryRun: flags.dryRun });
        rt.out.result(r, () => renderImport(rt, r));
      }),
    );
}

function exceptionsExport(ex: Parent, rt: Runtime): void {
  ex.command('export')
    .description('the whole list, as CSV for Excel (UTF-8 with BOM) or JSON; to stdout, or to a file readable by you only')
    .option('--format <csv|json>', 'csv (default) or json; with --output, .json implies json')
    .option('--output <file>', 'write to this file (a new file gets mode 0600: it holds personal data); - for stdout')
    .option('--delimiter <c>', 'CSV delimiter: "," (default) or ";" (Dutch Excel)')
    .action(
      act(rt, async (flags) => {
        const { exportExceptions, writePrivateFile } = await import('../../app/exceptions-export.js');
        const output = flags.output === undefined || isStdout(flags.output) ? undefined : flags.output;
        const format = parseFormat(flags.format, output, rt.out.json);
        if (format === 'json' && flags.delimiter !== undefined) throw usageError(t.exportDelimiterCsvOnly(), t.exportDelimiterCsvOnlyHint());
        if (format === 'csv' && rt.out.json && output === undefined) {
          throw usageError(t.exportCsvJson(), t.exportCsvJsonHint());
        }
        const ctx = rt.context();
        const r = exportExceptions(ctx, { format, delimiter: parseDelimiter(flags.delimiter) });
        if (output === undefined) {
          if (format === 'json') rt.out.printJson(r.list);
          else rt.out.write(r.content);
          return;
        }
        const file = writePrivateFile(ctx, output, r.content);
        rt.out.result({ file, format, delimiter: r.delimiter, entries: r.entries }, () => {
          rt.out.success(t.exported({ n: r.entries, file, csv: format === 'csv', delimiter: r.delimiter }));
        });
      }),
    );
}

function exceptionsRemove(ex: Parent, rt: Runtime): void {
  ex.command('remove <user>')
    .description('take an account off the list (R7); warns when the next sync will then delete it')
    .action(
      act(rt, async (ref) => {
        const r = await removeException(rt.context(), ref);
        rt.out.result({ ...r.entry, removed: true, willBeDeleted: r.willBeDeleted }, () => {
          rt.out.success(t.removed({ id: r.entry.user.id, name: r.entry.user.displayName }));
        });
      }),
    );
}

/** The review's groups, in the order they are shown; their titles and advice are in the catalogue. */
const REVIEW_GROUPS: ReviewGroup[] = ['longListed', 'notOffered', 'lapsed', 'offeredAgain', 'pastUntil'];

/** A long group shows its first page; the rest is counted (--all, or --json, for every entry). */
function firstPage<T>(items: T[], all: boolean): T[] {
  return all || items.length <= LIST_ALL_UP_TO ? items : items.slice(0, FIRST_PAGE);
}

/** Each review group's table (of its first page), made when the group is shown. */
function reviewTables(rt: Runtime, r: ReviewResult, all: boolean): Record<ReviewGroup, () => string> {
  const { out } = rt;
  const { c } = out;
  const cells = out.cells;
  const first = <T>(items: T[]): T[] => firstPage(items, all);
  const date = (iso: string | null) => (iso === null ? '' : cells.day(dutchDay(iso)));
  const name = (u: ExceptionView['user']) => u.displayName + (u.status === 'deleted' ? c.red(` ${cells.t.deletedMark()}`) : '');
  return {
    longListed: () => out.table(EXCEPTION_HEAD, exceptionRows(rt, first(r.groups.longListed))),
    notOffered: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'not offered since', 'days listed', 'until'],
        first(r.groups.notOffered).map((v) => [
          v.user.id,
          name(v.user),
          v.user.email,
          v.reason,
          date(v.notOfferedSince) || cells.t.unknown(),
          v.daysListed,
          cells.day(v.until),
        ]),
      ),
    lapsed: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'until', 'lapsed', 'now'],
        first(r.groups.lapsed).map((x) => [
          x.user.id,
          name(x.user),
          x.user.email,
          x.reason ?? '',
          cells.day(x.until),
          `${date(x.lapsedAt)}${x.runId !== null ? cells.t.lapsedInRun({ runId: x.runId }) : ''}`,
          x.listedAgain ? cells.t.listedAgain() : x.user.status === 'deleted' ? c.red(cells.t.deletedCell()) : cells.t.activeNotListed(),
        ]),
      ),
    offeredAgain: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'works at', 'last kept by the list', 'days listed'],
        first(r.groups.offeredAgain).map((v) => [
          v.user.id,
          name(v.user),
          v.user.email,
          v.reason,
          v.organisations.join(', '),
          date(v.lastProtectedAt),
          v.daysListed,
        ]),
      ),
    pastUntil: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'until', 'source'],
        first(r.groups.pastUntil).map((v) => [
          v.user.id,
          name(v.user),
          v.user.email,
          v.reason,
          c.red(cells.day(v.until)),
          v.offered ? c.green(cells.t.offeredCell()) : c.yellow(cells.t.notOfferedCell({ since: '' })),
        ]),
      ),
  };
}

function renderReview(rt: Runtime, r: ReviewResult, all: boolean): void {
  const { out } = rt;
  const { c } = out;
  out.print(
    c.bold(t.reviewTitle()) + c.dim(t.reviewPrevious({ today: day(r.today), previous: r.previousReviewAt ? day(dutchDateTime(r.previousReviewAt)) : null })),
  );
  const tables = reviewTables(rt, r, all);
  for (const g of REVIEW_GROUPS) {
    const items = r.groups[g];
    const title = t.reviewGroup({ group: g, days: r.olderThan });
    out.print('');
    if (items.length === 0) {
      out.print(c.dim(`${title}: ${t.reviewNone()}`));
      continue;
    }
    out.print(c.bold(`${title} (${num(r.totals[g])})`));
    out.print(tables[g]());
    const more = r.totals[g] - firstPage(items as unknown[], all).length;
    if (more > 0) out.print(c.dim(t.andMore({ n: num(more), hint: 'basishub exceptions review --all' })));
    out.print(c.dim('→ ') + t.reviewAdvice({ group: g }));
  }
  out.print('');
  if (r.pending === 0) out.success(t.reviewClear());
  else out.warn(t.reviewPending({ n: r.pending }));
  if (!r.recorded) out.info(out.e.dim(t.reviewNotRecorded()));
}

function renderImport(rt: Runtime, r: ImportResult): void {
  const { out } = rt;
  const { c } = out;
  const cells = out.cells;
  const changing = r.rows.filter((x) => x.action !== 'unchanged');
  if (changing.length > 0) {
    out.print(
      out.table(
        [r.format === 'json' ? 'element' : 'line', ID, NAME, 'email', r.dryRun ? 'would' : 'done'],
        changing.map((x) => [
          x.line,
          x.user.id,
          x.user.displayName,
          x.user.email,
          x.action === 'add'
            ? c.green(cells.t.importAction({ add: true, dryRun: r.dryRun, changed: '' }))
            : c.yellow(
                cells.t.importAction({ add: false, dryRun: r.dryRun, changed: (x.changed ?? []).map((field) => cells.t.entryField({ field })).join(', ') }),
              ),
        ]),
      ),
    );
  }
  const counts = t.importCounts({ added: r.added, updated: r.updated, unchanged: r.unchanged, dryRun: r.dryRun });
  if (r.dryRun) out.info(t.importDryRun({ file: r.file, counts }));
  else out.success(t.imported({ file: r.file, counts }));
}
