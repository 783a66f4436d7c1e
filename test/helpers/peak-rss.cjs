// Preloaded into a spawned CLI (NODE_OPTIONS=--require …) by test/helpers/peak.ts: at exit, writes
// the process's peak resident memory (getrusage ru_maxrss, in KiB) to the file BASISHUB_PEAK_RSS_FILE.
'use strict';
const file = process.env.BASISHUB_PEAK_RSS_FILE;
if (file) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
