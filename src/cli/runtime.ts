/**
 * What a command's action needs: the global options (the command-line contract, "Global options"), the
 * display layer, and the use-case context, opened on first use.
 */
import type { CommandUnknownOpts } from './commander.js';
import type { GlobalOptions } from './program.js';
import type { AppContext, Notifier, Prompter } from '../app/context.js';
import { checkActor } from '../app/text.js';
import type { Store } from '../store/store.js';
import { Output } from './output.js';
import { promptOutput } from './stdio.js';

/** What a command that opens the hub needs, loaded before its action runs (Runtime.load). */
async function hubModules() {
  // One after the other, as in program.ts (buildProgram).
  const context = await import('../app/context.js');
  const prompts = await import('./prompts.js');
  return { ...context, ...prompts };
}

export interface IO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Whether stdin is a terminal, if that can be known without opening it (the process's; see processIO). */
  stdinIsTTY?: () => boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export class Runtime {
  out: Output;
  /** The global options, once parsed (configure). */
  opts: Partial<GlobalOptions> = {};
  /** The exit code of a command that succeeded but has something to say (exceptions review: 6). */
  exitCode = 0;
  private store?: Store;
  private hub?: Awaited<ReturnType<typeof hubModules>>;

  constructor(
    readonly io: IO,
    /** --json anywhere on the command line (before parsing; `opts.json` after). */
    readonly json: boolean,
  ) {
    this.out = new Output({ json, color: true, stdout: io.stdout, stderr: io.stderr, debug: !!io.env.BASISHUB_DEBUG, env: io.env });
  }

  /** Loads the store and the use-case context; before an action (act), not for --help or --version. */
  async load(): Promise<void> {
    this.hub ??= await hubModules();
  }

  /** Called before each action with the parsed global options. */
  configure(cmd: CommandUnknownOpts): void {
    this.opts = cmd.optsWithGlobals(); // the root declares them: GlobalOptions
    this.out = new Output({
      json: !!this.opts.json,
      color: this.opts.color !== false,
      stdout: this.io.stdout,
      stderr: this.io.stderr,
      debug: !!this.io.env.BASISHUB_DEBUG,
      env: this.io.env,
    });
  }

  get dbPath(): string {
    return this.opts.db ?? this.io.env.BASISHUB_DB ?? './basishub.db';
  }

  /** Whether a person can be asked: a TTY on stdin, and neither --no-input nor --json. */
  get interactive(): boolean {
    return this.opts.input !== false && !this.opts.json && (this.io.stdinIsTTY?.() ?? this.io.stdin.isTTY === true);
  }

  notifier(): Notifier {
    const out = this.out;
    return {
      warn: (m) => out.warn(m),
      info: (m) => out.info(m),
      progress: (phase, done) => out.progress(phase, done),
      progressDone: () => out.progressDone(),
    };
  }

  context(): AppContext {
    if (this.hub === undefined) throw new Error('Runtime.load() must run before context().');
    const { openStore, systemClock, terminalPrompter } = this.hub;
    const actor = this.actor();
    this.store ??= openStore(this.dbPath);
    // Whether stdin is a terminal is asked only by a use case that may prompt: asking loads node:tty
    // (3–4 ms of a short command such as a search, which never prompts).
    const ask = () => (this.interactive ? terminalPrompter({ input: this.io.stdin, output: promptOutput(this.io.stderr) }) : undefined);
    let prompt: { value: Prompter | undefined } | undefined;
    return {
      store: this.store,
      dbPath: this.dbPath,
      actor,
      clock: systemClock(this.io.env),
      get prompt() {
        prompt ??= { value: ask() };
        return prompt.value;
      },
      yes: !!this.opts.yes,
      notify: this.notifier(),
    };
  }

  /** Who acts: --actor, else BASISHUB_ACTOR, else the OS user; refused when it is empty or holds control characters. */
  private actor(): string {
    if (this.opts.actor !== undefined) return checkActor(this.opts.actor, '--actor');
    const env = this.io.env.BASISHUB_ACTOR;
    if (env !== undefined && env !== '') return checkActor(env, 'BASISHUB_ACTOR');
    return this.hub!.defaultActor(this.io.env);
  }

  close(): void {
    this.store?.db.close();
    this.store = undefined;
  }
}
