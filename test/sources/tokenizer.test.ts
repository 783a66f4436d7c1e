/**
 * The hand-written CSV tokenizer (src/sources/tokenizer.ts) against csv-parse, whose behaviour it
 * replaces on the hot path: named cases, every chunk boundary of small inputs, and a few thousand
 * random inputs compared record for record (and error for error) with csv-parse's sync API.
 */
import { describe, expect, it } from '@jest/globals';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { MAX_ROW_BYTES } from '../../src/sources/csvtable.js';
import { CsvSyntaxError, CsvTokenizer, type CsvErrorKind } from '../../src/sources/tokenizer.js';
import { prng } from '../../src/bench/generate.js'; // seeded, so that a failure can be replayed

interface Outcome {
  records: string[][];
  /** The start line of each record (the tokenizer's, or computed independently). */
  lines?: number[];
  error?: CsvErrorKind;
  errorLine?: number;
}

const KIND: Record<string, CsvErrorKind> = {
  CSV_QUOTE_NOT_CLOSED: 'quote-not-closed',
  CSV_INVALID_CLOSING_QUOTE: 'invalid-closing-quote',
  INVALID_OPENING_QUOTE: 'invalid-opening-quote',
  CSV_MAX_RECORD_SIZE: 'record-too-large',
};

/** Line breaks in `buf`: \r\n is one, a lone \r or \n one each. */
function breaks(buf: Buffer): number {
  let n = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 10 || (buf[i] === 13 && buf[i + 1] !== 10)) n++;
  }
  return n;
}

/**
 * csv-parse with the options csvtable.ts gives it. Records before an error are kept (on_record). The
 * start lines are computed independently of both parsers' line counting: csv-parse reports the byte
 * offset after each record's line break (info.bytes), which is where the next record starts, and the
 * breaks before that offset are counted here.
 */
function csvParse(input: string, delimiter = ';', maxRecordSize = MAX_ROW_BYTES): Outcome {
  const records: string[][] = [];
  const starts: number[] = [0];
  try {
    parse(input, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      max_record_size: maxRecordSize,
      on_record: (record: string[], info) => {
        records.push(record);
        starts.push(info.bytes);
        return record;
      },
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const kind = KIND[e.code];
    if (kind === undefined) throw e;
    return { records, error: kind };
  }
  const buf = Buffer.from(input, 'utf8');
  return { records, lines: records.map((_, i) => 1 + breaks(buf.subarray(0, starts[i]))) };
}

/** The tokenizer, fed `input` cut at `cuts` (increasing offsets). */
function tokenize(input: string, cuts: number[] = [], delimiter = ';', maxRecordChars = MAX_ROW_BYTES + 1): Outcome {
  const records: string[][] = [];
  const lines: number[] = [];
  const t = new CsvTokenizer(delimiter, maxRecordChars, (fields, line) => {
    records.push(fields);
    lines.push(line);
  });
  try {
    let from = 0;
    for (const cut of cuts) {
      t.push(input.slice(from, cut));
      from = cut;
    }
    t.push(input.slice(from));
    t.end();
  } catch (e) {
    if (!(e instanceof CsvSyntaxError)) throw e;
    return { records, lines, error: e.kind, errorLine: e.line };
  }
  return { records, lines };
}

/** Without the lines (csv-parse gives none when it fails). */
function shape(o: Outcome): Outcome {
  return o.error === undefined ? { records: o.records } : { records: o.records, error: o.error };
}

function randomCuts(rand: () => number, length: number): number[] {
  const cuts: number[] = [];
  let at = 0;
  while (at < length) {
    at += 1 + Math.floor(rand() * 8);
    if (at < length && rand() < 0.7) cuts.push(at);
  }
  return cuts;
}

describe('CsvTokenizer: named cases, as csv-parse does them', () => {
  const cases: Array<[string, string, string[][], number[]]> = [
    ['empty input: no records', '', [], []],
    ['one empty line: one record [""]', '\n', [['']], [1]],
    ['empty lines are records [""]', 'a\n\n\nb', [['a'], [''], [''], ['b']], [1, 2, 3, 4]],
    ['a line break at the end adds no record', 'a;b\n', [['a', 'b']], [1]],
    ['two line breaks at the end: one empty record', 'a\n\n', [['a'], ['']], [1, 2]],
    [
      'the last record needs no line break',
      'a;b\nc;d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      [1, 2],
    ],
    ['a lone delimiter: two empty fields', ';', [['', '']], [1]],
    [
      'a delimiter at the end: an empty last field',
      'a;\nb;',
      [
        ['a', ''],
        ['b', ''],
      ],
      [1, 2],
    ],
    ['"" is an empty field', '"";""\n""', [['', ''], ['']], [1, 2]],
    ['"" inside quotes is one quote', '"a""b";"""";""""""', [['a"b', '"', '""']], [1]],
    ['delimiters inside quotes', '1;"Vries, de";"a;b"', [['1', 'Vries, de', 'a;b']], [1]],
    [
      'Dutch names',
      'Personeelsnummer;Achternaam\r\n10234;"Vries, de"\r\n10317;"Jansen"\r\n',
      [
        ['Personeelsnummer', 'Achternaam'],
        ['10234', 'Vries, de'],
        ['10317', 'Jansen'],
      ],
      [1, 2, 3],
    ],
    ['a quoted field over two lines', 'a;"b\nc";d\ne\nf', [['a', 'b\nc', 'd'], ['e'], ['f']], [1, 3, 4]],
    ['a quoted CRLF is one line', 'a;"b\r\nc"\r\ne\r\nf', [['a', 'b\r\nc'], ['e'], ['f']], [1, 3, 4]],
    ['a quoted lone CR is one line', '"b\rc"\re', [['b\rc'], ['e']], [1, 3]],
    ['a quoted CR before the closing quote', '"b\r"\ne', [['b\r'], ['e']], [1, 3]],
    ['quoted line breaks only', '"\n\n\r\n\r"\nx', [['\n\n\r\n\r'], ['x']], [1, 6]],
    ['CRLF file', 'a;b\r\nc;d\r\n\r\ne\r\n', [['a', 'b'], ['c', 'd'], [''], ['e']], [1, 2, 3, 4]],
    ['LF file', 'a;b\nc;d\n\ne\n', [['a', 'b'], ['c', 'd'], [''], ['e']], [1, 2, 3, 4]],
    ['CR file', 'a;b\rc;d\r\re\r', [['a', 'b'], ['c', 'd'], [''], ['e']], [1, 2, 3, 4]],
    ['LF CR is two breaks (an empty record between)', 'a\n\rb', [['a'], [''], ['b']], [1, 2, 3]],
    ['spaces are kept', ' a ; b ;"c d"', [[' a ', ' b ', 'c d']], [1]],
    ['a closing quote before CR', '"a"\r"b"', [['a'], ['b']], [1, 2]],
    ['a closing quote at the end of the input', 'x;"a"', [['x', 'a']], [1]],
    ['a BOM is data (the decoder strips it)', '\uFEFFa;b', [['\uFEFFa', 'b']], [1]],
    ['non-ASCII text', 'é;"ü\né";ß', [['é', 'ü\né', 'ß']], [1]],
    ['a NUL after a closing quote also closes it (csv-parse quirk)', '"a"\u0000b;c', [['a\u0000b', 'c']], [1]],
  ];
  for (const [name, input, records, lines] of cases) {
    it(name, () => {
      expect(tokenize(input)).toEqual({ records, lines });
      expect(csvParse(input)).toEqual({ records, lines });
    });
  }

  const errors: Array<[string, string, CsvErrorKind, number, string[][], number[]]> = [
    ['a quote inside an unquoted field', 'x\na"b', 'invalid-opening-quote', 2, [['x']], [1]],
    ['a quote after a space', 'a; "b"', 'invalid-opening-quote', 1, [], []],
    ['text after a closing quote', '"a"b', 'invalid-closing-quote', 1, [], []],
    ['a space after a closing quote', 'x\n\n"a" ;b', 'invalid-closing-quote', 3, [['x'], ['']], [1, 2]],
    ['a quote that is never closed', 'a\n"b\nc\n', 'quote-not-closed', 2, [['a']], [1]],
    ['three quotes: an escaped quote, never closed', '"""', 'quote-not-closed', 1, [], []],
    ['a quote after the NUL quirk', '"a"\u0000"', 'invalid-opening-quote', 1, [], []],
    ['the error line is where the record starts', 'a\n"b\nc"\n"d\ne"x', 'invalid-closing-quote', 4, [['a'], ['b\nc']], [1, 2]],
  ];
  for (const [name, input, kind, errorLine, records, lines] of errors) {
    it(`error: ${name}`, () => {
      expect(tokenize(input)).toEqual({ records, lines, error: kind, errorLine });
      expect(csvParse(input)).toEqual({ records, error: kind });
    });
  }

  it('other delimiters: comma, tab, pipe', () => {
    for (const d of [',', '\t', '|']) {
      const input = `a${d}"b${d}c"${d}d;e\n${d}\n`;
      expect(tokenize(input, [], d)).toEqual({
        records: [
          ['a', `b${d}c`, 'd;e'],
          ['', ''],
        ],
        lines: [1, 2],
      });
      expect(shape(csvParse(input, d))).toEqual({
        records: [
          ['a', `b${d}c`, 'd;e'],
          ['', ''],
        ],
      });
    }
  });

  it('rejects a delimiter it cannot handle', () => {
    for (const d of ['', ';;', '"', '\n', '\r']) expect(() => new CsvTokenizer(d, 10, () => undefined)).toThrow(/delimiter/);
  });

  it('a lone CR at the end of a chunk and LF at the start of the next are one break', () => {
    expect(tokenize('a\r\nb\r\nc', [2, 5])).toEqual({ records: [['a'], ['b'], ['c']], lines: [1, 2, 3] });
    expect(tokenize('"x"\r\n"y"\r\n', [4, 9])).toEqual({ records: [['x'], ['y']], lines: [1, 2] });
    expect(tokenize('"x\r\ny"\r\nz', [3])).toEqual({ records: [['x\r\ny'], ['z']], lines: [1, 3] });
    expect(tokenize('a\r\r\nb', [2])).toEqual({ records: [['a'], [''], ['b']], lines: [1, 2, 3] });
    // Empty chunks in between change nothing.
    expect(tokenize('a\r\nb', [2, 2, 2])).toEqual({ records: [['a'], ['b']], lines: [1, 2] });
  });

  it('gives the same result for every chunk boundary (one and two cuts)', () => {
    const inputs = [
      'Nr;Naam\r\n1;"Vries, de"\r\n2;"a""b"\r\n\r\n3;"x\r\ny";\r',
      '"a";"";""""\n"\r"\r\n;\r\r\n"\n"',
      'a;"b""\nc";d\re\r\n"f"',
      'a\n"b""c"x',
      '1;2\n"open;\r\n',
    ];
    for (const input of inputs) {
      const whole = tokenize(input);
      for (let i = 0; i <= input.length; i++) {
        expect(tokenize(input, [i])).toEqual(whole);
        for (let j = i; j <= input.length; j++) expect(tokenize(input, [i, j])).toEqual(whole);
      }
      const each = Array.from({ length: input.length }, (_, i) => i + 1);
      expect(tokenize(input, each)).toEqual(whole);
      expect(shape(csvParse(input))).toEqual(shape(whole));
    }
  });

  it('keeps throwing after an error, and refuses input after end', () => {
    const t = new CsvTokenizer(';', 100, () => undefined);
    expect(() => t.push('a"')).toThrow(CsvSyntaxError);
    expect(() => t.push('b\n')).toThrow(CsvSyntaxError);
    const u = new CsvTokenizer(';', 100, () => undefined);
    u.push('a\n');
    u.end();
    expect(() => u.push('b')).toThrow(/after end/);
  });

  it('an error thrown by onRecord comes out of push', () => {
    const t = new CsvTokenizer(';', 100, (fields) => {
      if (fields[0] === 'b') throw new Error('handler');
    });
    expect(() => t.push('a\nb\nc\n')).toThrow('handler');
    expect(() => t.end()).toThrow('handler');
  });
});

describe('CsvTokenizer: the field count limit', () => {
  /** Records and the error kind and line, for a tokenizer of at most 3 fields a record. */
  function fields3(input: string, chunk: number): { records: string[][]; error?: string; line?: number } {
    const records: string[][] = [];
    const t = new CsvTokenizer(';', 1000, (f) => records.push(f), 3);
    try {
      for (let i = 0; i < input.length; i += chunk) t.push(input.slice(i, i + chunk));
      t.end();
    } catch (e) {
      const err = e as CsvSyntaxError;
      return { records, error: err.kind, line: err.line };
    }
    return { records };
  }

  it.each([1, 2, 5, 1000])('accepts 3 fields and refuses a fourth, quoted or not, in chunks of %i', (chunk) => {
    expect(fields3('a;b;c\n"x";"y";"z"\n', chunk)).toEqual({
      records: [
        ['a', 'b', 'c'],
        ['x', 'y', 'z'],
      ],
    });
    expect(fields3('a;b;c\n;;;\n', chunk)).toEqual({ records: [['a', 'b', 'c']], error: 'too-many-fields', line: 2 });
    expect(fields3('a;b;c\n"";"";"";""\n', chunk)).toEqual({ records: [['a', 'b', 'c']], error: 'too-many-fields', line: 2 });
  });

  it('stops a line of a million empty fields without collecting them (the size limit does not count delimiters)', () => {
    const t = new CsvTokenizer(';', 1000, () => undefined, 2000);
    expect(() => t.push(';'.repeat(1_000_000))).toThrow('the record at line 1 has more than 2000 fields');
  });
});

describe('CsvTokenizer: the record size limit', () => {
  it('accepts a record of maxRecordChars characters and rejects one more', () => {
    // Counted: field characters, not delimiters, enclosing quotes or the first quote of "".
    expect(tokenize('abc;de\n', [], ';', 5)).toEqual({ records: [['abc', 'de']], lines: [1] });
    expect(tokenize('abc;def\n', [], ';', 5)).toEqual({ records: [], lines: [], error: 'record-too-large', errorLine: 1 });
    expect(tokenize('"a""b";"c\nd"', [], ';', 6)).toEqual({ records: [['a"b', 'c\nd']], lines: [1] });
    expect(tokenize('"a""b";"c\nd"', [], ';', 5).error).toBe('record-too-large');
    expect(tokenize('ok\nx;"abcdef"\n', [], ';', 5)).toEqual({ records: [['ok']], lines: [1], error: 'record-too-large', errorLine: 2 });
    expect(tokenize('éééé;é', [], ';', 5)).toEqual({ records: [['éééé', 'é']], lines: [1] });
  });

  it('is csv-parse max_record_size n with n + 1 (csv-parse checks before appending a character)', () => {
    expect(csvParse('abcd', ';', 3)).toEqual({ records: [['abcd']], lines: [1] });
    expect(csvParse('abcde', ';', 3)).toEqual({ records: [], error: 'record-too-large' });
    expect(tokenize('abcd', [], ';', 4).error).toBeUndefined();
    expect(tokenize('abcde', [], ';', 4).error).toBe('record-too-large');
  });

  it('stops at a never-closed quote long before the end of a large input', () => {
    const line = '12345;Jan;de;Vries;jan@school.nl\n';
    let records = 0;
    const t = new CsvTokenizer(';', 1000, () => records++);
    t.push(line.repeat(10));
    let thrown: unknown;
    try {
      t.push('99;"broken');
      for (let i = 0; i < 1000; i++) t.push(line.repeat(10));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CsvSyntaxError);
    expect((thrown as CsvSyntaxError).kind).toBe('record-too-large');
    expect((thrown as CsvSyntaxError).line).toBe(11);
    expect(records).toBe(10);
  });

  it('also for an unquoted line without line breaks, in small chunks', () => {
    const t = new CsvTokenizer(';', 1000, () => undefined);
    expect(() => {
      for (let i = 0; i < 1000; i++) t.push('abcdefgh;');
    }).toThrow(/more than 1000 characters/);
  });

  it('matches csv-parse on random ASCII inputs with small limits', () => {
    const rand = prng(66);
    const alphabet = ['a', 'b', 'c', ';', '"', '""', '\n', '\r\n', ' '];
    let tooLarge = 0;
    for (let k = 0; k < 3000; k++) {
      const n = Math.floor(rand() * 30);
      let input = '';
      for (let i = 0; i < n; i++) input += alphabet[Math.floor(rand() * alphabet.length)];
      const max = 1 + Math.floor(rand() * 12);
      const expected = shape(csvParse(input, ';', max));
      const actual = tokenize(input, randomCuts(rand, input.length), ';', max + 1);
      if (actual.error === 'record-too-large') tooLarge++;
      expect({ input, max, ...shape(actual) }).toEqual({ input, max, ...expected });
    }
    expect(tooLarge).toBeGreaterThan(300);
  });
});

describe('CsvTokenizer: random inputs against csv-parse', () => {
  const chars = ['a', 'b', 'x', ';', ',', '"', '\n', '\r', ' ', 'é'];
  // Pieces that make well-formed quoting likely, so that many inputs parse without error.
  const pieces = ['a', 'bc', 'é', ';', ';', ',', '"', '""', '"x;y"', '"p""q"', '"a\r\nb"', '"\n"', '\n', '\r', '\r\n', ' '];

  it('gives the same records, or the same error, and the right start lines', () => {
    const rand = prng(20251129);
    const seen = new Map<string, number>();
    for (let k = 0; k < 5000; k++) {
      const alphabet = k % 2 === 0 ? chars : pieces;
      const n = Math.floor(rand() * (k % 10 === 0 ? 200 : 40));
      let input = '';
      for (let i = 0; i < n; i++) input += alphabet[Math.floor(rand() * alphabet.length)];
      const delimiter = rand() < 0.8 ? ';' : ',';
      const expected = csvParse(input, delimiter);
      const actual = tokenize(input, randomCuts(rand, input.length), delimiter);
      expect({ input, delimiter, ...shape(actual) }).toEqual({ input, delimiter, ...shape(expected) });
      if (expected.error === undefined) {
        expect({ input, lines: actual.lines }).toEqual({ input, lines: expected.lines });
      } else {
        // The error's line is where the failing record starts: after the records before it.
        const last = actual.records.length - 1;
        const before = last < 0 ? 1 : actual.lines![last]! + 1;
        expect(actual.errorLine).toBeGreaterThanOrEqual(before);
      }
      const key = expected.error ?? 'ok';
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    // The inputs exercised every outcome, and many parsed.
    expect([...seen.keys()].sort()).toEqual(['invalid-closing-quote', 'invalid-opening-quote', 'ok', 'quote-not-closed']);
    expect(seen.get('ok')).toBeGreaterThan(500);
  });

  it('gives the right error line (the start of the failing record)', () => {
    // Independently of both parsers' line counting: the failing record starts where csv-parse says the
    // last good record ended (info.bytes); the breaks before that offset are counted here.
    const rand = prng(7);
    for (let k = 0; k < 1000; k++) {
      let input = '';
      const n = Math.floor(rand() * 40);
      for (let i = 0; i < n; i++) input += pieces[Math.floor(rand() * pieces.length)];
      const actual = tokenize(input, randomCuts(rand, input.length));
      if (actual.error === undefined) continue;
      const starts: number[] = [0];
      try {
        parse(input, {
          delimiter: ';',
          record_delimiter: ['\r\n', '\n', '\r'],
          relax_column_count: true,
          max_record_size: MAX_ROW_BYTES,
          on_record: (r: string[], info) => {
            starts.push(info.bytes);
            return r;
          },
        });
      } catch {
        // expected
      }
      const start = starts[starts.length - 1]!;
      expect({ input, line: actual.errorLine }).toEqual({ input, line: 1 + breaks(Buffer.from(input).subarray(0, start)) });
    }
  });
});
