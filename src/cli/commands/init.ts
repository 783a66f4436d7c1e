import type { Command } from 'commander';
import { createDatabase } from '../../store/db.js';
import { act } from '../program.js';
import type { Runtime } from '../runtime.js';

export function registerInit(program: Command, rt: Runtime): void {
  program
    .command('init')
    .description('create the hub database (owner-only file); a no-op on an existing hub')
    .action(
      act(rt, () => {
        const path = rt.dbPath;
        const { created } = createDatabase(path);
        rt.out.result({ db: path, created }, () => {
          if (created) rt.out.success(`Created the hub at ${path} (readable by you only).`);
          else rt.out.info(`${path} is a basishub hub already; nothing changed.`);
          if (created) rt.out.info('Next: register a source with `basishub sources add <name> --file <export>`.');
        });
      }),
    );
}
