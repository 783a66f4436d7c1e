/**
 * The tests' temporary folders: every one is made here and removed after its test file, also when a
 * test failed, together with what the CLI (in-process or a child process) wrote into it: hubs, their
 * WAL and journal, exports, backups. A test file that needs something undone first (a tmpfs mounted
 * on one of them) says so with `beforeRemoval`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';

const made: string[] = [];
const undo: (() => void)[] = [];

/** A new empty folder under the system's temporary folder, removed after this test file. */
export function tempDir(prefix = 'basishub-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs `fn` after this test file, before its temporary folders are removed (the last registered first). */
export function beforeRemoval(fn: () => void): void {
  undo.push(fn);
}

/** Removes a temporary folder now (a test that makes many); again after the file is harmless. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

afterAll(() => {
  for (const fn of undo.splice(0).reverse()) fn();
  const failed: string[] = [];
  for (const dir of made.splice(0)) {
    try {
      removeTempDir(dir);
    } catch (err) {
      failed.push(`${dir}: ${(err as Error).message}`);
    }
  }
  if (failed.length > 0) throw new Error(`temporary folders left behind:\n${failed.join('\n')}`);
});
