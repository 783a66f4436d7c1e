// A second thread of a publish that claims a slice, says it is ready, writes part of it to a part file
// and ends at once, without cleaning up (test/app/publish-split.test.ts: the publish then removes what
// it left and makes its slices itself).
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SliceClaims } from '../../dist/app/publish-slices.js';
import { OutputSet } from '../../dist/targets/output.js';

const claims = SliceClaims.of(workerData.claims);
claims.back();
claims.claimsReady();
parentPort.postMessage({ ready: true });
const part = new OutputSet(workerData.target.settings.output, true);
part.table('users.csv', []).raw('half a row');
part.handOver(true);
process.exit(1);
