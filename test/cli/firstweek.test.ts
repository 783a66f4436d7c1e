/**
 * A coordinator's first week, through the command line itself (in-process, test/helpers/cli.ts): the
 * confirmation policy, contradictory flags, tables on a terminal and in a pipe, help and completion.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addException } from '../../src/app/exceptions.js';
import { TestHub } from '../helpers/hub.js';
import { cli, type CliOptions } from '../helpers/cli.js';

let hub: TestHub;
const NOW = '2026-11-25T10:00:00.000Z';

function run(args: string[], opts: CliOptions = {}) {
  return cli(['--db', hub.dbPath, ...args], { ...opts, env: { BASISHUB_NOW: NOW, ...opts.env } });
}

beforeAll(async () => {
  hub = new TestHub().demoSources();
  await hub.night(1);
  hub.dayAfter(1);
  addException(hub.ctx(), 'fatima.elamrani@waterlanden.nl', { reason: 'Invalpool: tussen twee contracten' });
  await hub.night(2); // Fatima is no longer offered: only the list keeps her
  hub.dayAfter(2);
});

afterAll(() => hub.close());

describe('one confirmation policy for a loss', () => {
  it('refuses `exceptions remove` without a terminal when the next sync would delete the account, naming --yes', async () => {
    const r = await run(['exceptions', 'remove', 'hr:10395']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the next sync deletes it');
    expect(r.stderr).toContain('pass --yes to do it anyway');
    expect(hub.store.exception(hub.id('hr:10395'))).toBeDefined();
  });

  it('says nothing changed and exits 0 when the person answers no', async () => {
    const r = await run(['exceptions', 'remove', 'hr:10395'], { keys: ['n', '\r'] });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Cancelled; nothing was changed.');
    expect(r.stderr).not.toMatch(/Error|USAGE/);
    expect(hub.store.exception(hub.id('hr:10395'))).toBeDefined();
  });

  it('exits 130 on Ctrl-C at the prompt, saying nothing changed, and clears the prompt', async () => {
    const r = await run(['exceptions', 'remove', 'hr:10395'], { keys: ['\x03'] });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted; nothing was changed.');
    // The prompt's line is erased (clearPromptOnDone): the last thing on the screen is the message.
    expect(r.stderr.trimEnd().endsWith('Interrupted; nothing was changed.')).toBe(true);
    expect(hub.store.exception(hub.id('hr:10395'))).toBeDefined();
  });

  it('refuses `users delete` without a terminal unless --yes', async () => {
    const r = await run(['users', 'delete', 'hr:10234']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --yes');
    expect(hub.store.account(hub.id('hr:10234'))!.status).toBe('active');
  });
});

describe('contradictory flags', () => {
  it('refuses --until with --no-until instead of letting the last one win', async () => {
    const r = await run(['exceptions', 'edit', 'hr:10395', '--until', '2027-08-01', '--no-until']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--until and --no-until contradict each other');
    expect(hub.store.exception(hub.id('hr:10395'))!.until).toBeNull();
  });

  it('refuses users list --status with --all', async () => {
    expect((await run(['users', 'list', '--status', 'deleted', '--all'])).code).toBe(2);
  });
});
