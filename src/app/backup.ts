/**
 * Backups of the hub: `backup --output <file>`, and the copies a sync makes before it writes
 * (`sync run --backup-dir <dir> [--keep <n>]`, or the hub's settings `backup-dir` and `backup-keep`).
 *
 * A copy is made with SQLite's online backup (better-sqlite3's `db.backup()`): it reads the hub page by
 * page while other commands, a sync too, go on, and starts again when another connection commits in
 * between, so the copy is always one consistent state of the hub. It is written to a temporary file
 * (owner-only, in the target's folder) and then moved into place, so a half-written copy never carries
 * the target's name; an existing file is replaced only with --force, and the hub itself never.
 */
import { t } from '../i18n/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';
import { selfContained } from '../store/db.js';
import { checkOutputPath, existsError, OWNER_ONLY, tempBeside, type OutputGuard } from '../store/outfile.js';
import { fileStorageError } from '../store/failures.js';
import type { AppContext } from './context.js';
import { setting } from './config.js';

export interface BackupResult {
  output: string;
  bytes: number;
}

export interface PreSyncBackup extends BackupResult {
  /** Earlier pre-sync copies that were removed to keep the last n. */
  pruned: string[];
}

export const DEFAULT_KEEP = 7;

/**
 * Where a backup may be written: the checks every writer shares (src/store/outfile.ts: never the hub or
 * its -wal/-shm/-journal, by identity; only a regular file; STORAGE for an unwritable place; an existing
 * file only with --force).
 */
function guard(ctx: AppContext, force: boolean): OutputGuard {
  return { hub: ctx.dbPath, db: ctx.store.db, what: 'a backup', force };
}

/** Copies the hub to `output` (owner-only). Refuses an existing file unless `force`, and the hub itself always. */
export async function backupHub(ctx: AppContext, output: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
  const force = opts.force ?? false;
  const { target } = checkOutputPath(path.resolve(output), guard(ctx, force));
  const tmp = tempBeside(target, 'partial');
  try {
    fs.closeSync(fs.openSync(tmp, 'wx', OWNER_ONLY));
    await ctx.store.db.backup(tmp);
    selfContained(tmp);
    fs.chmodSync(tmp, OWNER_ONLY);
    if (force) fs.renameSync(tmp, target);
    else {
      fs.linkSync(tmp, target); // fails when the file appeared in the meantime: never written over
      fs.unlinkSync(tmp);
    }
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !force) {
      throw existsError(target, guard(ctx, force));
    }
    throw fileStorageError(target, err);
  }
  return { output: target, bytes: fs.statSync(target).size };
}

/** `hub-presync-20261125T020000Z.db`, `…Z-1.db` when that name is taken: the names a sync's copies have. */
function presyncPattern(hubBase: string): RegExp {
  const escaped = hubBase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped}-presync-(\\d{8}T\\d{6}Z)(?:-(\\d+))?\\.db$`);
}

function hubBase(ctx: AppContext): string {
  return path.basename(ctx.dbPath).replace(/\.[^.]*$/, '') || 'hub';
}

/** The pre-sync copies in `dir`, oldest first: only files with the names this hub's syncs give them. */
export function presyncCopies(ctx: AppContext, dir: string): string[] {
  const re = presyncPattern(hubBase(ctx));
  const found: { name: string; stamp: string; n: number }[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const m = re.exec(e.name);
    if (m !== null && e.isFile()) found.push({ name: e.name, stamp: m[1], n: Number(m[2] ?? 0) });
  }
  found.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.n - b.n));
  return found.map((f) => path.join(dir, f.name));
}

/** Where and how many pre-sync copies: the run's flags first, then the hub's settings; null for none. */
export function backupPlan(ctx: AppContext, flags: { dir?: string; keep?: number; off?: boolean }): { dir: string; keep: number } | null {
  if (flags.off) return null;
  const dir = flags.dir ?? setting(ctx.store, 'backup-dir');
  if (dir === undefined) {
    if (flags.keep !== undefined) throw usageError(t.keepNeedsDir(), t.keepNeedsDirHint());
    return null;
  }
  return { dir, keep: flags.keep ?? Number(setting(ctx.store, 'backup-keep') ?? DEFAULT_KEEP) };
}

/** The folder of the pre-sync copies, made when missing; a file in its place is a usage error, not a crash. */
function makeFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw usageError(t.backupDirNotFolder({ dir }), t.backupDirNotFolderHint());
    throw fileStorageError(dir, err);
  }
}

/** A copy of the hub before a sync writes, then the oldest copies beyond the last `keep` removed. */
export async function presyncBackup(ctx: AppContext, plan: { dir: string; keep: number }): Promise<PreSyncBackup> {
  makeFolder(plan.dir);
  const stamp = ctx.clock
    .now()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const base = `${hubBase(ctx)}-presync-${stamp}`;
  let name = path.join(plan.dir, `${base}.db`);
  for (let n = 1; fs.existsSync(name); n++) name = path.join(plan.dir, `${base}-${n}.db`);
  ctx.notify.progress(t.phaseBackingUp());
  const made = await backupHub(ctx, name);
  const copies = presyncCopies(ctx, plan.dir);
  const pruned = copies.slice(0, Math.max(0, copies.length - plan.keep));
  for (const f of pruned) for (const part of [f, `${f}-wal`, `${f}-shm`]) fs.rmSync(part, { force: true });
  return { ...made, pruned };
}
