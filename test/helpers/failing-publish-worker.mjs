// A second thread of a publish that loads, says so, and fails before it writes anything
// (test/app/publish-split.test.ts: the publish then makes that part itself).
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ ready: true });
throw new Error('the second thread failed');
