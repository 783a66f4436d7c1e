/**
 * The display layer (see ../shared/notes/style.md, npm's output discipline). Results go to stdout:
 * one JSON document under --json, else text and tables for people. Messages, warnings, progress and
 * errors go to stderr. Colour only where the stream is a TTY, NO_COLOR is unset and --no-color was
 * not given. This is also the one place that turns an error into an exit code and its text or JSON.
 *
 * Under --json nothing but the one document is written: stdout holds it when the command succeeds,
 * stderr the `{"error": …}` document when it fails. A warning then goes into that document (its
 * `warnings` array; a list command's array has no room for one, so there it is left out), and messages
 * for people (info, success) are left out.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { BasishubError, EXIT, exitCodeFor } from '../errors.js';

export interface OutputOptions {
  json: boolean;
  color: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  debug?: boolean;
  /** The environment the colour choice reads (NO_COLOR, TERM); the process's when absent. */
  env?: NodeJS.ProcessEnv;
}

export function colorWanted(flag: boolean, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag && !('NO_COLOR' in env && env.NO_COLOR !== undefined) && env.TERM !== 'dumb' && stream.isTTY === true;
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
    this.c = new Chalk({ level: !opts.json && colorWanted(opts.color, this.out, opts.env) ? 1 : 0 });
    this.e = new Chalk({ level: !opts.json && colorWanted(opts.color, this.err, opts.env) ? 1 : 0 });
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

  /** A table for people; cli-table3's own colours are off, chalk colours the cells (../shared/notes/toolchain.md). */
  table(head: string[], rows: (string | number)[][]): string {
    const cells = rows.map((r) => r.map((x) => String(x)));
    const t = new Table({
      head: head.map((h) => this.c.bold(h)),
      style: { head: [], border: [] },
      wordWrap: true,
      ...this.fitColumns(head, cells),
    });
    for (const r of cells) t.push(r);
    return t.toString();
  }

  /** On a terminal, narrows the widest columns so that a table fits its width (cli-table3 then wraps). */
  private fitColumns(head: string[], rows: string[][]): { colWidths?: number[] } {
    const columns = (this.out as { columns?: number }).columns;
    if (!this.stdoutIsTTY || !columns) return {};
    const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
    const widths = head.map((h, i) => Math.max(plain(h).length, ...rows.map((r) => Math.max(...plain(r[i] ?? '').split('\n').map((l) => l.length)))) + 2);
    const budget = columns - (head.length + 1);
    let total = widths.reduce((a, b) => a + b, 0);
    while (total > budget) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widths[widest]! <= 12) break;
      widths[widest]! -= 1;
      total -= 1;
    }
    return { colWidths: widths };
  }

  /** Renders an error and returns the exit code. The only place that does. */
  fail(err: unknown): number {
    this.clearProgress();
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
