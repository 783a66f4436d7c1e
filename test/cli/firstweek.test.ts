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

describe('tables that fit', () => {
  const PLAN = /\b[0-9a-f]{16}\b/;

  it('keep sync history within an 80-column terminal, with whole plan ids and no ruled lines', async () => {
    const r = await run(['--no-color', 'sync', 'history'], { columns: 80 });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+STARTED\s+.*CHANGES\s+PLAN$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    for (const line of lines.slice(1)) expect(line).toMatch(PLAN);
    expect(r.stdout).not.toMatch(/[─│┌┼]/);
    expect(r.stdout).toMatch(/\n1 +2026-11-24 03:00 +44 created +[0-9a-f]{16}\n/);
  });

  it('show every count that is not zero where the terminal has room', async () => {
    const r = await run(['--no-color', 'sync', 'history'], { columns: 100 });
    // Night 2: a pupil joined, Anouk married, Milan left, Fatima was kept by the list (R4).
    expect(r.stdout.split('\n').find((l) => l.startsWith('2 '))).toMatch(/1 created, 1 updated, 1 deleted, 1 protected +[0-9a-f]{16}$/);
  });

  it('drop less important columns on a narrow terminal, but never the ids that commands take', async () => {
    const r = await run(['--no-color', 'exceptions', 'list'], { columns: 50 });
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(50);
    expect(lines[0]).toMatch(/^ID\s+NAME/);
    expect(lines[1]).toMatch(new RegExp(`^${hub.id('hr:10395')}\\s+Fatima el Amrani`));
  });

  it('print tab-separated lines with a header when stdout is not a terminal, every count a column', async () => {
    const r = await run(['sync', 'history']);
    const [head, ...rows] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(head).toEqual([
      'run',
      'started',
      'by',
      'status',
      'created',
      'updated',
      'relinked',
      'revived',
      'deleted',
      'protected',
      'conflicts',
      'pending',
      'lapsed',
      'unchanged',
      'kept',
      'notRevertible',
      'plan',
    ]);
    for (const row of rows) expect(row).toHaveLength(head!.length);
    expect(rows.find((x) => x[0] === '1')!.slice(4, 5)).toEqual(['44']);
    expect(rows[0]![16]).toMatch(PLAN);
  });
});

describe('users list', () => {
  it('has school and group columns, says "N of M", and leaves deleted accounts out unless asked', async () => {
    const r = await run(['users', 'list', '--limit', '2']);
    const [head, ...rows] = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(head).toEqual(expect.arrayContaining(['school', 'group']));
    expect(rows).toHaveLength(2);
    expect(r.stderr).toMatch(/2 of \d+ active accounts/);
    const deleted = await run(['users', 'list', '--status', 'deleted']);
    expect(deleted.stdout).toContain('Milan Schouten');
    expect((await run(['users', 'list'])).stdout).not.toContain('Milan Schouten');
    expect((await run(['users', 'list', '--all'])).stdout).toContain('Milan Schouten');
  });

  it('finds part of an externalId, and source:externalId', async () => {
    const byRef = await run(['users', 'list', '--search', 'hr:10234', '--json']);
    expect(JSON.parse(byRef.stdout).map((u: { email: string }) => u.email)).toEqual(['jan.devries@waterlanden.nl']);
    const byPart = await run(['users', 'list', '--search', '1039', '--json']);
    expect(JSON.parse(byPart.stdout).map((u: { email: string }) => u.email)).toContain('fatima.elamrani@waterlanden.nl');
  });

  it('sorts as Dutch readers do: Öztürk among the O, not after Z', async () => {
    const r = await run(['users', 'list', '--json']);
    const family: string[] = JSON.parse(r.stdout).map((u: { familyName: string }) => u.familyName);
    const oz = family.indexOf('Öztürk');
    expect(oz).toBeGreaterThan(-1);
    expect(family.slice(oz + 1).some((f) => /^[P-Z]/.test(f))).toBe(true);
  });
});

describe('help and completion', () => {
  it("`help exceptions add` prints that command's help on stdout, with the global options and an example", async () => {
    const r = await cli(['help', 'exceptions', 'add']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: basishub exceptions add [options] [user]');
    const global = r.stdout.slice(r.stdout.indexOf('Global Options:'));
    for (const flag of ['--json', '--db <path>', '--yes', '--actor <name>', '--no-input', '--no-color']) expect(global).toContain(flag);
    expect(r.stdout).toMatch(/Examples:\n {2}# .+\n {2}\$ basishub exceptions add/);
  });

  it('prints help on stdout when no command is given, exit 0', async () => {
    for (const args of [[], ['sources'], ['--help'], ['sync', 'run', '--help']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: basishub');
      expect(r.stderr).toBe('');
    }
  });

  it('under --json, a command without its subcommand is USAGE as one JSON error, not help text on stdout', async () => {
    for (const args of [['--json'], ['users', '--json'], ['--json', 'exceptions']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'USAGE', message: expect.stringContaining('Which command?') });
    }
    // Help asked for by name stays help, also with --json.
    expect((await cli(['users', '--help', '--json'])).stdout).toContain('Usage: basishub users');
  });

  it('has an example for every command', async () => {
    const { buildProgram } = await import('../../src/cli/program.js');
    const { Runtime } = await import('../../src/cli/runtime.js');
    const { walk, commandPath, hasExamples } = await import('../../src/cli/help.js');
    const program = await buildProgram(new Runtime({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: {} }, false));
    const missing = [...walk(program)].map(commandPath).filter((p) => !hasExamples(p));
    expect(missing).toEqual([]);
  });

  it('starts with stand-ins for the groups it does not need, and they show as the real commands do', async () => {
    const { buildProgram, groupsFor } = await import('../../src/cli/program.js');
    const { Runtime } = await import('../../src/cli/runtime.js');
    const rt = () => new Runtime({ stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: {} }, false);
    const full = (await buildProgram(rt())).helpInformation();
    // `basishub --help` loads no group; its command list must read exactly as with every group loaded.
    expect((await buildProgram(rt(), ['--help'])).helpInformation()).toBe(full);
    expect((await buildProgram(rt(), ['--db', 'users', 'exceptions', 'list'])).helpInformation()).toBe(full);
    expect(groupsFor(['--version'])).toEqual([]);
    expect(groupsFor(['--db', 'users', 'exceptions', 'list'])).toEqual(['exceptions']);
    expect(groupsFor(['help', 'exceptions', 'add'])).toBe('all');
    expect(groupsFor(['completion', 'bash'])).toBe('all');
    expect(groupsFor(['uers', 'list'])).toEqual([]);
  });

  it('lists the fields in the help of --map', async () => {
    const r = await cli(['sources', 'add', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('Fields: externalId, givenName, prefix, familyName, email, role, organisation, group, startDate, endDate');
  });

  it('prints a completion script made from the command tree for bash, zsh and fish', async () => {
    const bash = await cli(['completion', 'bash']);
    expect(bash.stdout).toContain('complete -o default -F _basishub basishub');
    expect(bash.stdout).toContain('"exceptions") echo "add list edit review import export remove"');
    expect(bash.stdout).toMatch(/"exceptions add"\) echo "--reason --until .*--json/);
    expect((await cli(['completion', 'zsh'])).stdout).toMatch(/^#compdef basishub\n[\s\S]*bashcompinit/);
    const fish = await cli(['completion', 'fish']);
    expect(fish.stdout).toContain("complete -c basishub -n '__fish_seen_subcommand_from exceptions; and __fish_seen_subcommand_from add' -l reason");
    const bad = await cli(['completion', 'powershell']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});

describe('facts for people', () => {
  it('audit names the account of each entry, in Dutch time without …Z', async () => {
    const r = await run(['--no-color', 'audit', '--user', 'hr:10395'], { columns: 160 });
    expect(r.stdout).toMatch(/^WHEN\s+WHO\s+WHAT\s+ACCOUNT\s+NAME\s+DETAIL/);
    expect(r.stdout).toContain('Fatima el Amrani');
    // Night 2 ran at 02:00 UTC: 03:00 in Amsterdam in November.
    expect(r.stdout).toContain('2026-11-25 03:00:00');
    expect(r.stdout).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
  });

  it('users show and sync show print Dutch times, not UTC instants', async () => {
    for (const args of [
      ['users', 'show', 'hr:10395'],
      ['sync', 'show', '2'],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/2026-11-2\d 0[3-9]:\d{2}/);
      expect(r.stdout).not.toMatch(/T\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
    }
  });

  it('users purge --dry-run names the accounts it would erase', async () => {
    const r = await run(['users', 'purge', '--older-than', '1', '--dry-run'], { env: { BASISHUB_NOW: '2026-12-31T10:00:00.000Z' } });
    expect(r.stdout.split('\n')[0]).toBe('id\tname\tdeleted\tcause');
    expect(r.stdout).toMatch(/\tMilan Schouten\t2026-11-25 03:00\t/);
  });

  it('accepts dd-mm-yyyy wherever a date is typed', async () => {
    const r = await run(['exceptions', 'edit', 'hr:10395', '--until', '31-01-2027', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).until).toBe('2027-01-31');
    expect((await run(['audit', '--since', '25-11-2026', '--json'])).code).toBe(0);
    const bad = await run(['audit', '--since', '31-02-2026']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since "31-02-2026" is not a date that exists');
    await run(['exceptions', 'edit', 'hr:10395', '--no-until']);
  });
});

describe('email addresses', () => {
  it("users edit --email with another active account's address exits 2 with EMAIL_TAKEN, even with --force", async () => {
    const r = await run(['users', 'edit', 'hr:10241', '--email', 'jan.devries@waterlanden.nl', '--force', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const err = JSON.parse(r.stderr).error;
    expect(err).toMatchObject({ code: 'EMAIL_TAKEN', holders: [{ email: 'jan.devries@waterlanden.nl', displayName: 'Jan de Vries' }] });
  });
});

describe('sources', () => {
  it('refuses to add a CSV without an externalId column and no --map, at once', async () => {
    const file = new URL('../../fixtures/bad/missing-externalid.csv', import.meta.url).pathname;
    const r = await run(['sources', 'add', 'personeel', '--file', file]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('no externalId column');
    expect(r.stderr).toContain('--map externalId=<column>');
    expect(hub.store.source('personeel')).toBeUndefined();
  });

  it('shows detected settings as information, delimiters by name', async () => {
    const r = await run(['sources', 'check', 'basispoort']);
    expect(r.stdout).toContain('csv; delimiter: comma (detected); encoding: utf-8 (detected)');
    expect(r.stdout).not.toMatch(/! (delimiter|encoding) detected/);
    expect(r.stdout).not.toContain('delimiter ,,');
  });
});
