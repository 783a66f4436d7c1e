/**
 * A streaming CSV tokenizer: decoded text in (chunks cut anywhere), records out, each with the physical
 * line where it starts. It replaces csv-parse on the nightly hot path for speed: csv-parse
 * walks every byte through a general state machine and copies each field into a buffer, while this
 * slices fields out of the chunk and finds the ends of quote-free lines with indexOf.
 *
 * It does what csv-parse 6 does with the options csvtable.ts gives it — `delimiter` (one character),
 * quote and escape `"`, `record_delimiter: ['\r\n', '\n', '\r']`, `relax_column_count`, no trimming,
 * empty lines kept — record for record and error for error; test/sources/tokenizer.test.ts holds it
 * to that (named cases, and random inputs against csv-parse itself). In short:
 * - a record ends at \r\n, \n or a lone \r outside quotes; an empty line is the record [''];
 * - a line break at the very end of the input does not start another record; an empty input has none;
 * - a field that starts with `"` is quoted: it may hold delimiters and line breaks, `""` is one `"`,
 *   and its closing quote must be followed by the delimiter, a line break or the end of the input
 *   (else 'invalid-closing-quote': also for a space, so `"a" ;b` is an error);
 * - a `"` anywhere else in a field is 'invalid-opening-quote' (also ` "a"`, after a space);
 * - a quote still open at the end of the input is 'quote-not-closed';
 * - csv-parse's quirk that a NUL character after a closing quote also closes the field (the NUL and
 *   what follows then continue it unquoted) is kept, although the decoder rejects NULs anyway.
 *
 * Record size: a record whose fields hold more than `maxRecordChars` characters (UTF-16 code units,
 * counted without delimiters, enclosing quotes and the first quote of each `""`) is 'record-too-large',
 * found as soon as the characters are seen, so an unclosed quote cannot make it buffer the rest of the
 * file. csv-parse's `max_record_size: n` is the same rule with `n + 1` (it checks before appending a
 * character, so a record of n + 1 characters passes), except that it counts the field being read in
 * UTF-8 bytes and the earlier fields of the record in UTF-16 units: for non-ASCII text it rejects
 * somewhat smaller records. For its purpose (broken quoting swallowing the file) the difference is moot.
 *
 * Known differences from csv-parse, neither reachable through the decoder: csv-parse encodes its input
 * to UTF-8, so a lone surrogate comes out as U+FFFD (here it is kept); and it has no notion of a
 * header or BOM under these options, nor has this.
 *
 * Fields are slices of the pushed chunks. V8 may implement a slice as a view that keeps the whole
 * chunk alive: a caller that keeps fields long-term (and not only a few derived values) should copy
 * them, or accept that memory.
 */

export type CsvErrorKind = 'quote-not-closed' | 'invalid-closing-quote' | 'invalid-opening-quote' | 'record-too-large' | 'too-many-fields';

export class CsvSyntaxError extends Error {
  constructor(
    readonly kind: CsvErrorKind,
    /** The physical line (1-based) where the offending record starts. */
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const NUL = 0;

/** Where the parser is inside the current record, between pushes (plain numbers: no enum object). */
const Mode = {
  /** At the start of a field (or of a record, when no field is done yet). */
  FieldStart: 0,
  /** Inside an unquoted field; its text so far is in `partial`. */
  Unquoted: 1,
  /** Inside a quoted field; its value so far is in `partial`, unconsumed text in `tail`. */
  Quoted: 2,
} as const;
type Mode = (typeof Mode)[keyof typeof Mode];

/** Line breaks in a field's value: \r\n is one, a lone \r and a \n are one each. */
function breaksIn(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) n++;
  for (let i = value.indexOf('\r'); i >= 0; i = value.indexOf('\r', i + 1)) if (value.charCodeAt(i + 1) !== LF) n++;
  return n;
}

/**
 * Push decoded text in chunks cut anywhere (also inside `""` or \r\n), then call end(). `onRecord` gets
 * each record's fields and the 1-based physical line where the record starts (line breaks inside
 * quoted fields count: \r\n once). A syntax error is thrown as CsvSyntaxError from the push or end
 * that finds it; after a throw (also onRecord's) the tokenizer only rethrows.
 */
export class CsvTokenizer {
  private readonly delim: number;
  private readonly delimiter: string;

  // State between pushes. A chunk is consumed completely except for a `"` at its very end inside a
  // quoted field (is it `""` or the closing quote? the next character decides), so `tail` is '' or '"'.
  private tail = '';
  private mode: Mode = Mode.FieldStart;
  /** The current field so far (Unquoted: raw text; Quoted: value with `""` already undone). */
  private partial = '';
  /** The finished fields of the current record. */
  private fields: string[] = [];
  /** Characters in `fields` (for the record size limit). */
  private chars = 0;
  /** Line breaks inside the quoted fields in `fields`. */
  private breaks = 0;
  /** The line where the current record starts. */
  private line = 1;
  /** The previous chunk ended in a \r that ended a record: a \n first in the next chunk belongs to it. */
  private pendingCR = false;
  /** Set when push/end threw (a syntax error, or onRecord's): the state is then not trustworthy. */
  private failure: Error | undefined = undefined;
  private ended = false;

  constructor(
    delimiter: string,
    private readonly maxRecordChars: number,
    private readonly onRecord: (fields: string[], line: number) => void,
    /**
     * The most fields a record may have ('too-many-fields', found as the fields are seen). The size
     * limit does not count delimiters, so without this a line of millions of empty fields would pass.
     */
    private readonly maxFields = Infinity,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
      throw new Error(`CsvTokenizer: the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter;
    this.delim = delimiter.charCodeAt(0);
  }

  push(chunk: string): void {
    this.guarded(this.tail.length === 0 ? chunk : this.tail + chunk, false);
  }

  /** Finishes the input: emits the last record (a line break after it is not needed) or throws. */
  end(): void {
    this.guarded(this.tail, true);
    this.ended = true;
  }

  private guarded(s: string, final: boolean): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) throw new Error('CsvTokenizer: push or end after end');
    try {
      this.parse(s, final);
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    }
  }

  private parse(s: string, final: boolean): void {
    let p = 0;
    this.tail = '';
    if (this.pendingCR && s.length > 0) {
      this.pendingCR = false;
      if (s.charCodeAt(0) === LF) p = 1;
    }
    if (this.mode !== Mode.FieldStart || this.fields.length > 0) {
      // A record is under way from the previous chunk: finish it the careful way.
      p = this.slow(s, p, final, -1);
      if (p < 0) return;
    }
    this.lines(s, p, final);
  }

  /**
   * The fast path from `p`, at the start of a record: whole quote-free lines. The next \n, \r, quote and
   * delimiter are found with indexOf (a native scan: twice as fast here as a charCodeAt loop, measured)
   * and reused until passed; "none" is n, so it is not searched again. Reusing the delimiter's position
   * also keeps a file without delimiters linear (else every line would scan to the end of the chunk).
   * A line with a quote, and the unfinished line at the chunk's end, go field by field (`slow`).
   */
  private lines(s: string, p: number, final: boolean): void {
    const n = s.length;
    const max = this.maxRecordChars;
    const onRecord = this.onRecord;
    let line = this.line;
    let lf = -1;
    let cr = -1;
    let qt = -1;
    let dl = -1;
    while (p < n) {
      if (lf < p) {
        lf = s.indexOf('\n', p);
        if (lf < 0) lf = n;
      }
      if (cr < p) {
        cr = s.indexOf('\r', p);
        if (cr < 0) cr = n;
      }
      if (qt < p) {
        qt = s.indexOf('"', p);
        if (qt < 0) qt = n;
      }
      const end = lf < cr ? lf : cr;
      if (end === n || qt < end) {
        this.line = line;
        p = this.slow(s, p, final, end);
        if (p < 0) return;
        line = this.line;
        continue;
      }
      const fields: string[] = [];
      this.line = line;
      dl = this.cut(s, p, end, dl, fields);
      if (end - p - (fields.length - 1) > max) throw this.tooLarge();
      onRecord(fields, line);
      line++;
      p = end + 1;
      if (end === cr) {
        if (p < n) {
          if (s.charCodeAt(p) === LF) p++;
        } else if (!final) this.pendingCR = true;
      }
    }
    // The input so far ends exactly at a record's end (or is empty): with `final`, nothing is left.
    this.line = line;
  }

  /**
   * Cuts the quote-free line s[p, end) into `fields` at each delimiter. `dl` is the next delimiter's
   * position found so far (n: none in the chunk); returns it for the next line.
   */
  private cut(s: string, p: number, end: number, dl: number, fields: string[]): number {
    const maxFields = this.maxFields;
    let a = p;
    for (;;) {
      if (dl < a) {
        dl = s.indexOf(this.delimiter, a);
        if (dl < 0) dl = s.length;
      }
      if (dl >= end) break;
      if (fields.length >= maxFields) throw this.tooManyFields();
      fields.push(s.slice(a, dl));
      a = dl + 1;
    }
    if (fields.length >= maxFields) throw this.tooManyFields();
    fields.push(s.slice(a, end));
    return dl;
  }

  /**
   * Reads the current record field by field from `p`, continuing from the saved state (a record begun
   * in an earlier chunk). For lines with a quote and for the unfinished line at a chunk's end. Returns
   * where the next record starts, or -1 when `s` ran out first (the state is then saved; with `final`,
   * the record was finished at the end of the input). `lineEnd` is where the first \r or \n at or
   * after `p` is (-1: not known): a quoted field that ends before it has no line breaks to count.
   */
  private slow(s: string, p: number, final: boolean, lineEnd: number): number {
    // Where the current quoted field started in `s` (-1: in an earlier chunk).
    let start = -1;
    for (;;) {
      if (this.mode === Mode.FieldStart) {
        if (p >= s.length) {
          // A field that has not started: after a delimiter it is an empty last field.
          if (final && this.fields.length > 0) this.finishRecord('', 0);
          return -1;
        }
        if (s.charCodeAt(p) === QUOTE) {
          this.mode = Mode.Quoted;
          start = p;
          p++;
        } else this.mode = Mode.Unquoted;
        this.partial = '';
      }
      p = this.mode === Mode.Unquoted ? this.unquoted(s, p, final) : this.quoted(s, p, final, start, lineEnd);
      // -1: the input ran out; a record just finished: where the next starts; else the next field's start.
      if (p < 0 || ((this.mode as Mode) === Mode.FieldStart && this.fields.length === 0)) return p;
    }
  }

  /** An unquoted field from `p` (see `slow` for what the result means). */
  private unquoted(s: string, p: number, final: boolean): number {
    const n = s.length;
    const delim = this.delim;
    // A charCodeAt loop: one scan for four characters, and this path sees few characters.
    let i = p;
    let c = 0;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c === delim || c === LF || c === CR || c === QUOTE) break;
    }
    if (i === n) {
      this.partial += s.slice(p, n);
      if (final) this.finishRecord(this.takePartial(), 0);
      else if (this.chars + this.partial.length > this.maxRecordChars) throw this.tooLarge();
      return -1;
    }
    // The field is never empty when a quote is met here (a leading quote makes it quoted).
    if (c === QUOTE) {
      if (this.chars + this.partial.length + (i - p) > this.maxRecordChars) throw this.tooLarge();
      const msg = `a quote (") inside a field that does not start with one (record at line ${this.line})`;
      throw new CsvSyntaxError('invalid-opening-quote', this.line, msg);
    }
    const value = this.takePartial() + s.slice(p, i);
    if (c === delim) {
      this.finishField(value, 0);
      return i + 1;
    }
    return this.finishRecordAt(s, i, value, 0, final);
  }

  /**
   * A quoted field from `p` (after its opening quote, or where an earlier chunk left it; `start` is
   * where it opened in `s`, -1: in an earlier chunk). Looks for the next quote: the character after it
   * says `""`, closing quote or error. See `slow` for what the result means.
   */
  private quoted(s: string, p: number, final: boolean, start: number, lineEnd: number): number {
    const n = s.length;
    for (;;) {
      const q = s.indexOf('"', p);
      if (q < 0) {
        if (final) return this.notClosed(s, p, n);
        this.partial += s.slice(p, n);
        if (this.chars + this.partial.length > this.maxRecordChars) throw this.tooLarge();
        return -1;
      }
      // Line breaks in the value need counting unless it opened and closed before the line's first break.
      const counted = start < 0 || q > lineEnd;
      if (q + 1 === n) {
        if (final) {
          // A closing quote at the end of the input.
          const value = this.takePartial() + s.slice(p, q);
          this.finishRecord(value, counted ? breaksIn(value) : 0);
          return -1;
        }
        this.partial += s.slice(p, q);
        if (this.chars + this.partial.length > this.maxRecordChars) throw this.tooLarge();
        this.tail = '"';
        return -1;
      }
      const d = s.charCodeAt(q + 1);
      if (d === QUOTE) {
        // `""`: keep one quote. Joining pieces per escape, not per character.
        this.partial += s.slice(p, q + 1);
        p = q + 2;
        continue;
      }
      if (d === this.delim) {
        const value = this.takePartial() + s.slice(p, q);
        this.finishField(value, counted ? breaksIn(value) : 0);
        return q + 2;
      }
      if (d === LF || d === CR) {
        const value = this.takePartial() + s.slice(p, q);
        return this.finishRecordAt(s, q + 1, value, counted ? breaksIn(value) : 0, final);
      }
      return this.afterClosingQuote(s, p, q, d);
    }
  }

  /**
   * A closing quote followed by something other than the delimiter or a line break: an error, except
   * for csv-parse's NUL quirk (it tests the byte after a closing quote for falsiness, so NUL closes the
   * field; the NUL and what follows continue it as unquoted text, where a quote is an error).
   */
  private afterClosingQuote(s: string, p: number, q: number, d: number): number {
    if (this.chars + this.partial.length + (q - p) > this.maxRecordChars) throw this.tooLarge();
    if (d === NUL) {
      this.partial += s.slice(p, q);
      this.mode = Mode.Unquoted;
      return q + 1;
    }
    throw new CsvSyntaxError(
      'invalid-closing-quote',
      this.line,
      `a closing quote followed by ${JSON.stringify(s[q + 1])}, not by the delimiter or a line break ` + `(record at line ${this.line})`,
    );
  }

  private takePartial(): string {
    const v = this.partial;
    this.partial = '';
    return v;
  }

  private finishField(value: string, breaks: number): void {
    if (this.fields.length >= this.maxFields) throw this.tooManyFields();
    this.fields.push(value);
    this.chars += value.length;
    // Checked per field too, so that a record that never ends cannot grow past the limit.
    if (this.chars > this.maxRecordChars) throw this.tooLarge();
    this.breaks += breaks;
    this.mode = Mode.FieldStart;
  }

  private finishRecord(value: string, breaks: number): void {
    this.finishField(value, breaks);
    const fields = this.fields;
    const line = this.line;
    this.line = line + 1 + this.breaks;
    this.fields = [];
    this.chars = 0;
    this.breaks = 0;
    this.onRecord(fields, line);
  }

  /** Finishes the record at the line break at `i`; returns where the next record starts, or -1. */
  private finishRecordAt(s: string, i: number, value: string, breaks: number, final: boolean): number {
    this.finishRecord(value, breaks);
    if (s.charCodeAt(i) === LF) return i + 1 < s.length ? i + 1 : -1;
    // \r: with a \n after it one break; at the end of the chunk the next one tells.
    if (i + 1 < s.length) {
      const next = s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
      return next < s.length ? next : -1;
    }
    if (!final) this.pendingCR = true;
    return -1;
  }

  private notClosed(s: string, p: number, n: number): never {
    if (this.chars + this.partial.length + (n - p) > this.maxRecordChars) throw this.tooLarge();
    const msg = `a quoted field in the record that starts at line ${this.line} is never closed`;
    throw new CsvSyntaxError('quote-not-closed', this.line, msg);
  }

  private tooManyFields(): CsvSyntaxError {
    return new CsvSyntaxError('too-many-fields', this.line, `the record at line ${this.line} has more than ${this.maxFields} fields`);
  }

  private tooLarge(): CsvSyntaxError {
    return new CsvSyntaxError('record-too-large', this.line, `the record at line ${this.line} holds more than ${this.maxRecordChars} characters`);
  }
}
