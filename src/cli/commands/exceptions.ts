import type { Command } from 'commander';
import { exportExceptions, importExceptions, parseDelimiter, parseFormat, writePrivateFile, type ImportResult } from '../../app/bulk.js';
import { addExceptionAsking, editException, listExceptions, removeException } from '../../app/exceptions.js';
import { DEFAULT_OLDER_THAN, reviewExceptions, type ReviewGroup, type ReviewResult } from '../../app/review.js';
import type { ExceptionView } from '../../app/views.js';
import { EXIT, usageError } from '../../errors.js';
import { isStdout } from '../../store/outfile.js';
import { act, DAYS_MAX, exclusive, intArg } from '../program.js';
import type { Cell, Column } from '../table.js';
import { dutchDateTime, dutchDay } from '../../dutch.js';
import type { Runtime } from '../runtime.js';

export function exceptionRows(rt: Runtime, list: ExceptionView[]): Cell[][] {
  const { c } = rt.out;
  return list.map((v) => [
    v.user.id,
    v.user.displayName + (v.user.status === 'deleted' ? c.red(' [deleted]') : ''),
    v.user.email,
    v.reason,
    `${v.createdBy} ${dutchDay(v.createdAt)}`,
    v.daysListed,
    v.offered ? c.green('offered') : c.yellow(`not offered${v.notOfferedSince ? ` since ${dutchDay(v.notOfferedSince)}` : ''}`),
    v.until ? (v.lapsed ? c.red(`${v.until} (lapsed)`) : v.until) : '',
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

export function registerExceptions(program: Command, rt: Runtime): void {
  const ex = program.command('exceptions').description('the import-exceptions list: accounts that a sync may never delete');

  ex.command('add [user]')
    .description('put an account on the list (R6, R9); on a terminal, what is missing is asked')
    .option('--reason <text>', 'why it must stay (required)')
    .option('--until <date>', 'the entry lapses after this date (YYYY-MM-DD or dd-mm-yyyy)')
    .action(
      act(rt, async (ref: string | undefined, flags: { reason?: string; until?: string }) => {
        const v = await addExceptionAsking(rt.context(), ref, { reason: flags.reason, until: flags.until });
        rt.out.result(v, () => {
          rt.out.success(`#${v.user.id} ${v.user.displayName} is on the exception list${v.until ? ` until ${v.until}` : ''}: a sync will not delete it.`);
          if (!v.offered) rt.out.info('No source offers it now: the hub owns it while it is listed (change it with `basishub users edit`).');
        });
      }),
    );

  ex.command('list')
    .description('the list: reason, added by and when, days listed, whether a source offers it, end date')
    .option('--stale <days>', 'only entries listed at least this many days', intArg('--stale', 0, DAYS_MAX))
    .option('--not-offered', 'only accounts that no source offers')
    .action(
      act(rt, (flags: { stale?: number; notOffered?: boolean }) => {
        const list = listExceptions(rt.context(), { stale: flags.stale, notOffered: flags.notOffered });
        rt.out.result(list, (l) => {
          if (l.length === 0) return rt.out.info('The exception list is empty' + (flags.stale !== undefined || flags.notOffered ? ' for this filter.' : '.'));
          rt.out.print(rt.out.table(EXCEPTION_HEAD, exceptionRows(rt, l)));
          rt.out.info(rt.out.e.dim(`${l.length} entr${l.length === 1 ? 'y' : 'ies'}`));
        });
      }),
    );

  exclusive(ex.command('edit <user>'), ['until', 'no-until'])
    .description("change an entry's reason or end date (R6)")
    .option('--reason <text>', 'the new reason')
    .option('--until <date>', 'a new end date (YYYY-MM-DD or dd-mm-yyyy)')
    .option('--no-until', 'remove the end date')
    .action(
      act(rt, (ref: string, flags: { reason?: string; until?: string | false }) => {
        const until = flags.until === false ? null : flags.until;
        const r = editException(rt.context(), ref, { reason: flags.reason, until });
        rt.out.result({ ...r.entry, changed: r.changed }, () => {
          if (r.changed.length === 0) rt.out.info('Nothing changed: the entry has these values already.');
          else rt.out.success(`Changed the ${r.changed.join(' and ')} of #${r.entry.user.id} ${r.entry.user.displayName}'s entry.`);
        });
      }),
    );

  ex.command('review')
    .description('what needs a decision (R10): long-listed entries, accounts no source offers, lapsed entries, and more')
    .option('--older-than <days>', 'entries listed at least this many days count as long-listed', intArg('--older-than', 0, DAYS_MAX), DEFAULT_OLDER_THAN)
    .option('--fail-if-pending', 'exit 6 when anything needs a decision (for cron and monitoring); the review is printed all the same')
    .option('--no-record', 'look without marking the review as done: lapsed entries then show again at the next review')
    .addHelpText(
      'after',
      `
Groups: listed for --older-than days or longer; listed but offered by no source (and since when); lapsed
since the previous review; offered by a source again after the list kept them (changing the entry with
\`exceptions edit\` records the decision to keep it); end date passed but no sync has run since.
A review is recorded as the previous review (in the hub's meta data, not the audit trail: it changes no
data and does not invalidate an approved sync plan). "pending" counts each account once.`,
    )
    .action(
      act(rt, (flags: { olderThan: number; failIfPending?: boolean; record: boolean }) => {
        const r = reviewExceptions(rt.context(), { olderThan: flags.olderThan, record: flags.record });
        rt.out.result(r, () => renderReview(rt, r));
        if (flags.failIfPending && r.pending > 0) rt.exitCode = EXIT.pendingReview;
      }),
    );

  ex.command('import <file>')
    .description('add or update entries from CSV (, or ;) or JSON with columns user,reason,until; all rows valid or nothing written')
    .option('--dry-run', 'check every row and show what would change; write nothing')
    .addHelpText(
      'after',
      `
CSV: comma or semicolon (detected), UTF-8 with or without BOM, a header naming the columns (any case;
other columns, such as those of an export, are ignored). JSON: an array of objects. user is an account
id, email address or source:externalId. An empty until removes an entry's end date; without an until
column, listed entries keep theirs. Problems are reported by physical line (CSV) or by element number,
counting from 1 (JSON). A leading ' that \`exceptions export\` put before = + - @ is removed again.`,
    )
    .action(
      act(rt, (file: string, flags: { dryRun?: boolean }) => {
        const r = importExceptions(rt.context(), file, { dryRun: flags.dryRun });
        rt.out.result(r, () => renderImport(rt, r));
      }),
    );

  ex.command('export')
    .description('the whole list, as CSV for Excel (UTF-8 with BOM) or JSON; to stdout, or to a file readable by you only')
    .option('--format <csv|json>', 'csv (default) or json; with --output, .json implies json')
    .option('--output <file>', 'write to this file (a new file gets mode 0600: it holds personal data); - for stdout')
    .option('--delimiter <c>', 'CSV delimiter: "," (default) or ";" (Dutch Excel)')
    .action(
      act(rt, (flags: { format?: string; output?: string; delimiter?: string }) => {
        const output = flags.output === undefined || isStdout(flags.output) ? undefined : flags.output;
        const format = parseFormat(flags.format, output, rt.out.json);
        if (format === 'json' && flags.delimiter !== undefined) throw usageError('--delimiter applies to CSV only.', 'Drop --delimiter, or pass --format csv.');
        if (format === 'csv' && rt.out.json && output === undefined) {
          throw usageError('With --json, stdout holds one JSON document, so the CSV cannot go there.', 'Pass --output <file> for the CSV, or --format json.');
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
          const how = format === 'csv' ? `CSV, UTF-8 with BOM, delimiter "${r.delimiter}"` : 'JSON';
          rt.out.success(`Exported ${r.entries} entr${r.entries === 1 ? 'y' : 'ies'} to ${file} (${how}; readable by you only).`);
        });
      }),
    );

  ex.command('remove <user>')
    .description('take an account off the list (R7); warns when the next sync will then delete it')
    .action(
      act(rt, async (ref: string) => {
        const r = await removeException(rt.context(), ref);
        rt.out.result({ ...r.entry, removed: true, willBeDeleted: r.willBeDeleted }, () => {
          rt.out.success(`#${r.entry.user.id} ${r.entry.user.displayName} is off the exception list.`);
        });
      }),
    );
}

const REVIEW_TITLES: Record<ReviewGroup, string> = {
  longListed: 'Listed {days} or longer',
  notOffered: 'Listed, but no source offers them: they stay only because of the list',
  lapsed: 'Lapsed since the previous review (their end date passed; a sync took them off the list)',
  offeredAgain: 'Offered by a source again: protection may no longer be needed',
  pastUntil: 'End date passed, still listed until the next sync',
};

const REVIEW_ADVICE: Record<ReviewGroup, string> = {
  longListed: 'Still needed? Take it off with `basishub exceptions remove <id>`, or record why it stays with `basishub exceptions edit <id> --reason "…" --until <YYYY-MM-DD>`.',
  notOffered: 'Take it off with `basishub exceptions remove <id>` (the next sync deletes it), or delete it now with `basishub users delete <id>`.',
  lapsed: 'Still needed? Put it back with `basishub exceptions add <id> --reason "…" --until <YYYY-MM-DD>`; a deleted account first with `basishub users restore <id>`.',
  offeredAgain: 'Take it off with `basishub exceptions remove <id>`; to keep it, change its reason or end date with `basishub exceptions edit <id>` (that records the decision).',
  pastUntil: 'The next `basishub sync run` takes it off the list. To keep it: `basishub exceptions edit <id> --until <YYYY-MM-DD>` or `--no-until`.',
};

function day(iso: string | null): string {
  return iso === null ? '' : dutchDay(iso);
}

function renderReview(rt: Runtime, r: ReviewResult): void {
  const { out } = rt;
  const { c } = out;
  out.print(c.bold('Review of the exception list') + c.dim(` — ${r.today}; previous review: ${r.previousReviewAt ? dutchDateTime(r.previousReviewAt) : 'none'}`));
  const name = (u: ExceptionView['user']) => u.displayName + (u.status === 'deleted' ? c.red(' [deleted]') : '');
  const tables: Record<ReviewGroup, () => string> = {
    longListed: () => out.table(EXCEPTION_HEAD, exceptionRows(rt, r.groups.longListed)),
    notOffered: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'not offered since', 'days listed', 'until'],
        r.groups.notOffered.map((v) => [v.user.id, name(v.user), v.user.email, v.reason, day(v.notOfferedSince) || 'unknown', v.daysListed, v.until ?? '']),
      ),
    lapsed: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'until', 'lapsed', 'now'],
        r.groups.lapsed.map((x) => [
          x.user.id,
          name(x.user),
          x.user.email,
          x.reason ?? '',
          x.until ?? '',
          `${day(x.lapsedAt)}${x.runId !== null ? ` (sync run ${x.runId})` : ''}`,
          x.listedAgain ? 'listed again' : x.user.status === 'deleted' ? c.red('deleted') : 'active, not listed',
        ]),
      ),
    offeredAgain: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'works at', 'last kept by the list', 'days listed'],
        r.groups.offeredAgain.map((v) => [v.user.id, name(v.user), v.user.email, v.reason, v.organisations.join(', '), day(v.lastProtectedAt), v.daysListed]),
      ),
    pastUntil: () =>
      out.table(
        [ID, NAME, 'email', REASON, 'until', 'source'],
        r.groups.pastUntil.map((v) => [v.user.id, name(v.user), v.user.email, v.reason, c.red(v.until ?? ''), v.offered ? c.green('offered') : c.yellow('not offered')]),
      ),
  };
  for (const g of Object.keys(REVIEW_TITLES) as ReviewGroup[]) {
    const items = r.groups[g];
    const title = REVIEW_TITLES[g].replace('{days}', `${r.olderThan} day${r.olderThan === 1 ? '' : 's'}`);
    out.print('');
    if (items.length === 0) {
      out.print(c.dim(`${title}: none`));
      continue;
    }
    out.print(c.bold(`${title} (${items.length})`));
    out.print(tables[g]());
    out.print(c.dim('→ ') + REVIEW_ADVICE[g]);
  }
  out.print('');
  if (r.pending === 0) out.success('Nothing on the exception list needs a decision.');
  else out.warn(`${r.pending} account${r.pending === 1 ? ' needs' : 's need'} a decision.`);
  if (!r.recorded) out.info(out.e.dim('Not recorded as a review (--no-record).'));
}

function renderImport(rt: Runtime, r: ImportResult): void {
  const { out } = rt;
  const { c } = out;
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
          x.action === 'add' ? c.green(r.dryRun ? 'add' : 'added') : c.yellow(`${r.dryRun ? 'update' : 'updated'} ${(x.changed ?? []).join(', ')}`),
        ]),
      ),
    );
  }
  const counts = `${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged`;
  if (r.dryRun) out.info(`Dry run of ${r.file}: ${counts.replace('added', 'to add').replace('updated', 'to update')}. Nothing was written.`);
  else out.success(`Imported ${r.file}: ${counts}.`);
}
