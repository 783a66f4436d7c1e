/**
 * The details of changes (src/engine/describe.ts): every template the engine and the use cases write
 * with is rendered in English, read back into the same template, and written in Dutch with no English
 * left; the Dutch text of every template has the same slots. Details that code composes (a sync's
 * "who: what (because …)", a revert's parts) are read back from what that code really writes.
 */
import { describe, expect, it } from '@jest/globals';
import { DETAILS, DETAIL_WORDS, detail, diffText, parseDetail, relationsText, type DetailKind } from '../../src/engine/describe.js';
import { describeRevert, type AccountSnapshot } from '../../src/engine/undo.js';
import { CATALOGUES, setLanguage } from '../../src/i18n/index.js';
import { localDetail } from '../../src/cli/render.js';
import { englishLeft } from './giveaways.js';

/** A sample per kind of slot, as a real detail holds it (Dutch names, a reason with a colon and a comma). */
const BY_KIND: Record<string, string> = {
  name: 'Fatima el Amrani',
  text: 'Invalpool: tussen twee contracten, blijft inzetbaar',
  ref: 'hr:10395',
  refs: 'basispoort:https://ketenid.nl/201703/29d0c4baf0, hr:10395',
  code: 'oneroster-1.1',
  n: '7',
  date: '2027-01-31',
  instant: '2026-11-27T02:00:00.000Z',
  word: 'email',
  detail: 'no source offers it any more (hr:10395)',
  create: 'Zoë van Dijk <zoe.vandijk@waterlanden.nl> (staff): OBS De Regenboog/Groep 1/2',
  parts: 'priority of hr changed from 30 to 50; grace days of hr changed from 0 to 14',
  parts2: 'familyName: "Graaf" → "Jansen-de Graaf"; parnassys relations: "CBS De Wegwijzer/Groep 5" → "CBS De Wegwijzer/Groep 6"',
  commas: 'priority of hr changed from 30 to 50, map of hr changed from (none) to externalId=Nr, email=Mail',
  either: 'account 3 and the new account for hr:10395',
  diffs: 'prefix: "de" → "", familyName: "Graaf" → "Jansen-de Graaf"',
  relations: 'RKBS Sint Jozef/Groep 6 from 2026-08-24 until 2027-07-10, OBS De Klimop',
  value: 'auto',
};
/** Words that a slot of that name holds (a role is a role). */
const BY_NAME: Record<string, string> = {
  role: 'student',
  setting: 'grace days',
  field: 'externalId',
  by: 'user.edit by run 4 (cron, 2026-11-28 02:00), its records in the sources changed since',
};

function slots(pattern: string): { name: string; kind: string }[] {
  return [...pattern.matchAll(/\{(\w+)(?::(\w+))?\}/g)].map((m) => ({ name: m[1]!, kind: m[2] ?? '' }));
}

function sample(kind: DetailKind): string {
  const params: Record<string, string> = {};
  for (const s of slots(DETAILS[kind])) params[s.name] = BY_NAME[s.name] ?? BY_KIND[s.kind]!;
  return detail(kind, params as never);
}

function inDutch(text: string): string {
  setLanguage('nl');
  try {
    return localDetail(text);
  } finally {
    setLanguage('en');
  }
}

const KINDS = Object.keys(DETAILS) as DetailKind[];

describe('the details of changes, one template each', () => {
  it('has a Dutch text for every template, with the same slots', () => {
    const nl = CATALOGUES.nl.detailTexts();
    const en = CATALOGUES.en.detailTexts();
    for (const kind of KINDS) {
      const want = slots(DETAILS[kind])
        .map((s) => s.name)
        .sort();
      expect({
        kind,
        nl: slots(nl[kind])
          .map((s) => s.name)
          .sort(),
      }).toEqual({ kind, nl: want });
      expect({
        kind,
        en: slots(en[kind])
          .map((s) => s.name)
          .sort(),
      }).toEqual({ kind, en: want });
    }
    expect(Object.keys(nl).sort()).toEqual([...KINDS].sort());
    expect(Object.keys(CATALOGUES.nl.detailWords()).sort()).toEqual([...DETAIL_WORDS].sort());
  });

  it.each(KINDS)('reads %s back from its English text, and writes it in Dutch with no English left', (kind) => {
    const english = sample(kind);
    expect(parseDetail(english)?.kind).toBe(kind);
    // English is what is stored: a terminal in English shows it as it is.
    expect(localDetail(english)).toBe(english);
    const dutch = inDutch(english);
    expect({ kind, dutch, english: englishLeft(dutch) }).toEqual({ kind, dutch, english: [] });
    expect(dutch).not.toMatch(/\{\w+\}|undefined/);
  });

  it('keeps the values as they are, dates as the reader writes them', () => {
    const text = detail('protect', { since: '2026-11-25', reason: 'Invalpool: tussen twee contracten' });
    expect(inDutch(`Fatima el Amrani: ${text}`)).toBe(
      'Fatima el Amrani: geen bron biedt het meer aan sinds 25-11-2026; blijft, want het staat op de uitzonderingenlijst (Invalpool: tussen twee contracten)',
    );
    expect(inDutch(detail('lapse', { until: '2026-11-30', reason: 'Interim-directeur tot de zomer' }))).toBe(
      'vermelding verlopen op 30-11-2026 (reden was: Interim-directeur tot de zomer)',
    );
  });
});

describe('details as the code composes them', () => {
  it('a sync change: the person, an update of several parts, and why the settings made it change', () => {
    const update = [
      diffText(['familyName'], { familyName: 'Graaf' }, { familyName: 'Jansen-de Graaf' }),
      detail('relationsMoved', { source: 'parnassys', from: 'A/Groep 5', to: 'A/Groep 6' }),
      detail('noLongerOffered', { ref: 'basispoort:x1' }),
    ].join('; ');
    const why = [
      detail('settingChanged', { setting: 'priority', source: 'hr', from: '30', to: '50' }),
      detail('settingChanged', { setting: 'date format', source: 'hr', from: 'auto', to: 'dd-mm-yyyy' }),
    ].join('; ');
    const text = detail('who', { who: 'Anouk de Graaf', body: detail('because', { body: update, why }) });
    expect(text).toBe(
      'Anouk de Graaf: familyName: "Graaf" → "Jansen-de Graaf"; parnassys relations: "A/Groep 5" → "A/Groep 6"; no longer offered by basispoort:x1 (because priority of hr changed from 30 to 50; date format of hr changed from auto to dd-mm-yyyy)',
    );
    expect(inDutch(text)).toBe(
      'Anouk de Graaf: achternaam: "Graaf" → "Jansen-de Graaf"; parnassys relaties: "A/Groep 5" → "A/Groep 6"; niet meer aangeboden door basispoort:x1 (omdat prioriteit van hr gewijzigd van 30 naar 50; datumnotatie van hr gewijzigd van automatisch naar dd-mm-yyyy)',
    );
  });

  it('a create linked to two sources, with dated relations', () => {
    const create = detail('createFull', {
      name: 'Jan de Vries',
      email: 'jan.devries@waterlanden.nl',
      role: 'staff',
      relations: relationsText([{ organisation: 'OBS De Regenboog', group: 'Directie', startDate: '2026-08-01', endDate: '' } as never]),
    });
    const text = detail('alsoLinked', { body: create, ref: 'basispoort:https://ketenid.nl/201703/fb9e', field: 'email' });
    expect(inDutch(text)).toBe(
      'Jan de Vries <jan.devries@waterlanden.nl> (medewerker): OBS De Regenboog/Directie vanaf 01-08-2026; ook gekoppeld aan basispoort:https://ketenid.nl/201703/fb9e (herkend aan e-mailadres)',
    );
  });

  it('a revert: every part describeRevert writes', () => {
    const account = { id: 14, givenName: 'Fatima', prefix: 'el', familyName: 'Amrani', email: 'f@w.nl', role: 'staff', status: 'deleted', owner: 'hub' };
    const from = {
      account,
      links: [
        { source: 'hr', externalId: '10395', active: false, record: '' },
        { source: 'las', externalId: 'L1', active: true, record: '' },
      ],
      entry: null,
    } as unknown as AccountSnapshot;
    const to = {
      account: { ...account, status: 'active', owner: 'source', familyName: 'Amrani-Bakker' },
      links: [
        { source: 'hr', externalId: '10395', active: true, record: '' },
        { source: 'bp', externalId: 'b1', active: false, record: '' },
      ],
      entry: { reason: 'Invalpool', until: '2027-01-31' },
    } as unknown as AccountSnapshot;
    const text = describeRevert(from, to);
    const dutch = inDutch(text);
    expect(dutch).toBe(
      'Fatima el Amrani: status: verwijderd → actief; achternaam: "Amrani" → "Amrani-Bakker"; eigenaar: hub → bron; koppeling hr:10395 weer actief; koppeling bp:b1 terug (inactief); koppeling las:L1 verwijderd; weer op de uitzonderingenlijst (Invalpool, tot en met 31-01-2027)',
    );
    expect(englishLeft(inDutch(describeRevert(to, from)))).toEqual([]);
  });

  it('leaves a text that no template makes as it is (an older version wrote it), dates in Dutch', () => {
    expect(inDutch('imported by hand on 2026-11-30')).toBe('imported by hand on 30-11-2026');
    expect(parseDetail('imported by hand')).toBeUndefined();
  });
});
