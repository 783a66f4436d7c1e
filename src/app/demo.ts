/**
 * `basishub demo`: a hub built from the bundled fixtures (fixtures/demo, see its README), and five
 * nights of syncs with the coordinator's work in between: the story of the exception list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase, openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { silentNotifier, type AppContext, type Clock } from './context.js';
import { dutchDay } from '../dutch.js';
import { addSource, editSource } from './sources.js';
import { runSync, type SyncResult } from './sync.js';
import { addException, removeException } from './exceptions.js';
import { editUser } from './users.js';
import { en } from '../i18n/en.js';

export type DemoStep =
  | { kind: 'night'; night: number; date: string; story: string[]; result: SyncResult }
  | { kind: 'action'; step: 'protect' | 'rename' | 'unlist'; date: string; title: string; command: string; result: string };

const DEMO_FILES = { hr: 'hr-afas.csv', parnassys: 'leerlingen-parnassys.json', basispoort: 'basispoort.csv' } as const;

export function demoFixtures(): string {
  // dist/app/demo.js -> ../../fixtures/demo
  return fileUrlPath(new URL('../../fixtures/demo/', import.meta.url));
}

function fileUrlPath(u: URL): string {
  return decodeURIComponent(u.pathname);
}

function pinned(iso: string): Clock {
  const d = new Date(iso);
  return { now: () => d.toISOString(), today: () => dutchDay(d) };
}

/** The demo HR export's Dutch columns, as `--map field=column` values. */
export const DEMO_HR_COLUMNS = [
  'externalId=Personeelsnummer',
  'givenName=Voornaam',
  'prefix=Tussenvoegsel',
  'familyName=Achternaam',
  'email=E-mailadres',
  'organisation=School',
  'group=Team',
] as const;

/** The demo pupil administration's (ParnasSys) Dutch keys, as `--map field=key` values. */
export const DEMO_PARNASSYS_COLUMNS = ['externalId=leerlingnummer', 'givenName=roepnaam', 'prefix=tussenvoegsel', 'familyName=achternaam'] as const;

/** The demo Basispoort export's Dutch columns, as `--map field=column` values. */
export const DEMO_BASISPOORT_COLUMNS = [
  'externalId=eckid',
  'givenName=voornaam',
  'prefix=tussenvoegsel',
  'familyName=achternaam',
  'role=rol',
  'organisation=school',
  'group=groep',
] as const;

/**
 * The demo foundation's three sources (fixtures/demo/README.md): HR with Dutch headers, the pupil
 * administration as JSON, Basispoort matched to HR by email; each with its kind's default priority
 * (hr 30, las 20, basispoort 10), as the README registers them.
 */
export function addDemoSources(ctx: AppContext, file: (name: string) => string): void {
  addSource(ctx, 'hr', {
    file: file('hr-afas.csv'),
    kind: 'hr',
    map: [...DEMO_HR_COLUMNS],
  });
  addSource(ctx, 'parnassys', {
    file: file('leerlingen-parnassys.json'),
    kind: 'las',
    match: 'none',
    map: [...DEMO_PARNASSYS_COLUMNS],
  });
  addSource(ctx, 'basispoort', {
    file: file('basispoort.csv'),
    kind: 'basispoort',
    map: [...DEMO_BASISPOORT_COLUMNS],
  });
}

/** Plays the demo into `dbPath` (which must not exist), calling onStep as the story goes. */
export async function playDemo(dbPath: string, actor: string, onStep: (s: DemoStep) => void, fixtures = demoFixtures()): Promise<void> {
  if (!fs.existsSync(path.join(fixtures, 'night-1'))) throw new Error(`The demo fixtures are missing at ${fixtures}.`);
  createDatabase(dbPath);
  const store = new Store(openDatabase(dbPath));
  try {
    // Night n at 02:00 UTC on the (6 - n)th day before today, so that night 5 was last night.
    const day0 = Date.now() - 6 * 24 * 3600 * 1000;
    const at = (night: number, hour: number) => {
      const d = new Date(day0 + night * 24 * 3600 * 1000);
      d.setUTCHours(hour, 0, 0, 0);
      return d.toISOString();
    };
    const ctx = (iso: string, who = actor): AppContext => ({ store, dbPath, actor: who, clock: pinned(iso), yes: true, notify: silentNotifier });
    const file = (night: number, name: string) => path.join(fixtures, `night-${night}`, name);

    addDemoSources(ctx(at(1, 1)), (name) => file(1, name));

    const night = async (n: number) => {
      const iso = at(n, 2);
      const result = await runSync(ctx(iso, 'cron'), {
        overrides: { hr: file(n, 'hr-afas.csv'), parnassys: file(n, 'leerlingen-parnassys.json'), basispoort: file(n, 'basispoort.csv') },
      });
      onStep({ kind: 'night', night: n, date: iso, story: en.demoStory({ night: n }), result }); // the catalogue's story, in English for --json
    };
    const fatima = 'fatima.elamrani@waterlanden.nl';

    await night(1);
    {
      const iso = at(1, 10);
      const reason = 'Invalpool: tussen twee contracten, blijft inzetbaar als invaller';
      addException(ctx(iso), fatima, { reason });
      onStep({
        kind: 'action',
        step: 'protect',
        date: iso,
        title: 'The coordinator protects the substitute teacher',
        command: `basishub exceptions add ${fatima} --reason "${reason}"`,
        result: 'Fatima el Amrani is on the exception list.',
      });
    }
    await night(2);
    {
      const iso = at(2, 10);
      await editUser(ctx(iso), fatima, { familyName: 'Amrani-Bakker' }, false);
      onStep({
        kind: 'action',
        step: 'rename',
        date: iso,
        title: 'Fatima married: the hub owns her account now (R4), so the coordinator renames her in the hub',
        command: `basishub users edit ${fatima} --family-name Amrani-Bakker`,
        result: 'Changed familyName.',
      });
    }
    await night(3);
    await night(4);
    {
      const iso = at(4, 10);
      await removeException(ctx(iso), fatima);
      onStep({
        kind: 'action',
        step: 'unlist',
        date: iso,
        title: 'Her new contract is known; the coordinator takes her off the list (R7)',
        command: `basishub exceptions remove ${fatima}`,
        result: 'Fatima el Amrani-Bakker is off the exception list.',
      });
    }
    await night(5);
    // The hub is left as a real one would be: its sources read last night's exports, so that a
    // `sync run` on it continues the story instead of replaying night 1.
    for (const [name, base] of Object.entries(DEMO_FILES)) editSource(ctx(at(5, 3)), name, { file: file(5, base) });
  } finally {
    store.db.close();
  }
}
