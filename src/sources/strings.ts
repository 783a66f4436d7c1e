/**
 * Strings that are kept while an export of a million records is collected must not keep more alive
 * than themselves: V8 may share a substring's memory with the whole text it was cut from.
 */

/** Reading a character of a rope (a string built by `+`) flattens it into one string of its own. */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** Below this length V8 copies a substring instead of pointing into its parent (SlicedString::kMinLength). */
const SLICE_MIN = 13;

/**
 * A field cut out of a decoded chunk of the export (src/sources/tokenizer.ts) may be a view that keeps
 * the whole chunk (hundreds of kilobytes) alive. A copy of its own, for fields that are kept.
 */
export function detach(s: string): string {
  return s.length < SLICE_MIN ? s : flat(' ' + s).slice(1);
}
