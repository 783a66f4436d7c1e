import type { Command } from 'commander';
import { addExceptionAsking, editException, listExceptions, removeException } from '../../app/exceptions.js';
import type { ExceptionView } from '../../app/views.js';
import { act, intArg } from '../program.js';
import type { Runtime } from '../runtime.js';

export function exceptionRows(rt: Runtime, list: ExceptionView[]): (string | number)[][] {
  const { c } = rt.out;
  return list.map((v) => [
    v.user.id,
    v.user.displayName + (v.user.status === 'deleted' ? c.red(' [deleted]') : ''),
    v.user.email,
    v.reason,
    `${v.createdBy}\n${v.createdAt.slice(0, 10)}`,
    v.daysListed,
    v.offered ? c.green('offered') : c.yellow(`not offered${v.notOfferedSince ? `\nsince ${v.notOfferedSince.slice(0, 10)}` : ''}`),
    v.until ? (v.lapsed ? c.red(`${v.until} (lapsed)`) : v.until) : '',
  ]);
}

export const EXCEPTION_HEAD = ['id', 'name', 'email', 'reason', 'added by', 'days', 'source', 'until'];

export function registerExceptions(program: Command, rt: Runtime): void {
  const ex = program.command('exceptions').description('the import-exceptions list: accounts that a sync may never delete');

  ex.command('add [user]')
    .description('put an account on the list (R6, R9); on a terminal, what is missing is asked')
    .option('--reason <text>', 'why it must stay (required)')
    .option('--until <YYYY-MM-DD>', 'the entry lapses after this date')
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
    .option('--stale <days>', 'only entries listed at least this many days', intArg('--stale'))
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

  ex.command('edit <user>')
    .description("change an entry's reason or end date (R6)")
    .option('--reason <text>', 'the new reason')
    .option('--until <YYYY-MM-DD>', 'a new end date')
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
