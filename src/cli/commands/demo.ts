import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { playDemo, type DemoStep } from '../../app/demo.js';
import { defaultActor } from '../../app/context.js';
import { act, type Parent } from '../define.js';
import type { Runtime } from '../runtime.js';
import { renderRun } from './sync.js';
import { dutchDay } from '../../dutch.js';
import { day, t } from '../../i18n/index.js';

export function registerDemo(program: Parent, rt: Runtime): void {
  program
    .command('demo')
    .description('build a demo hub from bundled exports and play five nights of syncs')
    .option('--keep <path>', 'write the demo hub here (default: a new temporary folder)')
    .action(
      act(rt, async (flags) => {
        const dbPath = flags.keep ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'basishub-demo-')), 'demo.db');
        if (fs.existsSync(dbPath)) fs.rmSync(dbPath);
        const steps: DemoStep[] = [];
        const { out } = rt;
        await playDemo(dbPath, rt.opts.actor ?? defaultActor(rt.io.env), (s) => {
          steps.push(s);
          if (out.json) return;
          out.print('');
          if (s.kind === 'night') {
            out.print(out.c.bold.underline(t.demoNight({ night: s.night, date: day(dutchDay(s.date)) })));
            // The story in the reader's language (the JSON document keeps the steps' own English data).
            for (const line of t.demoStory({ night: s.night })) out.print(out.c.italic(line));
            out.print('');
            renderRun(rt, s.result, 6);
          } else {
            const text = t.demoAction({ step: s.step });
            out.print(out.c.bold(`${day(dutchDay(s.date))}: ${text.title}`));
            out.print(`  ${out.c.cyan('$')} ${s.command}`);
            out.print(`  ${text.result}`);
          }
        });
        if (out.json) {
          out.printJson({
            db: dbPath,
            steps: steps.map((s) =>
              s.kind === 'night'
                ? { kind: s.kind, night: s.night, date: s.date, runId: s.result.runId, counts: s.result.counts }
                : { kind: s.kind, date: s.date, title: s.title, command: s.command, result: s.result },
            ),
          });
          return;
        }
        out.print('');
        out.print(out.c.bold(t.demoExplore()));
        for (const cmd of ['users list', 'users show hr:10395', 'audit --user hr:10395', 'sync history', 'exceptions list']) {
          out.print(`  ${out.c.cyan('$')} npx basishub --db ${dbPath} ${cmd}`);
        }
      }),
    );
}
