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
 *
 * Nothing from outside reaches the terminal raw. A name from an export, a reason, an actor, a file
 * name or an error text may hold control characters (an escape sequence can hide text, retitle or clear
 * the terminal): every line for people passes through `visible()` on its way out, which shows them as
 * escapes (`\x1b`). The colours of this layer's own chalk instances are told apart from such data by a
 * per-process random marker that stands for ESC until the text is written; data cannot forge it.
 * `--json` keeps exact values (JSON escapes the C0 controls; C1 and bidi controls are escaped as \uXXXX).
 */
import type { ChalkInstance } from 'chalk';
import { renderTable, type Cell, type Column } from './table.js';
import { BasishubError, Cancelled, EXIT, EXIT_INTERRUPTED, exitCodeFor } from '../errors.js';
import { cellText, num, t, type CellText } from '../i18n/index.js';

/**
 * Characters a terminal acts on or that hide or reorder text: C0 controls but the newline, DEL, C1
 * controls, bidirectional overrides and isolates, the line and paragraph separators.
 */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return NAMED[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** Text as a person may see it: every character a terminal would act on shown as an escape (newlines kept). */
export function visible(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** One line: newlines shown as `\n` too (for a value that should not break a line, e.g. in a prompt). */
export function visibleLine(text: string): string {
  return visible(text).replace(/\n/g, '\\n');
}

/** JSON text with C1 and bidi controls escaped as \uXXXX as well: the same values, safe on a terminal. */
export function terminalSafeJson(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * What stands for ESC in this layer's own colours until they are written, and for the tabs between a
 * piped table's columns: random per process, so that data cannot forge them. Made on first use (a colour
 * or a table). The random bits are Math.random's, which V8 seeds in every process from the system's
 * entropy: data written before the process ran cannot know them, which is all a marker needs (nothing
 * secret is made from them). node:crypto gave the same protection for a tenth of a short command's start.
 */
let markers: { mark: string; tab: string } | undefined;
const ESC = /\x1b/g;

/** 64 random bits, as 16 hexadecimal digits. */
function randomHex(): string {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += Math.floor(Math.random() * 0x10000)
      .toString(16)
      .padStart(4, '0');
  return hex;
}

function marks(): { mark: string; tab: string } {
  markers ??= { mark: `\uE000${randomHex()}\uE001`, tab: `\uE002${randomHex()}\uE003` };
  return markers;
}

/**
 * A chalk instance whose output carries the marker instead of ESC, so that `visible()` leaves its colours
 * alone: `c.red.bold(text)` walks chalk's own chain, then marks what it returns.
 */
function marking(ch: ChalkInstance): ChalkInstance {
  const styled = (path: string[]): unknown =>
    new Proxy(() => {}, {
      get: (_t, prop) => {
        if (typeof prop !== 'string') return undefined;
        if (prop === 'level') return ch.level;
        return styled([...path, prop]);
      },
      apply: (_t, _this, args: unknown[]) => {
        let style = ch as unknown as (...a: unknown[]) => string;
        for (const p of path) style = (style as unknown as Record<string, typeof style>)[p]!;
        // Data given to a colour is made visible first; only what chalk adds is marked.
        const text = String(style(...args.map((a) => visible(String(a)))));
        return text.includes('\x1b') ? text.replace(ESC, marks().mark) : text;
      },
    });
  return styled([]) as ChalkInstance;
}

/** The text to write: data made visible, then this layer's colour markers turned into real escapes. */
function emit(text: string): string {
  // No marker made yet: nothing this process wrote can hold one.
  if (markers === undefined) return visible(text);
  return visible(text).split(markers.mark).join('\x1b').split(markers.tab).join('\t');
}

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
    this.c = marking(colours(!opts.json && colorWanted(opts.color, this.out, opts.env)));
    this.e = marking(colours(!opts.json && colorWanted(opts.color, this.err, opts.env)));
  }

  get stdoutIsTTY(): boolean {
    return this.out.isTTY === true;
  }

  /** How table cells are written: in the reader's language on a terminal, as for scripts when piped. */
  get cells(): CellText {
    return cellText(this.stdoutIsTTY);
  }

  /** A result for people (ignored under --json, where `data` is printed instead). */
  print(text = ''): void {
    this.out.write(emit(text) + '\n');
  }

  /** The one JSON document of a command: exact values. */
  printJson(data: unknown): void {
    this.out.write(terminalSafeJson(JSON.stringify(this.withWarnings(data), null, 2)) + '\n');
  }

  /** An object document with the warnings given under --json added, as `warnings`. */
  private withWarnings<T>(data: T): T | (T & { warnings: string[] }) {
    if (this.warnings.length === 0 || data === null || typeof data !== 'object' || Array.isArray(data) || 'warnings' in data) return data;
    return { ...data, warnings: [...this.warnings] };
  }

  /**
   * Writes text to stdout as it is (an export's CSV) when it goes to a file or a pipe; on a terminal,
   * control characters in it are shown as escapes (its CRLF line ends stay). Streamed JSON (--json)
   * keeps its exact values, with C1 and bidi controls as \u escapes.
   */
  write(chunk: string): void {
    if (this.json)
      this.out.write(terminalSafeJson(chunk)); // streamed JSON: exact values, valid JSON
    else if (!this.stdoutIsTTY) this.out.write(chunk);
    else this.out.write(chunk.split('\r\n').map(visible).join('\r\n'));
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
    this.err.write(emit(message) + '\n');
  }

  success(message: string): void {
    if (this.json) return;
    this.clearProgress();
    this.err.write(emit(this.e.green('✔ ') + message) + '\n');
  }

  /** A warning on stderr; under --json it goes into the command's one document instead. */
  warn(message: string): void {
    if (this.json) {
      this.warnings.push(message);
      return;
    }
    this.clearProgress();
    this.err.write(emit(this.e.yellow('! ') + message) + '\n');
  }

  /** Progress on stderr: only for people at a TTY, never under --json, and only after the first second. */
  progress(phase: string, done?: number): void {
    if (this.json || this.err.isTTY !== true) return;
    const now = Date.now();
    if (this.progressStart === 0) this.progressStart = now;
    if (now - this.progressStart < 1000 || now - this.progressLast < 100) return;
    this.progressLast = now;
    const text = done ? t.progressRecords({ phase, done: num(done) }) : `${phase}…`;
    this.err.write(`\r\x1b[2K${emit(this.e.dim(visibleLine(text)))}`);
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
   * lines with a header. `head` entries are column names or Column specs (ids, weights). Cells are made
   * visible with real colours first, so that the table measures them right; what it returns holds only
   * this layer's escapes, marked again for print().
   */
  table(head: (string | Column)[], rows: Cell[][]): string {
    const cells = rows.map((r) => r.map((x) => (typeof x === 'string' ? emit(x) : x)));
    const columns = (this.out as { columns?: number }).columns;
    // On a terminal the headers are in the reader's language; tab-separated output keeps the English
    // words, which scripts read (`cut`, `awk`, a spreadsheet's import).
    if (this.stdoutIsTTY) head = head.map((h) => (typeof h === 'string' ? t.head({ name: h }) : { ...h, head: t.head({ name: h.head }) }));
    const style = { tty: this.stdoutIsTTY, width: columns && columns > 0 ? columns : 80, bold: (s: string) => emit(this.c.bold(s)) };
    const text = renderTable(head, cells, style);
    return text.includes('\x1b') || text.includes('\t') ? text.replace(ESC, marks().mark).replace(/\t/g, marks().tab) : text;
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
    const message = known ? err.message : t.unexpected({ message: (err as Error)?.message ?? String(err) });
    if (this.json) {
      const error: Record<string, unknown> = { code, message };
      if (known && err.hint) error.hint = err.hint;
      if (known && err.details) Object.assign(error, err.details);
      if (this.warnings.length > 0) error.warnings = [...this.warnings];
      this.err.write(terminalSafeJson(JSON.stringify({ error })) + '\n');
    } else {
      const text = known ? err.text : message;
      const hint = known ? err.hintText : undefined;
      this.err.write(emit(`${this.e.red.bold(t.errorLabel())} ${this.e.dim(`[${code}]`)} ${text}`) + '\n');
      if (hint) this.err.write(emit(`${this.e.dim('→')} ${hint}`) + '\n');
      if (!known) this.err.write(emit(this.e.dim(t.bugHint())) + '\n');
    }
    if (!known && this.debug) this.err.write(visible(String((err as Error)?.stack ?? err)) + '\n');
    return known ? exitCodeFor(err.code) : EXIT.internal;
  }
}
