// A second thread of a publish that claims two slices, says it is ready, and fails before it writes
// anything (test/app/publish-split.test.ts: the publish then makes those slices itself).
import { parentPort, workerData } from 'node:worker_threads';
import { SliceClaims } from '../../dist/app/publish-slices.js';

const claims = SliceClaims.of(workerData.claims);
claims.back();
claims.back();
claims.claimsReady();
parentPort.postMessage({ ready: true });
throw new Error('the second thread failed');
