import v8 from 'node:v8';

/**
 * V8 lets the old generation grow to about four times what is live before a full collection; a first
 * sync of a million records then peaks near 1 GB of mostly garbage. Growing by half keeps it near
 * 500 MB at the same speed (measured with npm run bench). Called by the CLI and the bench's worker.
 */
export function tuneHeap(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}
