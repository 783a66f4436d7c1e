// A second thread of a publish that never gets as far as its snapshot (test/app/publish-split.test.ts:
// the publish goes on without it, and lets the hub's writers go).
setTimeout(() => {}, 600_000);
