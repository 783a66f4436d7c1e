/** The second thread of a file target's publish (src/app/publish-split.ts): writes one part and reports it. */
import { parentPort, workerData } from 'node:worker_threads';
import { writePart, type PartInput } from './publish-part.js';

try {
  // `ready` once this thread's read transaction has its snapshot: the publish then lets writers go on.
  parentPort!.postMessage({ done: writePart(workerData as PartInput, () => parentPort!.postMessage({ ready: true })) });
} catch (err) {
  parentPort!.postMessage({ failed: (err as Error).message });
}
