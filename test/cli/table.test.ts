/**
 * The table layer (src/cli/table.ts): fitting a terminal, and the tab-separated form for pipes.
 */
import { describe, expect, it } from '@jest/globals';
import { fit, renderTable, type Column } from '../../src/cli/table.js';

const COLS: Column[] = [
  { head: 'id', id: true },
  { head: 'name', keep: true, weight: 10, min: 12 },
  { head: 'email', weight: 8, min: 16 },
  { head: 'owner', weight: 1 },
];
const ROWS = [
  [14, 'Fatima el Amrani-Bakker', 'fatima.elamrani@waterlanden.nl', 'hub'],
  [301, "Bas 't Hart", 'bas.thart@waterlanden.nl', 'source'],
];
const tty = (width: number) => ({ tty: true, width, bold: (s: string) => s });

describe('tables on a terminal', () => {
  it('print every column when there is room, two spaces apart, without rules', () => {
    expect(renderTable(COLS, ROWS, tty(120)).split('\n')).toEqual([
      'ID   NAME                     EMAIL                           OWNER',
      '14   Fatima el Amrani-Bakker  fatima.elamrani@waterlanden.nl  hub',
      "301  Bas 't Hart              bas.thart@waterlanden.nl        source",
    ]);
  });

  it('drop the least important column first, then shorten with …, never the id', () => {
    const at = (w: number) => renderTable(COLS, ROWS, tty(w)).split('\n');
    expect(at(62)[0]).toBe('ID   NAME                     EMAIL');
    const narrow = at(50);
    for (const l of narrow) expect([...l].length).toBeLessThanOrEqual(50);
    expect(narrow[1]).toBe('14   Fatima el Amrani-Bakker  fatima.elamrani@wat…');
    expect(at(40)[1]).toBe('14   Fatima el Amrani-Bakker'); // email below its minimum: dropped
    const tiny = at(20);
    expect(tiny[2]).toMatch(/^301 {2}Bas 't Hart/);
  });

  it('shorten long free text (flex) before dropping the columns beside it', () => {
    const cols: Column[] = [{ head: 'when' }, { head: 'who', weight: 1 }, { head: 'account', id: true }, { head: 'detail', flex: true, min: 12 }];
    const out = renderTable(cols, [['2026-12-01 00:30', 'cron', 14, 'Fatima el Amrani: offered again by hr: matched by its earlier link']], tty(60)).split(
      '\n',
    );
    expect(out[1]).toBe('2026-12-01 00:30  cron  14       Fatima el Amrani: offered …');
  });

  it('give room freed by a dropped column back to the shortened ones', () => {
    expect(fit(COLS, [3, 23, 30, 6], 60)).toEqual([3, 23, 30, 0]);
  });

  it('put multi-line cells on one line and keep colour codes out of the widths', () => {
    const out = renderTable(['a', 'b'], [['\x1b[31mrood\x1b[39m', 'twee\nregels']], tty(80));
    expect(out.split('\n')[1]).toBe('\x1b[31mrood\x1b[39m  twee regels');
  });
});

describe('tables in a pipe', () => {
  it('are tab-separated with a header, nothing cut or dropped, no colour', () => {
    const out = renderTable(COLS, [[14, '\x1b[1mFatima\x1b[22m\tel Amrani', 'f@x.nl', 'hub']], { tty: false, width: 20, bold: (s) => `*${s}*` });
    expect(out).toBe('id\tname\temail\towner\n14\tFatima el Amrani\tf@x.nl\thub');
  });

  it('keep tsv-only columns and leave terminal-only ones out', () => {
    const cols: Column[] = [
      { head: 'run', id: true },
      { head: 'changes', only: 'tty' },
      { head: 'created', only: 'tsv' },
    ];
    expect(renderTable(cols, [[1, '44 created', 44]], { tty: false, width: 80, bold: (s) => s })).toBe('run\tcreated\n1\t44');
    expect(renderTable(cols, [[1, '44 created', 44]], tty(80))).toBe('RUN  CHANGES\n1    44 created');
  });
});
