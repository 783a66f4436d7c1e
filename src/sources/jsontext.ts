/**
 * What JSON.parse lets through but an export must not hold, found in the text of one object that
 * JSON.parse accepted (so its syntax is known to be right):
 * - a key twice in one object: JSON.parse keeps the last silently, so one of two values would be lost
 *   without a word (`{"group": "7A", "group": "8B"}`);
 * - `\u0000` in a string: a NUL, which the CSV readers refuse as binary data; a name must not hold one.
 */
import { msg, type Message } from '../i18n/message.js';

export interface TextProblem {
  /** Offset in the text where the offending string starts. */
  offset: number;
  problem: Message;
}

/**
 * The first problem in `text` (one JSON value, already parsed without error), or null. One pass,
 * jumping over strings with indexOf; keys with escapes are decoded before they are compared.
 */
export function findTextProblem(text: string): TextProblem | null {
  /** Per open container: the keys of an object so far, or null for an array. */
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  let backslash = -1;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        const q = text.indexOf('"', j);
        if (backslash < j) backslash = text.indexOf('\\', j);
        if (q < 0) return null; // cannot happen after JSON.parse; do not loop
        if (backslash < 0 || backslash > q) {
          j = q;
          break;
        }
        if (text.startsWith('u0000', backslash + 1)) return { offset: i, problem: msg('readJsonNul') };
        const escape = text.slice(backslash + 1, backslash + 6).toLowerCase();
        if (escape === 'u001e' || escape === 'u001f') return { offset: i, problem: msg('readJsonSeparator', { escape }) };
        escaped = true;
        j = backslash + 2;
      }
      const top = stack.length > 0 ? stack[stack.length - 1] : null;
      if (top != null && expectKey) {
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (top.has(key)) return { offset: i, problem: msg('readJsonDuplicateKey', { key }) };
        top.add(key);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 91 /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 44 /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] != null;
    }
    i++;
  }
  return null;
}
