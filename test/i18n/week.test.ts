/**
 * The same week of the exception list in Dutch and in English, through the command line: chosen with
 * --lang, with LANG=nl_NL.UTF-8, with BASISHUB_LANG; what scripts read (exit codes, --json, error codes,
 * tab-separated headers) is the same in every language.
 */
import { describe, expect, it } from '@jest/globals';
import { playWeek, said, type WeekStep } from '../helpers/week.js';
import { englishLeft } from './giveaways.js';
import { Hub } from '../helpers/hub.js';

function step(steps: WeekStep[], name: string): WeekStep {
  const s = steps.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no step ${name}`);
  return s;
}

const DUTCH = [
  { how: '--lang nl', opts: { args: ['--lang', 'nl'], columns: 140 } },
  { how: 'LANG=nl_NL.UTF-8', opts: { env: { LANG: 'nl_NL.UTF-8' }, columns: 140 } },
];

describe.each(DUTCH)('the week in Dutch ($how)', ({ opts }) => {
  let steps: WeekStep[];
  it('plays', async () => {
    steps = await playWeek(opts);
    expect(steps.length).toBeGreaterThan(10);
  });

  it("adds, protects, returns, removes, deletes and restores in the coordinator's words", () => {
    expect(said(step(steps, 'add'))).toContain('staat op de uitzonderingenlijst tot en met 31-01-2027: een synchronisatie verwijdert het niet.');
    const protect = said(step(steps, 'night 2: protect'));
    expect(protect).toContain('Beschermd door de uitzonderingenlijst (1)');
    expect(protect).toContain(
      'geen bron biedt het meer aan sinds 25-11-2026; blijft, want het staat op de uitzonderingenlijst (Invalpool: tussen twee contracten)',
    );
    expect(protect).toMatch(/1 aangemaakt · 1 bijgewerkt · 1 verwijderd · 1 beschermd · 41 ongewijzigd/);
    expect(said(step(steps, 'night 4: return'))).toContain(
      'weer aangeboden door hr: herkend aan de eerdere koppeling; de bron is weer eigenaar (het blijft op de lijst)',
    );
    expect(said(step(steps, 'remove'))).toContain('is van de uitzonderingenlijst gehaald.');
    expect(said(step(steps, 'night 5: delete'))).toContain('Verwijderd (1)');
    expect(said(step(steps, 'restore'))).toContain('is hersteld. Het is nu een hub-account');
  });

  it('lists the entries with Dutch headers and dates on a terminal', () => {
    const list = said(step(steps, 'list'));
    expect(list).toMatch(/nr\s+naam\s+e-mail\s+reden\s+toegevoegd door/i);
    expect(list).toContain('31-01-2027');
    expect(list).toContain('1 vermelding');
  });

  it('reviews in Dutch', () => {
    const review = said(step(steps, 'review'));
    expect(review).toContain('Controle van de uitzonderingenlijst');
    expect(review).toContain('Op de lijst, maar geen bron biedt ze aan: ze blijven alleen door de lijst (1)');
    expect(review).toContain('1 account vraagt om een besluit.');
  });

  it('refuses in Dutch, with the stable codes and exit codes', () => {
    const cases: [string, string, string][] = [
      ['add twice', 'ALREADY_LISTED', 'staat al op de lijst (sinds 24-11-2026'],
      ['add without reason', 'USAGE', 'Een reden is verplicht (R6)'],
      ['add unknown', 'NOT_FOUND', 'Geen account past bij "nobody@waterlanden.nl".'],
      ['add past date', 'USAGE', 'ligt in het verleden'],
      ['remove again', 'NOT_LISTED', 'staat niet op de uitzonderingenlijst.'],
      ['add restored', 'NO_SOURCE_LINK', 'is niet gekoppeld aan een bronsysteem'],
      ['delete without --yes', 'USAGE', 'Er is niets gewijzigd.'],
    ];
    for (const [name, code, text] of cases) {
      const r = step(steps, name).run;
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Fout [${code}]`);
      expect(r.stderr).toContain(text);
    }
  });

  it('leaves no English in what a person reads of the common flows', () => {
    for (const s of steps) expect({ step: s.name, english: englishLeft(said(s)) }).toEqual({ step: s.name, english: [] });
  });
});

// The tables that scripts read, piped in Dutch and in English: run beside the English week's steps,
// on its hub (a week of their own each cost a week's syncs again).
const PIPED = ['list', 'users list', 'history'];
let english: Promise<WeekStep[]> | undefined;
function englishWeek(): Promise<WeekStep[]> {
  english ??= playWeek({
    args: ['--lang', 'en'],
    env: { LANG: 'nl_NL.UTF-8' },
    columns: 140,
    alongside: { steps: PIPED, ways: [{ args: ['--lang', 'nl'] }, { args: ['--lang', 'en'] }] },
  });
  return english;
}

describe('the week in English (--lang en, even with a Dutch locale)', () => {
  it('reads as before', async () => {
    const steps = await englishWeek();
    expect(said(step(steps, 'add'))).toContain('is on the exception list until 2027-01-31: a sync will not delete it.');
    expect(said(step(steps, 'night 2: protect'))).toContain('Protected by the exception list (1)');
    expect(said(step(steps, 'night 2: protect'))).toContain('no source offers it since 2026-11-25; kept because it is on the exception list');
    expect(said(step(steps, 'night 4: return'))).toContain('offered again by hr: matched by its earlier link; the source owns it again (it stays on the list)');
    expect(said(step(steps, 'list'))).toMatch(/id\s+name\s+email\s+reason\s+added by/i);
    expect(said(step(steps, 'review'))).toContain('Review of the exception list');
    expect(step(steps, 'add unknown').run.stderr).toContain('Error [NOT_FOUND] No account matches "nobody@waterlanden.nl".');
  });
});

describe('what scripts read does not change with the language', () => {
  it('prints byte-identical --json documents and exit codes in Dutch and in English', async () => {
    // One after another: a run sets the language of the process (one command at a time).
    const nl = await playWeek({ args: ['--json', '--lang', 'nl'] });
    const en = await playWeek({ args: ['--json', '--lang', 'en'] });
    const locale = await playWeek({ args: ['--json'], env: { BASISHUB_LANG: 'nl' } });
    expect(nl.length).toBe(en.length);
    for (let i = 0; i < en.length; i++) {
      for (const other of [nl, locale]) {
        expect({ step: en[i]!.name, stdout: other[i]!.run.stdout, code: other[i]!.run.code }).toEqual({
          step: en[i]!.name,
          stdout: en[i]!.run.stdout,
          code: en[i]!.run.code,
        });
        // The error document keeps its keys and code; only the message a person reads is in Dutch.
        if (en[i]!.run.stderr.startsWith('{"error"')) {
          const a = JSON.parse(en[i]!.run.stderr).error;
          const b = JSON.parse(other[i]!.run.stderr).error;
          expect(Object.keys(b)).toEqual(Object.keys(a));
          expect(b.code).toBe(a.code);
        }
      }
    }
  });

  it('keeps the headers of tab-separated output in English, and its cells as for scripts', async () => {
    const steps = await englishWeek();
    for (const name of PIPED) {
      const [nl, en] = [step(steps, `${name} [0]`).run, step(steps, `${name} [1]`).run];
      expect({ name, code: nl.code, stdout: nl.stdout }).toEqual({ name, code: 0, stdout: en.stdout });
      expect(nl.stdout.trim().split('\n').length).toBeGreaterThan(1); // a row under the header
    }
    expect(step(steps, 'list [0]').run.stdout.split('\n')[0]).toBe('id\tname\temail\treason\tadded by\tdays\tsource\tuntil');
    // The terminal's table of the same moment is the person's, not the script's.
    expect(step(steps, 'list').run.stdout).not.toBe(step(steps, 'list [1]').run.stdout);
  });
});

describe('the built program, as cron and a person at a Dutch terminal start it', () => {
  it('speaks Dutch under LANG=nl_NL.UTF-8 and English under --lang en, with the same exit code', async () => {
    const hub = new Hub();
    hub.ok(['init']); // setup: only the two commands below need the binary's own locale
    const nl = hub.spawn(['exceptions', 'add', 'hr:1', '--reason', 'x'], { env: { LANG: 'nl_NL.UTF-8' } });
    const en = hub.spawn(['--lang', 'en', 'exceptions', 'add', 'hr:1', '--reason', 'x'], { env: { LANG: 'nl_NL.UTF-8' } });
    expect(nl.code).toBe(2);
    expect(en.code).toBe(2);
    expect(nl.stderr).toContain('Fout [NOT_FOUND] Er is geen bronsysteem "hr" (in de verwijzing "hr:1").');
    expect(nl.stderr).toContain('→ Bekijk de bronsystemen met `basishub sources list`.');
    expect(en.stderr).toContain('Error [NOT_FOUND] No source named "hr" (in the reference "hr:1").');
  });

  it('refuses a language it does not know as a usage error, in the language of the locale', async () => {
    const hub = new Hub();
    const r = hub.run(['--lang', 'fr', 'users', 'list'], { env: { LANG: 'nl_NL.UTF-8' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Fout [USAGE] --lang moet nl of en zijn, niet "fr".');
    const json = hub.run(['--json', '--lang', 'fr', 'users', 'list']);
    expect(json.code).toBe(2);
    expect(json.error.code).toBe('USAGE');
    expect(json.stdout).toBe('');
  });

  it("prints its help with commander's headings in Dutch", async () => {
    const r = new Hub().run(['exceptions', 'add', '--help'], { env: { BASISHUB_LANG: 'nl' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Gebruik: basishub exceptions add \[opties\] \[user\]/);
    expect(r.stdout).toContain('Opties:');
    expect(r.stdout).toContain('Algemene opties:');
    expect(r.stdout).toContain('toon de hulp bij deze opdracht');
    expect(r.stdout).toContain('Voorbeelden:');
    expect(englishLeft(r.stdout)).toEqual([]);
  });
});
