/**
 * The display layer shows what comes from outside with its control characters escaped, keeps its own
 * colours, and maps every code to its exit code.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { Output, loadColour, terminalSafeJson, visible } from '../../src/cli/output.js';

// The colour library loads only where a terminal may show colour (main() does this for its streams).
beforeAll(() => loadColour([{ isTTY: true }]));
import { BasishubError, ERROR_CODES, exitCodeFor } from '../../src/errors.js';

/** A stream that says it is a terminal, and keeps what was written. */
function terminal(): PassThrough & { isTTY: boolean; text: () => string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; text: () => string };
  s.isTTY = true;
  let buf = '';
  s.on('data', (d) => (buf += d));
  s.text = () => buf;
  return s;
}

const ESC = '\u001b';

describe('visible()', () => {
  it('escapes C0, DEL, C1 and bidi controls, and keeps newlines and ordinary text', () => {
    expect(visible(`Jan${ESC}]0;gehackt\u0007 de Vries`)).toBe('Jan\\x1b]0;gehackt\\x07 de Vries');
    expect(visible('regel 1\nregel 2\r\tx\u007f\u009b\u202eZoë Öztürk')).toBe('regel 1\nregel 2\\r\\tx\\x7f\\x9b\\u202eZoë Öztürk');
  });

  it('keeps JSON exact while escaping C1 and bidi controls as \\u escapes', () => {
    const value = { name: `a\u009b31mb\u202ec${ESC}` };
    const json = terminalSafeJson(JSON.stringify(value));
    expect(json).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('Output on a colour terminal', () => {
  it('keeps its own colours and escapes the data inside and around them', () => {
    const out = terminal();
    const o = new Output({ json: false, color: true, stdout: out, stderr: terminal() });
    const name = `Berg${ESC}[2J`;
    o.print(`${o.c.bold(`#1 ${name}`)} — ${name}`);
    const text = out.text();
    expect(text).toBe(`${ESC}[1m#1 Berg\\x1b[2J${ESC}[22m — Berg\\x1b[2J\n`);
  });

  it('tables: cells escaped, colours kept, columns aligned by what is shown', () => {
    const out = terminal();
    const o = new Output({ json: false, color: true, stdout: out, stderr: terminal() });
    o.print(
      o.table(
        ['id', 'naam'],
        [
          [1, `de${ESC}[8mGraaf`],
          [2, o.c.red('verwijderd')],
        ],
      ),
    );
    const lines = out
      .text()
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    expect(lines.some((l) => l.includes('de\\x1b[8mGraaf'))).toBe(true);
    expect(lines.some((l) => l.includes(`${ESC}[31mverwijderd${ESC}[39m`))).toBe(true);
    // The second column starts at the same place on every line, measured by what is shown.
    const secondColumn = (l: string) => /^\S+\s+/.exec(l.replace(/\x1b\[[0-9;]*m/g, ''))![0].length;
    expect(new Set(lines.map(secondColumn)).size).toBe(1);
  });

  it('errors: the message and hint are escaped; under --json the values are exact', () => {
    const err = terminal();
    const o = new Output({ json: false, color: false, stdout: terminal(), stderr: err });
    expect(o.fail(new BasishubError('NOT_FOUND', `No account ${ESC}[2Jx.`, { hint: `Try ${ESC}]0;t\u0007` }))).toBe(2);
    expect(err.text()).toBe('Error [NOT_FOUND] No account \\x1b[2Jx.\n→ Try \\x1b]0;t\\x07\n');
    const jerr = terminal();
    new Output({ json: true, color: false, stdout: terminal(), stderr: jerr }).fail(new BasishubError('NOT_FOUND', `No account ${ESC}[2Jx.`));
    expect(JSON.parse(jerr.text()).error.message).toBe(`No account ${ESC}[2Jx.`);
  });
});

describe('exit codes', () => {
  it.each([
    ['HUB_DAMAGED', 7],
    ['TARGET_FAILED', 8],
    ['STORAGE', 2],
    ['EMAIL_TAKEN', 2],
    ['USAGE', 2],
    ['INVALID_EXPORT', 3],
    ['SAFETY_STOP', 4],
    ['SYNC_LOCKED', 5],
    ['INTERNAL', 1],
  ] as const)('%s exits %i', (code, exit) => {
    expect(ERROR_CODES).toContain(code);
    expect(exitCodeFor(code)).toBe(exit);
  });
});
