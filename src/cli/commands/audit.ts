import { t } from '../../i18n/index.js';
import { auditTrail } from '../../app/audit.js';
import { act, intArg, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';
import { AUDIT_HEAD, auditRows } from '../render.js';

export function registerAudit(program: Parent, rt: Runtime): void {
  program
    .command('audit')
    .description('the audit trail: every change, by a sync or a person, with who, when, what and why')
    .option('--user <user>', "only this account's entries (an id, email address or source:externalId)")
    .option('--since <date>', 'from this day on, in Dutch time (YYYY-MM-DD or dd-mm-yyyy)')
    .option('--limit <n>', 'at most this many, newest first', intArg('--limit', 1), 50)
    .action(
      act(rt, (flags) => {
        const { entries, names } = auditTrail(rt.context(), flags);
        const json = entries.map((e) => ({ ...e, accountName: e.accountId === null ? null : (names.get(e.accountId) ?? null) }));
        rt.out.result(json, (l) => {
          if (l.length === 0) return rt.out.info(t.noAudit());
          rt.out.print(rt.out.table(AUDIT_HEAD, auditRows(entries, names, rt.out.cells)));
        });
      }),
    );
}
