/**
 * The `exceptions add` picker as a person types: `node dist/bench/picker.js <hub> <term>…` opens the hub
 * once, as the picker's process has it open, and answers each term as a keystroke would (the choices
 * the picker shows, src/app/exceptions.ts pickerChoices), several times; it prints the milliseconds of
 * each answer as JSON: `{"ja": [..], "jan": [..]}`.
 */
import { performance } from 'node:perf_hooks';
import { pickerChoices } from '../app/exceptions.js';
import { openStore, silentNotifier, type AppContext } from '../app/context.js';

const [file, ...terms] = process.argv.slice(2);
if (file === undefined || terms.length === 0) throw new Error('usage: picker.js <hub> <term>…');
const store = openStore(file);
const now = new Date().toISOString();
const ctx: AppContext = { store, dbPath: file, actor: 'bench', clock: { now: () => now, today: () => now.slice(0, 10) }, yes: false, notify: silentNotifier };
const ROUNDS = 5;
const times: Record<string, number[]> = Object.fromEntries(terms.map((t) => [t, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const term of terms) {
    const t = performance.now();
    pickerChoices(ctx, term);
    times[term].push(performance.now() - t);
  }
}
store.db.close();
process.stdout.write(JSON.stringify(times) + '\n');
