import { createRequire } from 'node:module';

/**
 * The V8 flags a long command (a sync of a million records) runs with, set by the CLI and the bench's
 * worker before they read anything:
 *
 * - `--heap-growing-percent=25`: V8 lets the old generation grow to about four times what is live
 *   before a full collection; a first sync of a million records then peaked near 1 GB of mostly
 *   garbage. Growing by a quarter kept it under 500 MB at the same speed (npm run bench: 1,056 MB at the
 *   default, 550 MB at 50%, 475 MB at 25%).
 * - `--semi-space-growth-factor=1`: the young generation keeps the size it has when this is set (a
 *   1 MiB semi-space at the CLI's start) instead of doubling up to 16 MiB semi-spaces (32 MB of the
 *   sync's peak, never given back). A sync allocates short-lived strings at a high rate, which a small
 *   young generation collects as well; a no-change resync of a million records peaked 25 MB lower for
 *   the same CPU time. (`--max-semi-space-size` would say it directly, but V8 reads it only when the
 *   heap is made, at the process's start.)
 *
 * V8 raises a semi-space growth factor below 2 to 2 whenever it makes a heap, also a worker thread's
 * (measured: after a worker starts the young generation doubles again): whoever starts a worker calls
 * `retuneHeap()` once it is online (src/store/check.ts). A publish that writes a large file target in
 * two threads does not (src/app/publish-split.ts): it trades some 30 MB for less collecting.
 */
const FLAGS = ['--heap-growing-percent=25', '--semi-space-growth-factor=1'];

let tuned = false;

export function tuneHeap(): void {
  tuned = true;
  // node:v8 is loaded here, not at the top: a short command (a search) does not tune its heap (heapTunedFor).
  const v8 = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  for (const flag of FLAGS) v8.setFlagsFromString(flag);
}

/**
 * The command groups that read a page, a person or a list and stop: they keep V8's own heap (its young
 * generation grows, so fewer collections; no node:v8 to load), 3–4 ms of a search's start at a million.
 * Every other command line (a sync, a publish, a check, a revert, a backup, the demo) tunes it.
 */
const SHORT_GROUPS = new Set(['users', 'exceptions', 'audit', 'sources', 'targets', 'init', 'help', 'completion']);

/** The global options that take a value as the next argument (src/cli/program.ts). */
const VALUED = new Set(['--db', '--actor', '--lang']);

/** The command group of a command line: its first argument that is not an option or an option's value. */
export function commandGroup(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (VALUED.has(argv[i])) i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

/** Whether a command line runs with the tuned heap (see FLAGS): not a short one, nor one without a command (--help). */
export function heapTunedFor(argv: readonly string[]): boolean {
  const group = commandGroup(argv);
  return group !== undefined && !SHORT_GROUPS.has(group);
}

/** Sets the flags again after a worker thread started, if this process tuned its heap (tests do not). */
export function retuneHeap(): void {
  if (tuned) tuneHeap();
}
