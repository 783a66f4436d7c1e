/**
 * The flags of `exceptions export` that choose the file's format: --format (else the --output file's
 * extension, else JSON under --json) and --delimiter.
 */
import path from 'node:path';
import type { ExportDelimiter, ExportFormat } from '../app/exceptions-export.js';
import { usageError } from '../errors.js';

export function parseDelimiter(value: string | undefined): ExportDelimiter {
  if (value === undefined) return ',';
  const v = value.trim().toLowerCase();
  if (v === ',' || v === 'comma') return ',';
  if (v === ';' || v === 'semicolon') return ';';
  throw usageError(`--delimiter must be "," or ";", not "${value}".`, 'Dutch Excel reads ";" (--delimiter ";").');
}

export function parseFormat(value: string | undefined, output: string | undefined, json: boolean): ExportFormat {
  if (value !== undefined) {
    const v = value.trim().toLowerCase();
    if (v === 'csv' || v === 'json') return v;
    throw usageError(`--format must be csv or json, not "${value}".`);
  }
  if (output !== undefined) return path.extname(output).toLowerCase() === '.json' ? 'json' : 'csv';
  return json ? 'json' : 'csv';
}
