/**
 * Free text that people type and the audit trail keeps: who acts (`--actor`, BASISHUB_ACTOR) and why
 * (a reason). It must say something a person can read: no control characters (an escape sequence in
 * the trail would act on the terminal of whoever reads it later), no bidirectional overrides (they
 * reorder what is shown), and at least one visible character (not only spaces or zero-width ones).
 * A reason may hold line breaks (LF or CRLF); an actor may not.
 */
import { usageError } from '../errors.js';
import { t } from '../i18n/index.js';

/** Control characters (C0, DEL, C1) and bidirectional embedding, override and isolate controls. */
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
/** What shows nothing: white space, format characters (zero-width space, joiners, BOM…), and blank letters. */
const INVISIBLE = /[\s\p{Cf}\p{Zs}\u034f\u115f\u1160\u3164\uffa0\u2800]/gu;

function describeChar(ch: string): string {
  const code = ch.codePointAt(0)!;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks text for the audit trail; returns it trimmed. `label` names where it came from in the message
 * (`--actor`, `BASISHUB_ACTOR`, `--reason`, `the reason in line 4`).
 */
export function checkReadable(value: string, label: string, why: string, opts: { lineBreaks?: boolean } = {}): string {
  // A reason may span lines (typed in Excel, imported back): its line ends are not refused.
  const bad = FORBIDDEN.exec(opts.lineBreaks ? value.replace(/\r?\n/g, (m) => ' '.repeat(m.length)) : value);
  if (bad !== null) {
    throw usageError(t.controlChar({ label, char: describeChar(bad[0]), at: bad.index + 1, why }), t.controlCharHint());
  }
  const text = value.trim();
  if (text.replace(INVISIBLE, '') === '') {
    throw usageError(t.nothingVisible({ label, empty: text === '', why }), t.nothingVisibleHint());
  }
  return text;
}

/** Who acts, for the audit trail. */
export function checkActor(value: string, label: string): string {
  return checkReadable(value, label, t.whyActor());
}

/** Why, for the audit trail and the exception list (R6); it may span lines. */
export function checkReason(value: string, label = '--reason'): string {
  return checkReadable(value, label, t.whyReason(), { lineBreaks: true });
}
