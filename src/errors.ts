/**
 * Errors are values with codes (the command-line contract, "JSON output"). Every failure the user should
 * see is a BasishubError; src/cli/output.ts is the one place that maps a code to an exit code and to
 * text or `{"error": {...}}`.
 */
import { en, type Catalogue } from './i18n/en.js';
import { t } from './i18n/index.js';
import type { Message } from './i18n/message.js';

export const ERROR_CODES = [
  'USAGE',
  'NO_DATABASE',
  'NOT_FOUND',
  'AMBIGUOUS_USER',
  'NO_SOURCE_LINK',
  'ALREADY_LISTED',
  'NOT_LISTED',
  'USER_DELETED',
  'INVALID_EXPORT',
  'SAFETY_STOP',
  'SYNC_LOCKED',
  'PENDING_REVIEW',
  'EMAIL_TAKEN',
  'STORAGE',
  'HUB_DAMAGED',
  'TARGET_FAILED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Exit codes of the contract. */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalidExport: 3,
  safetyStop: 4,
  locked: 5,
  pendingReview: 6,
  hubDamaged: 7,
  targetFailed: 8,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'INTERNAL':
      return EXIT.internal;
    case 'INVALID_EXPORT':
      return EXIT.invalidExport;
    case 'SAFETY_STOP':
      return EXIT.safetyStop;
    case 'SYNC_LOCKED':
      return EXIT.locked;
    case 'PENDING_REVIEW':
      return EXIT.pendingReview;
    case 'HUB_DAMAGED':
      return EXIT.hubDamaged;
    case 'TARGET_FAILED':
      return EXIT.targetFailed;
    default:
      return EXIT.usage;
  }
}

export class BasishubError extends Error {
  readonly code: ErrorCode;
  /** What to do next, shown to people below the message. */
  readonly hint?: string;
  /** Extra machine-readable facts, added to the JSON error object. */
  readonly details?: Record<string, unknown>;
  /** The message and hint in another catalogue, where `message` and `hint` are fixed (English) for --json. */
  readonly #said?: (catalogue: Catalogue) => { message: string; hint?: string };

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown; said?: (catalogue: Catalogue) => { message: string; hint?: string } } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BasishubError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
    this.#said = opts.said;
  }

  /** The message as a person reads it: in the run's language. */
  get text(): string {
    return this.#said?.(t).message ?? this.message;
  }

  /** The hint as a person reads it: in the run's language. */
  get hintText(): string | undefined {
    return this.#said === undefined ? this.hint : this.#said(t).hint;
  }
}

/**
 * The person said no at a prompt (exit 0) or pressed Ctrl-C (exit 130): nothing was changed. Not an
 * error to report, so not a BasishubError; main() says so on stderr and exits.
 */
export class Cancelled extends Error {
  constructor(readonly interrupted: boolean) {
    super(interrupted ? t.interrupted() : t.cancelled());
    this.name = 'Cancelled';
  }
}

export const EXIT_INTERRUPTED = 130;

export function usageError(message: string, hint?: string): BasishubError {
  return new BasishubError('USAGE', message, { hint });
}

/**
 * An export that cannot be used (INVALID_EXPORT): always names the file, and the line where there is one.
 * The problem and hint are typed messages (src/i18n/message.ts): a person reads them in the run's
 * language, while `message` and `hint`, which --json carries, are English whatever the language.
 */
export class InvalidExportError extends BasishubError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    /** The problem without the file and line. */
    readonly problem: Message | string,
    hint?: Message | string,
  ) {
    const where = line === null ? file : `${file}:${line}`;
    const said = (c: Catalogue) => ({
      message: `${where}: ${typeof problem === 'string' ? problem : problem.in(c)}`,
      hint: hint === undefined ? c.exportHint() : typeof hint === 'string' ? hint : hint.in(c),
    });
    const english = said(en);
    super('INVALID_EXPORT', english.message, { hint: english.hint, details: { file, line }, said });
  }
}

export function invalidExport(file: string, line: number | null, problem: Message | string, hint?: Message | string): InvalidExportError {
  return new InvalidExportError(file, line, problem, hint);
}
