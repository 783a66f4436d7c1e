/** The second thread of a file target's publish (src/app/publish-split.ts): writes the slices it claims and reports them. */
import { parentPort, workerData } from 'node:worker_threads';
import { movable, writeSlices, type PartInput } from './publish-part.js';

try {
  // `ready` once this thread's read transaction has its snapshot; `done: null` when the publish went on without it.
  const done = writeSlices(workerData as PartInput, () => parentPort!.postMessage({ ready: true }));
  parentPort!.postMessage({ done }, done === null ? [] : movable(done));
} catch (err) {
  parentPort!.postMessage({ failed: (err as Error).message });
}
