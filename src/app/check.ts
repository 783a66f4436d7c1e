/**
 * `basishub check`: is the hub (or any file given with --db, such as a backup) whole? Opens the file
 * read-only and never creates a file beside it (src/store/db.ts, openForCheck).
 */
import path from 'node:path';
import { checkDatabase, type Problem } from '../store/check.js';
import { openForCheck } from '../store/db.js';
import { hubDamagedError } from '../store/failures.js';
import type { BasishubError } from '../errors.js';

export interface CheckResult {
  ok: boolean;
  file: string;
  problems: Problem[];
}

export function checkHub(file: string): CheckResult {
  const { db, close } = openForCheck(file);
  try {
    const problems = checkDatabase(db);
    return { ok: problems.length === 0, file: path.resolve(file), problems };
  } finally {
    close();
  }
}

/** The error a check that found problems ends with (HUB_DAMAGED, exit 7); null when the hub is whole. */
export function checkFailure(r: CheckResult): BasishubError | null {
  return r.ok ? null : hubDamagedError(r.file, `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} found`);
}
