import { t } from '../../i18n/index.js';
import { backupHub } from '../../app/backup.js';
import { listSettings, setSetting } from '../../app/config.js';
import { act, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** `backup --output <file> [--force]`. */
export function registerBackup(program: Parent, rt: Runtime): void {
  program
    .command('backup')
    .description('write a consistent copy of the hub (owner-only), also while a sync runs')
    .requiredOption('--output <file>', 'the file to write the copy to')
    .option('--force', 'replace the file if it exists (never the hub itself)')
    .action(
      act(rt, async (flags) => {
        const r = await backupHub(rt.context(), flags.output, { force: flags.force });
        rt.out.result(r, () => {
          rt.out.success(t.backupWritten({ output: r.output, size: size(r.bytes) }));
          rt.out.info(t.backupCheck({ output: r.output }));
        });
      }),
    );
}

/** `config list|set|unset`: the hub's settings. */
export function registerConfig(program: Parent, rt: Runtime): void {
  const config = program.command('config').description("the hub's settings (e.g. where each sync keeps a backup first)");
  for (const declare of [configList, configSet, configUnset]) declare(config, rt);
}

function configList(config: Parent, rt: Runtime): void {
  config
    .command('list')
    .description('every setting, with its value')
    .action(
      act(rt, () => {
        const list = listSettings(rt.context());
        rt.out.result(list, (l) =>
          rt.out.print(
            rt.out.table(
              ['setting', 'value', 'meaning'],
              l.map((s) => [s.name, s.value ?? rt.out.cells.t.notSet(), rt.out.cells.t.settingMeaning({ name: s.name, text: s.description })]),
            ),
          ),
        );
      }),
    );
}

function configSet(config: Parent, rt: Runtime): void {
  config
    .command('set <name> <value>')
    .description('change a setting (backup-dir <dir>, backup-keep <n>)')
    .action(
      act(rt, (name, value) => {
        const s = setSetting(rt.context(), name, value);
        rt.out.result(s, () => rt.out.success(`${s.name} = ${s.value}`));
      }),
    );
}

function configUnset(config: Parent, rt: Runtime): void {
  config
    .command('unset <name>')
    .description('remove a setting')
    .action(
      act(rt, (name) => {
        const s = setSetting(rt.context(), name, null);
        rt.out.result(s, () => rt.out.success(t.settingRemoved({ name: s.name })));
      }),
    );
}
