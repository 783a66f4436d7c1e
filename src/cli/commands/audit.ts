import type { Command } from 'commander';
import { resolveUser } from '../../app/refs.js';
import { parseDate } from '../../app/exceptions.js';
import { act, intArg } from '../program.js';
import type { Runtime } from '../runtime.js';
import { AUDIT_HEAD, auditRows } from '../render.js';

export function registerAudit(program: Command, rt: Runtime): void {
  program
    .command('audit')
    .description('the audit trail: every change, by a sync or a person, with who, when, what and why')
    .option('--user <user>', "only this account's entries")
    .option('--since <date>', 'from this date (YYYY-MM-DD) on')
    .option('--limit <n>', 'at most this many, newest first', intArg('--limit', 1), 50)
    .action(
      act(rt, (flags: { user?: string; since?: string; limit: number }) => {
        const ctx = rt.context();
        const accountId = flags.user === undefined ? undefined : resolveUser(ctx.store, flags.user).id;
        const since = flags.since === undefined ? undefined : parseDate(flags.since, '--since');
        const entries = ctx.store.auditEntries({ accountId, since, limit: flags.limit });
        rt.out.result(entries, (l) => {
          if (l.length === 0) return rt.out.info('No audit entries match.');
          rt.out.print(rt.out.table(AUDIT_HEAD, auditRows(l)));
        });
      }),
    );
}
