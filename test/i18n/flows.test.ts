/**
 * The flows beyond the exception list's week, in Dutch: a source's settings changed (and the sync that
 * says why), backups refused, an import with bad rows, a target shown and published to, a publish
 * stopped at its safety limit, the audit trail and a revert. Nothing of what a person reads is left in
 * English; what scripts read (--json, exit codes) is the same in both languages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { TestHub, nightFile } from '../helpers/hub.js';
import { cli, type CliRun } from '../helpers/cli.js';
import { englishLeft } from './giveaways.js';

interface Step {
  name: string;
  run: CliRun;
}

function nightArgs(n: number): string[] {
  return ['--source', `hr=${nightFile(n, 'hr')}`, '--source', `parnassys=${nightFile(n, 'parnassys')}`, '--source', `basispoort=${nightFile(n, 'basispoort')}`];
}

/** An import with a row of every kind of problem (semicolons, BOM, as Dutch Excel saves it). */
const BAD_CSV =
  '\ufeffuser;reason;until\n' +
  'hr:10234;Interim-directeur tot de zomer;31-01-2030\n' +
  'nobody@waterlanden.nl;Invaller;\n' +
  'hr:10234;Twee keer;\n' +
  'hr:10241;;2020-01-01\n' +
  'hr:10257;Zwanger; verlof;\n' +
  ';Zonder account;\n' +
  'hr:10282;Ziek;31-02-2030\n';
const BAD_JSON = JSON.stringify([{ user: 'hr:10234', reason: 'Interim' }, { user: true, reason: 5, until: 3 }, 7]);
const GOOD_CSV = 'user;reason;until\nhr:10234;Interim-directeur, tot de zomer;31-01-2030\nhr:10241;Invalpool: tussen twee contracten;\n';

async function play(args: string[], columns?: number): Promise<{ steps: Step[]; dir: string }> {
  const hub = new TestHub().demoSources();
  const dir = hub.dir;
  fs.writeFileSync(path.join(dir, 'fout.csv'), BAD_CSV);
  fs.writeFileSync(path.join(dir, 'fout.json'), BAD_JSON);
  fs.writeFileSync(path.join(dir, 'kop.csv'), 'naam;reden\nx;y\n');
  fs.writeFileSync(path.join(dir, 'lijst.csv'), GOOD_CSV);
  fs.writeFileSync(path.join(dir, 'een-bestand'), 'geen map\n');
  const steps: Step[] = [];
  const at = (day: number, hour: string) => `2026-11-${String(23 + day).padStart(2, '0')}T${hour}:00:00.000Z`;
  const run = async (name: string, now: string, command: string[]) => {
    const r = await cli(['--db', hub.dbPath, ...args, ...command], { columns, env: { BASISHUB_NOW: now, LANG: 'C.UTF-8' } });
    steps.push({ name, run: r });
  };
  try {
    await run('night 1', at(1, '02'), ['sync', 'run', ...nightArgs(1)]);
    await run('sources show', at(1, '10'), ['sources', 'show', 'hr']);
    await run('sources edit', at(1, '10'), ['sources', 'edit', 'hr', '--priority', '50', '--grace-days', '3', '--date-format', 'dd-mm-yyyy']);
    await run('sources edit again', at(1, '10'), ['sources', 'edit', 'hr', '--priority', '50']);
    await run('night 2 dry run', at(2, '02'), ['sync', 'run', '--dry-run', ...nightArgs(2)]);
    await run('night 2', at(2, '02'), ['sync', 'run', ...nightArgs(2)]);
    await run('sync show', at(2, '10'), ['sync', 'show', '2']);
    await run('backup to a folder', at(2, '10'), ['backup', '--output', dir]);
    await run('backup to a missing folder', at(2, '10'), ['backup', '--output', path.join(dir, 'nergens', 'kopie.db')]);
    await run('backup over the hub', at(2, '10'), ['backup', '--output', hub.dbPath]);
    await run('backup', at(2, '10'), ['backup', '--output', path.join(dir, 'kopie.db')]);
    await run('backup again', at(2, '10'), ['backup', '--output', path.join(dir, 'kopie.db')]);
    await run('sync with --keep only', at(2, '10'), ['sync', 'run', '--keep', '3', '--dry-run', ...nightArgs(2)]);
    await run('sync with a file as backup folder', at(2, '10'), ['sync', 'run', '--backup-dir', path.join(dir, 'een-bestand'), ...nightArgs(2)]);
    await run('import bad rows', at(2, '11'), ['exceptions', 'import', path.join(dir, 'fout.csv')]);
    await run('import bad json', at(2, '11'), ['exceptions', 'import', path.join(dir, 'fout.json')]);
    await run('import bad header', at(2, '11'), ['exceptions', 'import', path.join(dir, 'kop.csv')]);
    await run('import dry run', at(2, '11'), ['exceptions', 'import', path.join(dir, 'lijst.csv'), '--dry-run']);
    await run('import', at(2, '11'), ['exceptions', 'import', path.join(dir, 'lijst.csv')]);
    await run('targets add', at(2, '12'), ['targets', 'add', 'entra', '--kind', 'csv', '--output', path.join(dir, 'entra')]);
    await run('publish dry run', at(2, '12'), ['publish', '--dry-run']);
    await run('publish', at(2, '12'), ['publish']);
    await run('targets list', at(2, '12'), ['targets', 'list']);
    await run('users delete', at(2, '13'), ['users', 'delete', 'hr:10263', '--yes']);
    await run('publish stopped', at(2, '13'), ['publish', '--max-deactivations', '0']);
    await run('targets show', at(2, '13'), ['targets', 'show', 'entra']);
    await run('audit', at(2, '14'), ['audit', '--limit', '40']);
    await run('revert dry run', at(2, '14'), ['sync', 'revert', '2', '--dry-run']);
    await run('config', at(2, '14'), ['config', 'list']);
  } finally {
    hub.close();
  }
  return { steps, dir };
}

function step(steps: Step[], name: string): CliRun {
  const s = steps.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no step ${name}`);
  return s.run;
}

const said = (r: CliRun) => r.stdout + r.stderr;

describe('the flows beyond the week, in Dutch on a terminal', () => {
  let steps: Step[];
  beforeAll(async () => {
    ({ steps } = await play(['--lang', 'nl'], 200));
  });

  it('says what a source edit changed, and why the next sync looks again', () => {
    expect(said(step(steps, 'sources edit'))).toContain(
      'Bronsysteem hr gewijzigd: prioriteit van 30 naar 50, datumnotatie van automatisch naar dd-mm-yyyy, wachtdagen van 0 naar 3.',
    );
    expect(said(step(steps, 'sources show'))).toMatch(/prioriteit\s+30/);
    const dry = said(step(steps, 'night 2 dry run'));
    expect(dry).toContain(
      'worden opnieuw bekeken: prioriteit van hr gewijzigd van 30 naar 50; datumnotatie van hr gewijzigd van automatisch naar dd-mm-yyyy; wachtdagen van hr gewijzigd van 0 naar 3.',
    );
    expect(dry).toContain('(ook de instellingen van de bron zijn gewijzigd: prioriteit van hr gewijzigd van 30 naar 50;');
  });

  it('refuses backups in Dutch, with the stable codes', () => {
    const cases: [string, number, string][] = [
      ['backup to a folder', 2, 'is een map, geen bestand; een reservekopie wordt daar niet geschreven.'],
      ['backup to a missing folder', 2, 'bestaat niet; er is niets geschreven.'],
      ['backup over the hub', 2, 'is de database van de hub'],
      ['backup again', 2, 'bestaat al; een reservekopie schrijft nooit over een bestand heen.'],
      ['sync with --keep only', 2, '--keep heeft een map nodig voor de kopieën.'],
      ['sync with a file as backup folder', 2, 'is geen map, dus de kopie van voor de synchronisatie kan daar niet heen'],
    ];
    for (const [name, code, text] of cases) {
      const r = step(steps, name);
      expect({ name, code: r.code }).toEqual({ name, code });
      expect(r.stderr).toContain('Fout [USAGE]');
      expect(r.stderr).toContain(text);
    }
  });

  it('names every bad row of an import in Dutch', () => {
    const csv = step(steps, 'import bad rows').stderr;
    expect(csv).toContain('6 regels kunnen niet worden ingelezen; er is niets geschreven.');
    expect(csv).toContain('regel 6 (hr:10257): 4 velden waar de kopregel er 3 heeft');
    expect(csv).toContain('regel 8 (hr:10282): einddatum (until): "31-02-2030" is een datum die niet bestaat.');
    expect(step(steps, 'import bad json').stderr).toContain(
      'element 2: user moet een tekst of een accountnummer zijn; reason moet een tekst zijn; einddatum (until) moet een datum zijn',
    );
    expect(step(steps, 'import bad header').stderr).toContain('in de kopregel ontbreken de kolommen "user" en "reason" (gevonden: "naam", "reden").');
  });

  it('shows a target and a publish in Dutch, the safety stop too', () => {
    expect(said(step(steps, 'targets show'))).toMatch(/bevestigd\s+44 actief, 0 gedeactiveerd/);
    expect(said(step(steps, 'targets show'))).toContain('1 deactiveren');
    expect(said(step(steps, 'publish'))).toContain('Doelsysteem entra (csv): voltooid');
    const stop = step(steps, 'publish stopped');
    expect(stop.code).toBe(4);
    expect(stop.stderr).toContain(
      'Fout [SAFETY_STOP] Publiceren naar entra is gestopt: het zou 1 van de 44 accounts in het doelsysteem deactiveren of verwijderen, meer dan de grens van 0.',
    );
  });

  it('leaves no English in what a person reads', () => {
    for (const s of steps) expect({ step: s.name, english: englishLeft(said(s.run)) }).toEqual({ step: s.name, english: [] });
  });
});

describe('what scripts read of these flows does not change with the language', () => {
  it('prints byte-identical --json documents and exit codes in Dutch and in English', async () => {
    const en = await play(['--json', '--lang', 'en']);
    const nl = await play(['--json', '--lang', 'nl']);
    const same = (r: CliRun, dir: string) => ({ stdout: r.stdout.split(dir).join('<dir>'), code: r.code });
    expect(nl.steps.map((s) => s.name)).toEqual(en.steps.map((s) => s.name));
    for (let i = 0; i < en.steps.length; i++) {
      const a = en.steps[i]!;
      const b = nl.steps[i]!;
      expect({ step: b.name, ...same(b.run, nl.dir) }).toEqual({ step: a.name, ...same(a.run, en.dir) });
      if (a.run.stderr.startsWith('{"error"')) expect(JSON.parse(b.run.stderr).error.code).toBe(JSON.parse(a.run.stderr).error.code);
    }
  });
});
