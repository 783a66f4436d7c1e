import { t } from '../../i18n/index.js';
import { checkFailure, checkHub } from '../../app/check.js';
import { act, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';

export function registerCheck(program: Parent, rt: Runtime): void {
  program
    .command('check')
    .description("SQLite's integrity check and the hub's own rules; exit 7 (HUB_DAMAGED) when anything is wrong. Read-only: also for a backup given with --db")
    .action(
      act(rt, () => {
        const r = checkHub(rt.dbPath);
        rt.out.result(r, () => {
          if (r.ok) return rt.out.success(t.hubWhole({ file: r.file }));
          rt.out.print(
            rt.out.table(
              ['what', 'problem'],
              r.problems.map((p) => [p.kind, p.message]),
            ),
          );
        });
        const failure = checkFailure(r);
        if (failure !== null) throw failure;
      }),
    );
}
