import { t } from '../../i18n/index.js';
import { createHub } from '../../app/context.js';
import { act, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';

export function registerInit(program: Parent, rt: Runtime): void {
  program
    .command('init')
    .description('create the hub database (owner-only file); a no-op on an existing hub')
    .action(
      act(rt, () => {
        const path = rt.dbPath;
        const { created } = createHub(path);
        rt.out.result({ db: path, created }, () => {
          if (created) rt.out.success(t.hubCreated({ path }));
          else rt.out.info(t.hubExists({ path }));
          if (created) rt.out.info(t.hubNext());
        });
      }),
    );
}
