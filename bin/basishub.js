#!/usr/bin/env node
// Thin shim: the CLI itself is compiled TypeScript in dist/.
// Node 22.1 and later can keep the compiled code of the modules on disk (in the system's temporary folder),
// which makes every start after the first faster; Node 20 has no such cache and starts without it.
import module from 'node:module';

module.enableCompileCache?.();
const { runProcess } = await import('../dist/cli/main.js');
await runProcess();
