/**
 * `basishub check`: is the hub (or any file given with --db, such as a backup) whole? Opens the file
 * read-only and never creates a file beside it (src/store/db.ts, openForCheck).
 */
import path from 'node:path';
import { checkDatabase, type Problem } from '../store/check.js';
import { openForCheck } from '../store/db.js';

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
