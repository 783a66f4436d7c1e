/** The second thread of a file target's publish (src/app/publish-split.ts): writes one part and reports it. */
import { parentPort, workerData } from 'node:worker_threads';
import { writePart, type PartInput } from './publish-part.js';

parentPort!.postMessage({ ready: true });
try {
  parentPort!.postMessage({ done: writePart(workerData as PartInput) });
} catch (err) {
  parentPort!.postMessage({ failed: (err as Error).message });
}
