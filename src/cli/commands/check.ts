import type { Command } from 'commander';
import { checkHub } from '../../app/check.js';
import { hubDamagedError } from '../../store/failures.js';
import { act } from '../program.js';
import type { Runtime } from '../runtime.js';

export function registerCheck(program: Command, rt: Runtime): void {
  program
    .command('check')
    .description("SQLite's integrity check and the hub's own rules; exit 7 (HUB_DAMAGED) when anything is wrong. Read-only: also for a backup given with --db")
    .action(
      act(rt, () => {
        const r = checkHub(rt.dbPath);
        rt.out.result(r, () => {
          if (r.ok) return rt.out.success(`${r.file} is whole: SQLite's integrity check and the hub's rules found nothing wrong.`);
          rt.out.print(rt.out.table(['what', 'problem'], r.problems.map((p) => [p.kind, p.message])));
        });
        if (!r.ok) throw hubDamagedError(r.file, `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} found`);
      }),
    );
}
