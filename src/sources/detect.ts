/**
 * A quick look at a CSV export's first 64 KB: the delimiter, encoding and BOM a reader would use, and
 * the header. For `sources show`, which must not read a million rows to say how it would read them,
 * and for `sources add`, which checks the header before the source is registered.
 */
import { decodeWindows1252, scanUtf8, startsWithBom } from './encoding.js';
import { readHead, sniffDelimiter } from './files.js';
import type { Encoding, ReaderSettings } from './types.js';

export interface Detected {
  delimiter: string;
  encoding: Encoding;
  bom: boolean;
  columns: string[];
}

/** How many bytes of the file are looked at. */
export const HEAD_BYTES = 64 * 1024;

/** What the first bytes of a CSV export say (settings given win over what is detected). */
export function detectFromHead(head: Buffer, settings: Pick<ReaderSettings, 'delimiter' | 'encoding'>): Detected {
  const bom = startsWithBom(head);
  let encoding: Encoding = settings.encoding ?? 'utf-8';
  if (settings.encoding === null && !bom) {
    const { invalid, multibyte } = scanUtf8(head);
    // Bytes that are not UTF-8, and no multi-byte UTF-8 sequence at all: a Windows-1252 export.
    if (invalid >= 0 && multibyte < 0) encoding = 'windows-1252';
  }
  const delimiter = settings.delimiter ?? sniffDelimiter(head);
  const body = bom ? head.subarray(3) : head;
  const text = encoding === 'windows-1252' ? decodeWindows1252(body) : body.toString('utf8');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const columns = firstLine === '' ? [] : firstLine.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  return { delimiter, encoding, bom, columns };
}

export async function detectCsv(path: string, settings: ReaderSettings): Promise<Detected> {
  return detectFromHead(await readHead(path, HEAD_BYTES), settings);
}
