/** The writer of a file target's kind: SDS v2.1, OneRoster 1.1 or the plain CSV. */
import { plainCsvWriter } from './csv.js';
import { oneRosterWriter } from './oneroster.js';
import type { OutputSet } from './output.js';
import { sdsWriter } from './sds.js';
import type { AccountWriter, TargetKind } from './types.js';

export function fileWriter(kind: Exclude<TargetKind, 'scim'>, out: OutputSet, today: string): AccountWriter {
  if (kind === 'sds-v2.1') return sdsWriter(out, today);
  if (kind === 'oneroster-1.1') return oneRosterWriter(out, today);
  return plainCsvWriter(out);
}
