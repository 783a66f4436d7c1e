/**
 * What a sweep of the built CLI against the command-line contract found after the restructuring: the
 * stop reasons of a stopped sync read in the reader's language in `sync show` (stored and in --json they
 * stay English), and a whole-number option with a negative minimum names that minimum.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { Hub, night, nightSources } from '../helpers/hub.js';

const DUTCH = { BASISHUB_LANG: 'nl' };

/**
 * A sync after night one that stops: the pupils' export keeps 5 of its 30 (deletes beyond the limit),
 * and with `hrRows` the HR export keeps that many rows (a source whose records fell). Its error.
 */
function stop(hub: Hub, hrRows?: number): any {
  const overrides = [...nightSources(1)];
  const pupils = path.join(hub.dir, 'leerlingen-5.json');
  fs.writeFileSync(pupils, JSON.stringify(JSON.parse(fs.readFileSync(night(1, 'parnassys'), 'utf8')).slice(0, 5)));
  overrides.push('--source', `parnassys=${pupils}`);
  if (hrRows !== undefined) {
    const hr = path.join(hub.dir, 'hr-afas-cut.csv');
    fs.writeFileSync(
      hr,
      fs
        .readFileSync(night(1, 'hr'), 'utf8')
        .split(/(?<=\n)/)
        .slice(0, 1 + hrRows)
        .join(''),
    );
    overrides.push('--source', `hr=${hr}`);
  }
  const r = hub.run(['sync', 'run', ...overrides, '--json']);
  expect(r.code).toBe(4);
  expect(r.error.code).toBe('SAFETY_STOP');
  return r.error;
}

describe('sync show of a stopped run', () => {
  it('says why it stopped in Dutch under --lang nl, and keeps the stored reason English in --json (both languages alike)', () => {
    const hub = Hub.afterNightOne();
    const runId = String(stop(hub).runId);

    const english = hub.run(['sync', 'show', runId]);
    expect(english.code).toBe(0);
    expect(english.stdout).toContain('stopped: it would delete 25 accounts (25 linked to parnassys), more than the limit of 10');

    const dutch = hub.run(['sync', 'show', runId], { env: DUTCH });
    expect(dutch.code).toBe(0);
    expect(dutch.stdout).toContain('gestopt: hij zou 25 accounts verwijderen (25 gekoppeld aan parnassys), meer dan de grens van 10');
    expect(dutch.stdout).toContain('; bron parnassys ging van 30 naar 5 personen sinds synchronisatie 1');
    expect(dutch.stdout).not.toMatch(/linked to|fell from/);

    const json = hub.run(['sync', 'show', runId, '--json']);
    expect(json.json.stopReason).toBe(
      'it would delete 25 accounts (25 linked to parnassys), more than the limit of 10; source parnassys fell from 30 to 5 records since run 1',
    );
    expect(hub.run(['sync', 'show', runId, '--json'], { env: DUTCH }).stdout).toBe(json.stdout);
  });

  it('puts each of several reasons in Dutch: the deletions and a source whose records fell', () => {
    const hub = Hub.afterNightOne();
    const error = stop(hub, 2);
    expect(error.reasons).toContain('source hr fell from 14 to 2 records since run 1');

    const dutch = hub.run(['sync', 'show', String(error.runId)], { env: DUTCH }).stdout;
    expect(dutch).toMatch(
      /gestopt: hij zou \d+ accounts verwijderen \([^)]*gekoppeld aan [^)]*\), meer dan de grens van 10; bron hr ging van 14 naar 2 personen sinds synchronisatie 1/,
    );
    expect(dutch).not.toMatch(/fell from|linked to/);
  });
});

describe('whole-number options', () => {
  it('name a negative minimum: --priority below -1000 is USAGE, exit 2, saying from where', () => {
    const hub = Hub.afterNightOne();
    const r = hub.run(['sources', 'edit', 'hr', '--priority', '-2000', '--json']);
    expect(r.code).toBe(2);
    expect(r.error).toMatchObject({ code: 'USAGE' });
    expect(r.error.message).toContain('--priority must be a whole number of at least -1,000, at most 2,147,483,647.');
    const nl = hub.run(['sources', 'edit', 'hr', '--priority', '-2000'], { env: DUTCH });
    expect(nl.code).toBe(2);
    expect(nl.stderr).toContain('--priority moet een geheel getal zijn van minstens -1.000');
    // The minimum itself is accepted.
    expect(hub.ok(['sources', 'edit', 'hr', '--priority', '-1000'])).toMatchObject({ name: 'hr', priority: -1000 });
  });
});
