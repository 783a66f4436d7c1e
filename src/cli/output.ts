/**
 * The display layer (npm's output discipline). Results go to stdout:
 * one JSON document under --json, else text and tables for people. Messages, warnings, progress and
 * errors go to stderr. Colour only where the stream is a TTY, NO_COLOR is unset and --no-color was
 * not given. This is also the one place that turns an error into an exit code and its text or JSON.
 *
 * Under --json nothing but the one document is written: stdout holds it when the command succeeds,
 * stderr the `{"error": …}` document when it fails. A warning then goes into that document (its
 * `warnings` array; a list command's array has no room for one, so there it is left out), and messages
 * for people (info, success) are left out.
 */
import type { ChalkInstance } from 'chalk';
import { renderTable, type Cell, type Column } from './table.js';
import { BasishubError, Cancelled, EXIT, EXIT_INTERRUPTED, exitCodeFor } from '../errors.js';

export interface OutputOptions {
  json: boolean;
  color: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  debug?: boolean;
  /** The environment that NO_COLOR and TERM are read from (the process's by default). */
  env?: NodeJS.ProcessEnv;
}

export function colorWanted(flag: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag && !('NO_COLOR' in env && env.NO_COLOR !== undefined) && env.TERM !== 'dumb' && stream.isTTY === true;
}

let chalk: typeof import('chalk').Chalk | undefined;

/**
 * Loads the colour library when a stream is a terminal, the only place colour is shown: a pipe or cron
 * never pays for it. Call before making an Output for those streams.
 */
export async function loadColour(streams: { isTTY?: boolean }[]): Promise<void> {
  if (chalk === undefined && streams.some((s) => s.isTTY === true)) chalk = (await import('chalk')).Chalk;
}

/** Text as it is, with every colour and style of chalk's interface: what chalk does at level 0. */
const PLAIN: ChalkInstance = new Proxy((...text: unknown[]) => text.join(' '), {
  get: (_target, key) => (key === 'level' ? 0 : PLAIN),
}) as unknown as ChalkInstance;

function colours(on: boolean): ChalkInstance {
  if (chalk !== undefined) return new chalk({ level: on ? 1 : 0 });
  if (on) throw new Error('Colour on a terminal needs loadColour() first.');
  return PLAIN;
}

export class Output {
  readonly json: boolean;
  /** Colours for stdout and for stderr, each decided for its own stream. */
  readonly c: ChalkInstance;
  readonly e: ChalkInstance;
  private readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly debug: boolean;
  private progressShown = false;
  private progressStart = 0;
  private progressLast = 0;
  /** Warnings given under --json, for the document. */
  private readonly warnings: string[] = [];

  constructor(opts: OutputOptions) {
    this.json = opts.json;
    this.out = opts.stdout ?? process.stdout;
    this.err = opts.stderr ?? process.stderr;
    this.debug = opts.debug ?? false;
    this.c = colours(!opts.json && colorWanted(opts.color, this.out, opts.env));
    this.e = colours(!opts.json && colorWanted(opts.color, this.err, opts.env));
  }

  get stdoutIsTTY(): boolean {
    return this.out.isTTY === true;
  }

  /** A result for people (ignored under --json, where `data` is printed instead). */
  print(text = ''): void {
    this.out.write(text + '\n');
  }

  /** The one JSON document of a command. */
  printJson(data: unknown): void {
    this.out.write(JSON.stringify(this.withWarnings(data), null, 2) + '\n');
  }

  /** An object document with the warnings given under --json added, as `warnings`. */
  private withWarnings<T>(data: T): T | (T & { warnings: string[] }) {
    if (this.warnings.length === 0 || data === null || typeof data !== 'object' || Array.isArray(data) || 'warnings' in data) return data;
    return { ...data, warnings: [...this.warnings] };
  }

  /** Writes raw text to stdout (for streamed JSON and exports). */
  write(chunk: string): void {
    this.out.write(chunk);
  }

  /** Prints `data` as JSON, or lets `human` render it. */
  result<T>(data: T, human: (data: T) => void): void {
    if (this.json) this.printJson(data);
    else human(data);
  }

  /** A message for people on stderr; left out under --json. */
  info(message: string): void {
    if (this.json) return;
    this.clearProgress();
    this.err.write(message + '\n');
  }

  success(message: string): void {
    if (this.json) return;
    this.clearProgress();
    this.err.write(this.e.green('✔ ') + message + '\n');
  }

  /** A warning on stderr; under --json it goes into the command's one document instead. */
  warn(message: string): void {
    if (this.json) {
      this.warnings.push(message);
      return;
    }
    this.clearProgress();
    this.err.write(this.e.yellow('! ') + message + '\n');
  }

  /** Progress on stderr: only for people at a TTY, never under --json, and only after the first second. */
  progress(phase: string, done?: number): void {
    if (this.json || this.err.isTTY !== true) return;
    const now = Date.now();
    if (this.progressStart === 0) this.progressStart = now;
    if (now - this.progressStart < 1000 || now - this.progressLast < 100) return;
    this.progressLast = now;
    const text = done ? `${phase}… ${done.toLocaleString('nl-NL')} records` : `${phase}…`;
    this.err.write(`\r\x1b[2K${this.e.dim(text)}`);
    this.progressShown = true;
  }

  clearProgress(): void {
    if (this.progressShown) {
      this.err.write('\r\x1b[2K');
      this.progressShown = false;
    }
  }

  progressDone(): void {
    this.clearProgress();
    this.progressStart = 0;
  }

  /**
   * A table (src/cli/table.ts): on a terminal, aligned and never wider than it; otherwise tab-separated
   * lines with a header. `head` entries are column names or Column specs (ids, weights).
   */
  table(head: (string | Column)[], rows: Cell[][]): string {
    const columns = (this.out as { columns?: number }).columns;
    return renderTable(head, rows, { tty: this.stdoutIsTTY, width: columns && columns > 0 ? columns : 80, bold: (s) => this.c.bold(s) });
  }

  /** Renders an error and returns the exit code. The only place that does. */
  fail(err: unknown): number {
    this.clearProgress();
    if (err instanceof Cancelled) {
      this.err.write(err.message + '\n');
      return err.interrupted ? EXIT_INTERRUPTED : EXIT.ok;
    }
    const known = err instanceof BasishubError;
    const code = known ? err.code : 'INTERNAL';
    const message = known ? err.message : `Unexpected error: ${(err as Error)?.message ?? String(err)}`;
    if (this.json) {
      const error: Record<string, unknown> = { code, message };
      if (known && err.hint) error.hint = err.hint;
      if (known && err.details) Object.assign(error, err.details);
      if (this.warnings.length > 0) error.warnings = [...this.warnings];
      this.err.write(JSON.stringify({ error }) + '\n');
    } else {
      this.err.write(`${this.e.red.bold('Error')} ${this.e.dim(`[${code}]`)} ${message}\n`);
      if (known && err.hint) this.err.write(`${this.e.dim('→')} ${err.hint}\n`);
      if (!known) this.err.write(this.e.dim('This is a bug in basishub; run with BASISHUB_DEBUG=1 for the stack trace.\n'));
    }
    if (!known && this.debug) this.err.write(String((err as Error)?.stack ?? err) + '\n');
    return known ? exitCodeFor(err.code) : EXIT.internal;
  }
}
