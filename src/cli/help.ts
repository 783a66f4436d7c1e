/**
 * Help, as people expect it from git, gh and kubectl: on stdout when asked for (`basishub`,
 * `basishub help exceptions add`, `--help`), an example for every command, and the global options in
 * every command's help.
 */
import { fileURLToPath } from 'node:url';
import { Help, type CommandUnknownOpts as Command } from './commander.js';
import { t } from '../i18n/index.js';

/** Examples per command path; each is a command line and what it does. */
const EXAMPLES: Record<string, [string, string][]> = {
  '': [
    ['basishub demo', 'play five nights of a demo foundation'],
    ['basishub sync run --dry-run', "what tonight's sync would do"],
    ['basishub help exceptions add', 'help for one command'],
  ],
  init: [['basishub init --db /srv/basishub/hub.db', 'create the hub (readable by you only)']],
  sources: [['basishub sources list', 'the registered sources']],
  'sources add': [
    ['basishub sources add hr --file medewerkers.csv --kind hr --map externalId=Personeelsnummer --map email=E-mailadres', 'an HR export with Dutch headers'],
    ['basishub sources add roster --format oneroster-1.1 --file oneroster.zip', 'a standard format needs no --map'],
  ],
  'sources list': [['basishub sources list', 'name, kind, priority, file']],
  'sources show': [['basishub sources show hr', 'settings, links, and what is detected in the export now']],
  'sources edit': [['basishub sources edit hr --file /data/afas/medewerkers-2027.csv', 'read a new file from now on']],
  'sources remove': [['basishub sources remove oud-las', 'refused while accounts are linked to it; --force removes the links']],
  'sources check': [['basishub sources check', 'read every export without syncing']],
  sync: [['basishub sync history', 'the runs so far']],
  'sync run': [
    ['basishub sync run --dry-run', 'exactly what it would do; changes nothing'],
    ['basishub sync run --source hr=/tmp/medewerkers.csv', 'read another file for one source, for this run'],
    ['basishub sync run --approve 3f1c0a9be2d47c61', 'apply the plan that a safety stop printed'],
  ],
  'sync history': [['basishub sync history --limit 5 | cut -f1,2,15', 'piped, runs are tab-separated columns']],
  'sync show': [['basishub sync show 17', 'every change of run 17, and the files it read']],
  'sync revert': [
    ['basishub sync revert 41 --dry-run', 'what undoing run 41 would put back; changes nothing'],
    ['basishub sync revert 41 --yes', 'undo run 41 without a terminal to confirm on'],
  ],
  backup: [['basishub backup --output /srv/basishub/backups/hub-$(date +%F).db', 'a consistent copy, also while a sync runs']],
  targets: [['basishub targets list', 'the target systems and what each last acknowledged']],
  'targets add': [
    [
      'basishub targets add entra --kind scim --url https://scim.example.org/scim/v2 --token-env ENTRA_SCIM_TOKEN',
      'a SCIM 2.0 service; the token stays in the environment',
    ],
    ['basishub targets add sds --kind sds-v2.1 --output /srv/basishub/sds', 'School Data Sync v2.1 CSV files in a folder'],
  ],
  'targets list': [['basishub targets list', 'name, kind, where, last publish']],
  'targets show': [['basishub targets show entra', 'what it acknowledged, when, and what is pending']],
  'targets edit': [['basishub targets edit entra --concurrency 8', 'more SCIM requests in flight']],
  'targets remove': [['basishub targets remove oud-sds', 'forget a target and what it acknowledged']],
  publish: [
    ['basishub publish --dry-run', 'what every target would get; sends nothing'],
    ['basishub sync run && basishub publish', 'the nightly pair: publish only after a completed sync'],
  ],
  check: [
    ['basishub check', "SQLite's integrity check and the hub's own rules; exit 7 when anything is wrong"],
    ['basishub check --db /srv/basishub/backups/hub-2026-11-30.db', 'verify a backup before restoring it'],
  ],
  config: [['basishub config list', "the hub's settings"]],
  'config list': [['basishub config list', 'backup-dir and backup-keep, and whether they are set']],
  'config set': [['basishub config set backup-dir /srv/basishub/backups', 'every sync first copies the hub there']],
  'config unset': [['basishub config unset backup-dir', 'no more copies before a sync']],
  exceptions: [['basishub exceptions list', 'the list']],
  'exceptions add': [
    ['basishub exceptions add', 'on a terminal: search the account, type the reason and an end date'],
    ['basishub exceptions add hr:10395 --reason "Invalpool: tussen twee contracten" --until 31-01-2027', 'in one line'],
  ],
  'exceptions list': [['basishub exceptions list --not-offered --stale 90', 'listed for 90 days or more, and offered by no source']],
  'exceptions edit': [['basishub exceptions edit hr:10395 --reason "Interim-directeur" --no-until', 'a new reason, no end date']],
  'exceptions review': [['basishub exceptions review --fail-if-pending', 'exit 6 when anything needs a decision (a weekly cron mail)']],
  'exceptions import': [['basishub exceptions import lijst.csv --dry-run', 'check every row, write nothing']],
  'exceptions export': [['basishub exceptions export --output lijst.csv --delimiter ";"', 'for Dutch Excel']],
  'exceptions remove': [['basishub exceptions remove hr:10395', 'asks first when the next sync would then delete the account']],
  users: [['basishub users list --search "van der"', 'find accounts']],
  'users list': [
    ['basishub users list --search "van der"', 'part of a name, email, externalId, school or group'],
    ['basishub users list --status deleted', 'the Deleted users'],
  ],
  'users show': [['basishub users show hr:10234', 'one account, its links, relations and history']],
  'users edit': [['basishub users edit hr:10234 --family-name "Vries-Bakker"', 'a source-owned account asks first']],
  'users delete': [['basishub users delete hr:10234 --reason "uit dienst"', 'to Deleted users; asks first']],
  'users restore': [['basishub users restore 31', 'back as a hub account without links']],
  'users purge': [['basishub users purge --older-than 365 --dry-run', 'which accounts a year of retention would erase']],
  audit: [
    ['basishub audit --user hr:10395', 'every change to one account'],
    ['basishub audit --since 01-12-2026', 'from that Dutch day on'],
  ],
  demo: [['basishub demo --keep demo.db', 'keep the demo hub to explore it']],
  completion: [
    ['basishub completion bash > ~/.local/share/bash-completion/completions/basishub', 'bash'],
    ['basishub completion fish > ~/.config/fish/completions/basishub.fish', 'fish'],
  ],
  help: [['basishub help exceptions add', 'help for one command']],
};

export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function* walk(cmd: Command): Generator<Command> {
  yield cmd;
  for (const sub of cmd.commands) yield* walk(sub);
}

/** The rules document that ships with the program (docs/rules.md), where every R-number is explained. */
export function rulesFile(): string {
  return fileURLToPath(new URL('../../docs/rules.md', import.meta.url));
}

/** Adds the examples and lists the global options in every command's help. */
export function finishHelp(program: Command): void {
  program.addHelpText('afterAll', `\n${t.helpRules({ file: rulesFile() })}`);
  const commands = t.commands();
  const options = t.options();
  const explained = t.examples();
  for (const cmd of walk(program)) {
    const path = commandPath(cmd);
    localise(cmd, path, commands, options);
    const examples = EXAMPLES[path];
    if (examples === undefined) continue;
    // As kubectl prints them: what it does as a comment, then the line to type.
    const text = examples.map(([line, what]) => `  # ${explained[what] ?? what}\n  $ ${line}`);
    cmd.addHelpText('after', `\n${t.helpExamples()}\n${text.join('\n\n')}`);
  }
}

/**
 * Commander's own words (its headings, the help option, "default:") and the descriptions of commands
 * and options, in the reader's language. Names of commands and options never change.
 */
function localise(cmd: Command, path: string, commands: Record<string, string>, options: Record<string, string>): void {
  const own = commands[path];
  if (own !== undefined) cmd.description(own);
  for (const o of cmd.options) {
    const text = options[`${path}|${o.long ?? ''}`];
    if (text !== undefined) o.description = text;
  }
  cmd.helpOption('-h, --help', t.helpOption());
  if (cmd.parent !== null && cmd.commands.length > 0) cmd.helpCommand('help [command]', t.helpCommandText());
  cmd.configureHelp({
    showGlobalOptions: true,
    sortSubcommands: false,
    styleTitle: (title: string) => t.helpTitle({ title }),
    commandUsage: (c) => Help.prototype.commandUsage.call(new Help(), c).replace(/\[options\]|\[command\]/g, (w) => t.helpTitle({ title: w })),
    optionDescription: (o) => Help.prototype.optionDescription.call(new Help(), o).replace(/\(default: /, `(${t.helpDefault({ value: '' })}`),
  });
}

/** The command at `path` (["exceptions", "add"]), or undefined. */
export function findCommand(program: Command, path: string[]): Command | undefined {
  let cmd: Command | undefined = program;
  for (const name of path) {
    cmd = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (cmd === undefined) return undefined;
  }
  return cmd;
}

export function hasExamples(path: string): boolean {
  return EXAMPLES[path] !== undefined;
}
