/**
 * Tables, the one module that knows how they look. On a terminal: aligned columns two spaces apart,
 * a bold header, no rules, never wider than the terminal: the least important columns are shortened
 * (with …) or dropped first, and a column that holds ids that commands take is never cut. Not on a
 * terminal: tab-separated lines with a header, every column, nothing cut, for cut, awk and
 * spreadsheets (as gh prints them).
 */

export interface Column {
  head: string;
  /** Holds ids that commands take (a user id, a plan id): never shortened or dropped. */
  id?: boolean;
  /** Shortened if need be, but never dropped (the name of a person, say). */
  keep?: boolean;
  /**
   * Free text that can be long (a detail, a reason): shortened to its minimum before other columns
   * are dropped for it, and given back the room that is left. Implies keep.
   */
  flex?: boolean;
  /** Higher stays longer; by default the earlier columns matter more. */
  weight?: number;
  /** The narrowest a shortened column gets (default 10, or less where its content is narrower). */
  min?: number;
  align?: 'right';
  /** Only on a terminal (a summary), or only in tab-separated output (the detail it summarises). */
  only?: 'tty' | 'tsv';
}

export type Cell = string | number | null | undefined;

export interface TableStyle {
  tty: boolean;
  /** The terminal's width in columns. */
  width: number;
  bold: (s: string) => string;
}

const GAP = 2;
const ANSI = /\x1b\[[0-9;]*m/g;

export function plain(s: string): string {
  return s.replace(ANSI, '');
}

function widthOf(s: string): number {
  let n = 0;
  for (const _ of plain(s)) n++;
  return n;
}

/** One line per cell: line breaks and tabs become spaces. */
function flat(cell: Cell): string {
  return cell === null || cell === undefined ? '' : String(cell).replace(/\s*[\n\r\t]+\s*/g, ' ');
}

export function toColumn(c: string | Column): Column {
  return typeof c === 'string' ? { head: c } : c;
}

export function renderTable(spec: (string | Column)[], rows: Cell[][], style: TableStyle): string {
  const all = spec.map(toColumn);
  const keep = all.map((c, i) => ({ c, i })).filter(({ c }) => c.only !== (style.tty ? 'tsv' : 'tty'));
  const cells = rows.map((r) => keep.map(({ i }) => flat(r[i])));
  const cols = keep.map(({ c }) => c);
  if (!style.tty) return [cols.map((c) => c.head), ...cells.map((r) => r.map(plain))].map((r) => r.join('\t')).join('\n');
  const natural = cols.map((c, j) => Math.max(widthOf(c.head), ...cells.map((r) => widthOf(r[j]))));
  const widths = fit(cols, natural, style.width);
  const shown = cols.map((_, j) => j).filter((j) => widths[j] > 0);
  const line = (r: string[], head: boolean) =>
    shown
      .map((j, k) => {
        const text = cut(r[j], widths[j]);
        const pad = ' '.repeat(Math.max(0, widths[j] - widthOf(text)));
        const last = k === shown.length - 1;
        const padded = cols[j].align === 'right' ? pad + text : last ? text : text + pad;
        return head ? style.bold(padded) : padded;
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  return [
    line(
      cols.map((c) => c.head.toUpperCase()),
      true,
    ),
    ...cells.map((r) => line(r, false)),
  ].join('\n');
}

/**
 * Widths that fit `width`: the least important columns first are shortened to their minimum and, if
 * that is not enough, dropped (width 0); columns with ids are left whole. Space that a drop frees goes
 * back to the shortened columns, the most important first.
 */
export function fit(cols: Column[], natural: number[], width: number): number[] {
  const widths = [...natural];
  const used = () => {
    const live = widths.filter((w) => w > 0);
    return live.reduce((a, b) => a + b, 0) + GAP * Math.max(0, live.length - 1);
  };
  const weight = (j: number) => cols[j].weight ?? cols.length - j;
  const order = cols
    .map((_, j) => j)
    .filter((j) => !cols[j].id)
    .sort((a, b) => weight(a) - weight(b));
  const minOf = (j: number) => Math.min(natural[j], cols[j].min ?? 10);
  for (const j of order.filter((k) => cols[k].flex)) {
    const over = used() - width;
    if (over > 0) widths[j] = Math.max(minOf(j), widths[j] - over);
  }
  for (const j of order) {
    const over = used() - width;
    if (over <= 0) break;
    widths[j] = Math.max(minOf(j), widths[j] - over);
    if (used() > width && !cols[j].keep && !cols[j].flex) widths[j] = 0;
  }
  for (const j of [...order].reverse()) {
    const room = width - used();
    if (room <= 0) break;
    if (widths[j] > 0 && widths[j] < natural[j]) widths[j] = Math.min(natural[j], widths[j] + room);
  }
  return widths;
}

/** The text cut to `w` columns with …, colour dropped where it is cut. */
function cut(text: string, w: number): string {
  if (widthOf(text) <= w) return text;
  const chars = [...plain(text)];
  return w <= 1 ? chars.slice(0, w).join('') : chars.slice(0, w - 1).join('') + '…';
}
