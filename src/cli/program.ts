/**
 * The command tree: the global options of the contract, and one register function per command group.
 * This file is the only registry; each group lives in src/cli/commands/.
 */
import { Command, Help, type CommandUnknownOpts } from './commander.js';
import type { Runtime } from './runtime.js';
import { usageError } from '../errors.js';
import { VERSION } from '../version.js';
import { findCommand, finishHelp } from './help.js';
import type { Shell } from './completion.js';
import { t } from '../i18n/index.js';

type Register = (program: CommandUnknownOpts, rt: Runtime) => void;

/**
 * The command groups, in the order of `basishub --help`. Each group's module (and the use cases and
 * libraries it imports) loads only when a command line names it: `basishub --version`, `--help` and
 * `exceptions list` start as fast as a small tool. Until then a group is a stand-in with its name,
 * its term in the command list and its description, which is all the top-level help shows; a test
 * checks that these match the real commands.
 */
export const GROUPS: readonly { name: string; term: string; description: string; load: () => Promise<Register> }[] = [
  {
    name: 'init',
    term: 'init',
    description: 'create the hub database (owner-only file); a no-op on an existing hub',
    load: async () => (await import('./commands/init.js')).registerInit,
  },
  {
    name: 'sources',
    term: 'sources',
    description: 'register and manage the source exports',
    load: async () => (await import('./commands/sources.js')).registerSources,
  },
  {
    name: 'sync',
    term: 'sync',
    description: 'reconcile the hub with the sources, and its history',
    load: async () => (await import('./commands/sync.js')).registerSync,
  },
  {
    name: 'exceptions',
    term: 'exceptions',
    description: 'the import-exceptions list: accounts that a sync may never delete',
    load: async () => (await import('./commands/exceptions.js')).registerExceptions,
  },
  {
    name: 'users',
    term: 'users',
    description: 'accounts: list, show, edit, delete, restore',
    load: async () => (await import('./commands/users.js')).registerUsers,
  },
  {
    name: 'audit',
    term: 'audit [options]',
    description: 'the audit trail: every change, by a sync or a person, with who, when, what and why',
    load: async () => (await import('./commands/audit.js')).registerAudit,
  },
  {
    name: 'demo',
    term: 'demo [options]',
    description: 'build a demo hub from bundled exports and play five nights of syncs',
    load: async () => (await import('./commands/demo.js')).registerDemo,
  },
  {
    name: 'targets',
    term: 'targets',
    description: 'the target systems the hub publishes to (SCIM, SDS, OneRoster, CSV)',
    load: async () => (await import('./commands/targets.js')).registerTargets,
  },
  {
    name: 'publish',
    term: 'publish [options]',
    description: 'send each target the hub as it is now: active accounts, deactivations, removals (R15–R17)',
    load: async () => (await import('./commands/publish.js')).registerPublish,
  },
  {
    name: 'backup',
    term: 'backup [options]',
    description: 'write a consistent copy of the hub (owner-only), also while a sync runs',
    load: async () => (await import('./commands/backup.js')).registerBackup,
  },
  {
    name: 'config',
    term: 'config',
    description: "the hub's settings (e.g. where each sync keeps a backup first)",
    load: async () => (await import('./commands/backup.js')).registerConfig,
  },
  {
    name: 'check',
    term: 'check',
    description: "SQLite's integrity check and the hub's own rules; exit 7 (HUB_DAMAGED) when anything is wrong. Read-only: also for a backup given with --db",
    load: async () => (await import('./commands/check.js')).registerCheck,
  },
];

/** Global options that take a value: the word after them is not a command. */
const VALUED = new Set(['--db', '--actor', '--lang']);

/**
 * Which groups a command line needs: the one it names; all for `completion` and `help <command>`
 * (they read the whole tree); none for `--version`, `--help` or no command.
 */
export function groupsFor(argv: readonly string[]): 'all' | string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (VALUED.has(a)) i++;
    else if (!a.startsWith('-')) words.push(a);
  }
  if (words[0] === 'completion' || (words[0] === 'help' && words.length > 1)) return 'all';
  return words.length > 0 && GROUPS.some((g) => g.name === words[0]) ? [words[0]] : [];
}

/**
 * The command tree for `argv` (without it: every command, as completion and the tests need). Groups
 * that the command line does not name are stand-ins (GROUPS).
 */
export async function buildProgram(rt: Runtime, argv?: readonly string[]): Promise<Program> {
  const wanted = argv === undefined ? 'all' : groupsFor(argv);
  // One after the other: Jest's ESM loader (the in-process tests) can fail to link modules imported at once.
  const loaded: (Register | undefined)[] = [];
  for (const g of GROUPS) loaded.push(wanted === 'all' || wanted.includes(g.name) ? await g.load() : undefined);
  const program = rootCommand(rt);
  const standIns = new Map<CommandUnknownOpts, string>();
  GROUPS.forEach((g, i) => {
    const register = loaded[i];
    if (register !== undefined) register(program, rt);
    else standIns.set(program.command(g.name).description(g.description), g.term);
  });
  registerCompletion(program, rt);
  registerHelp(program);
  finishHelp(program);
  const help = new Help();
  program.configureHelp({ ...program.configureHelp(), subcommandTerm: (cmd) => standIns.get(cmd) ?? help.subcommandTerm(cmd) });
  return program;
}

/** The program and its global options (the command-line contract, "Global options"). */
function rootCommand(rt: Runtime) {
  return (
    new Command('basishub')
      .description(t.programDescription())
      .version(VERSION, '-V, --version', t.versionOption())
      .exitOverride()
      .configureOutput({
        writeOut: (s) => rt.io.stdout.write(s),
        // Help is a result, asked for or not (`basishub`, `basishub sources`): on stdout, so that
        // `basishub | less` shows it; not under --json, where run() makes it a USAGE error. Errors do not
        // come this way (outputError, below).
        writeErr: (s) => void (rt.json ? undefined : rt.io.stdout.write(s)),
        outputError: () => {}, // main() renders usage errors, as text or JSON.
      })
      .showSuggestionAfterError(true)
      .helpCommand(false)
      .option('--db <path>', t.optDb())
      .option('--json', t.optJson())
      .option('--actor <name>', t.optActor())
      .option('--no-input', t.optNoInput())
      .option('-y, --yes', t.optYes())
      .option('--no-color', t.optNoColor())
      // Read by main() before parsing (the help must be in the language); declared here so that commander accepts it.
      .option('--lang <nl|en>', t.optLang())
  );
}

export type Program = ReturnType<typeof rootCommand>;
/** The global options as commander parses them, typed from their declaration above. */
export type GlobalOptions = ReturnType<Program['opts']>;

/** `basishub help [command…]`: the help of any command, `help exceptions add` included, on stdout. */
function registerHelp(program: Program): void {
  program
    .command('help [command...]')
    .description(t.cmdHelp())
    .action((words) => {
      const cmd = findCommand(program, words ?? []);
      if (cmd === undefined) throw usageError(t.noCommand({ words: words.join(' ') }), t.noCommandHint());
      cmd.outputHelp();
    });
}

function registerCompletion(program: Program, rt: Runtime): void {
  program
    .command('completion <shell>')
    .description(t.cmdCompletion())
    .action(async (shell) => {
      const { SHELLS, completionScript } = await import('./completion.js');
      if (!(SHELLS as readonly string[]).includes(shell)) throw usageError(t.noCompletion({ shell }), t.passOneOf({ values: SHELLS.join(', ') }));
      rt.io.stdout.write(completionScript(program, shell as Shell));
    });
}
