#!/usr/bin/env node
// Thin shim: the CLI itself is compiled TypeScript in dist/.
import { runProcess } from '../dist/cli/main.js';

await runProcess();
