/**
 * The peak memory (resident set) of a spawned CLI run: the child is started with a preload that
 * writes getrusage's maxRSS when it exits (peak-rss.cjs). A run killed by V8 (out of memory) writes
 * nothing: then the peak is null, and its exit code tells why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './tmp.js';

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peak-rss.cjs');

export interface PeakProbe {
  /** Environment for the child process. */
  env: Record<string, string>;
  /** The child's peak RSS in MB, once it has exited; null when it died without saying. */
  peakMB(): number | null;
}

export function peakProbe(): PeakProbe {
  const file = path.join(tempDir('basishub-peak-'), 'maxrss');
  return {
    env: { NODE_OPTIONS: `--require ${PRELOAD}`, BASISHUB_PEAK_RSS_FILE: file },
    peakMB() {
      if (!fs.existsSync(file)) return null;
      return Math.round(Number(fs.readFileSync(file, 'utf8')) / 1024);
    },
  };
}
