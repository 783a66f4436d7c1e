import { CATALOGUES, t } from '../../i18n/index.js';
import { BasishubError } from '../../errors.js';
import {
  addSource,
  checkSources,
  delimiterName,
  editSource,
  listSources,
  RECORD_FIELDS,
  removeSource,
  showSource,
  type SourceInput,
} from '../../app/sources.js';
import type { SourceConfig } from '../../model.js';
import { act, collect, DAYS_MAX, intArg, type Parent } from '../define.js';
import { compareDutch } from '../../dutch.js';
import type { Runtime } from '../runtime.js';
import { parseDetail } from '../../app/details.js';
import { localDetail } from '../render.js';

/** `sources add` and `sources edit`: the same options. */
function withSourceOptions(parent: Parent, usage: 'add <name>' | 'edit <name>', description: string) {
  return parent
    .command(usage)
    .description(description)
    .option('--file <path>', 'the export file (a folder for sds-v1, sds-v2.1 and oneroster-1.1)')
    .option('--format <format>', 'csv | json | sds-v1 | sds-v2.1 | oneroster-1.1 (default: from the file name)')
    .option('--kind <kind>', 'hr | las | basispoort | other (hr implies role staff, las role student)')
    .option('--match <field>', 'how a new record finds an existing account: email | externalId | none (default email)')
    .option(
      '--map <field=column>',
      `read a field from a column of another name; repeatable. Fields: ${RECORD_FIELDS.join(', ')} (externalId is required)`,
      collect,
    )
    .option('--priority <n>', 'higher wins where sources disagree (default by kind: hr 30, las 20, basispoort 10, other 0)', intArg('--priority', -1000))
    .option('--delimiter <c>', 'CSV delimiter: a character, tab, comma, semicolon, or auto (detect)')
    .option('--encoding <enc>', 'utf-8 | windows-1252 | auto (detect)')
    .option(
      '--date-format <fmt>',
      'format of startDate/endDate, e.g. dd-mm-yyyy (tokens yyyy, mm, dd in either case; default auto: ISO, dd-mm-yyyy or yyyymmdd)',
    )
    .option('--grace-days <n>', 'days an unoffered account waits before deletion (default 0)', intArg('--grace-days', 0, DAYS_MAX));
}

/** The flags as commander parses them: like SourceInput, where `auto` stands for null (detect). */
type SourceFlags = ReturnType<ReturnType<typeof withSourceOptions>['opts']>;

function toInput(f: SourceFlags): SourceInput {
  const auto = (v: string | undefined) => (v === undefined ? undefined : v.toLowerCase() === 'auto' ? null : v);
  return {
    file: f.file,
    format: f.format,
    kind: f.kind,
    match: f.match,
    map: f.map,
    priority: f.priority,
    delimiter: auto(f.delimiter),
    encoding: auto(f.encoding),
    dateFormat: f.dateFormat === undefined ? undefined : f.dateFormat.toLowerCase() === 'auto' ? null : f.dateFormat,
    graceDays: f.graceDays,
  };
}

export function sourceJson(s: SourceConfig) {
  return {
    name: s.name,
    kind: s.kind,
    format: s.format,
    file: s.file,
    match: s.match,
    map: s.map,
    priority: s.priority,
    delimiter: s.delimiter,
    encoding: s.encoding,
    dateFormat: s.dateFormat,
    graceDays: s.graceDays,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** A delimiter as people read it: comma, semicolon, tab, or the character quoted. */
function shownDelimiter(d: string | null): string {
  return t.delimiterWord({ name: d === null ? 'auto' : delimiterName(d) });
}

/** What a reader detected (delimiter, encoding), which is information, not a warning: the settings line shows it. */
const DETECTED = new Set(['readDelimiterDetected', 'readEncodingDetected']);

type SourceLabel = Parameters<typeof t.sourceLabel>[0]['name'];

/** A label of `sources show`, padded so that the values line up in either language. */
function label(name: SourceLabel): string {
  const all: SourceLabel[] = ['file', 'format', 'match', 'priority', 'grace days', 'dates', 'map', 'links', 'detected'];
  const width = Math.max(...all.map((n) => t.sourceLabel({ name: n }).length)) + 2;
  return `  ${t.sourceLabel({ name }).padEnd(width)}`;
}

function renderSource(rt: Runtime, s: SourceConfig): void {
  const { out } = rt;
  const map = Object.entries(s.map).map(([f, c]) => `${f}=${c}`);
  const auto = t.delimiterWord({ name: 'auto' });
  out.print(out.c.bold(s.name) + out.c.dim(` (${s.kind})`));
  out.print(`${label('file')}${s.file}`);
  out.print(
    `${label('format')}${s.format}${s.format === 'csv' ? t.sourceCsvFormat({ delimiter: shownDelimiter(s.delimiter), encoding: s.encoding ?? auto }) : ''}`,
  );
  out.print(`${label('match')}${s.match}`);
  out.print(`${label('priority')}${s.priority}`);
  out.print(`${label('grace days')}${s.graceDays}`);
  if (s.dateFormat) out.print(`${label('dates')}${s.dateFormat}`);
  out.print(`${label('map')}${map.length ? map.join(', ') : t.sourceMapNone()}`);
}

/** A settings change as `sources edit` says it ("priority from 5 to 50"), in the reader's words. */
function settingChangeText(change: string): string {
  const parsed = parseDetail(change);
  if (parsed?.kind !== 'settingChanged') return localDetail(change);
  const words = t.detailWords() as Record<string, string>;
  const value = (v: string) => words[v] ?? v;
  return t.settingChange({ setting: value(parsed.params.setting), from: value(parsed.params.from), to: value(parsed.params.to) });
}

export function registerSources(program: Parent, rt: Runtime): void {
  const sources = program.command('sources').description('register and manage the source exports');
  for (const declare of [sourcesAdd, sourcesList, sourcesShow, sourcesEdit, sourcesRemove, sourcesCheck]) declare(sources, rt);
}

function sourcesAdd(sources: Parent, rt: Runtime): void {
  withSourceOptions(sources, 'add <name>', 'register a source and its export file').action(
    act(rt, (name, flags) => {
      const { source, warnings } = addSource(rt.context(), name, toInput(flags));
      for (const w of warnings) rt.out.warn(w);
      rt.out.result(sourceJson(source), () => {
        rt.out.success(t.sourceAdded({ name: source.name }));
        renderSource(rt, source);
        rt.out.info(t.checkSource({ name: source.name }));
      });
    }),
  );
}

function sourcesList(sources: Parent, rt: Runtime): void {
  sources
    .command('list')
    .description('the registered sources')
    .action(
      act(rt, () => {
        const list = listSources(rt.context());
        rt.out.result(list.map(sourceJson), (l) => {
          if (l.length === 0) return rt.out.info(t.noSourcesYet());
          rt.out.print(
            rt.out.table(
              [
                { head: 'name', id: true },
                'kind',
                'format',
                { head: 'priority', align: 'right' },
                'match',
                { head: 'grace', weight: 0 },
                { head: 'file', flex: true, min: 20 },
              ],
              l.map((s) => [s.name, s.kind, s.format, s.priority, s.match, s.graceDays, s.file]),
            ),
          );
        });
      }),
    );
}

function sourcesShow(sources: Parent, rt: Runtime): void {
  sources
    .command('show <name>')
    .description('one source, its settings, and what it detects in the export now')
    .action(
      act(rt, async (name) => {
        const { source: s, linked, detected, problem } = await showSource(rt.context(), name);
        rt.out.result({ ...sourceJson(s), linkedRecords: linked, detected, detectProblem: problem }, () => {
          renderSource(rt, s);
          rt.out.print(`${label('links')}${linked}`);
          if (detected) {
            rt.out.print(
              label('detected') +
                t.sourceDetected({
                  delimiter: shownDelimiter(detected.delimiter),
                  encoding: detected.encoding,
                  bom: detected.bom,
                  columns: detected.columns.join(', '),
                }),
            );
          }
          if (problem) rt.out.print(`  ${rt.out.c.yellow('!')} ${problem}`);
        });
      }),
    );
}

function sourcesEdit(sources: Parent, rt: Runtime): void {
  withSourceOptions(sources, 'edit <name>', "change a source's settings").action(
    act(rt, (name, flags) => {
      const { source: s, changes, linked } = editSource(rt.context(), name, toInput(flags));
      rt.out.result({ ...sourceJson(s), changes, linkedRecords: linked }, () => {
        if (changes.length === 0) rt.out.info(t.sourceUnchanged({ name: s.name }));
        else rt.out.success(t.sourceChanged({ name: s.name, changes: changes.map(settingChangeText).join(', ') }));
        renderSource(rt, s);
        if (changes.length > 0 && linked > 0) rt.out.info(t.sourceEvaluatedAgain({ n: linked }));
      });
    }),
  );
}

function sourcesRemove(sources: Parent, rt: Runtime): void {
  sources
    .command('remove <name>')
    .description('remove a source (refused while accounts are linked to it, unless --force)')
    .option('--force', 'remove it even though accounts are linked: the links go, the accounts stay')
    .action(
      act(rt, (name, flags) => {
        const r = removeSource(rt.context(), name, !!flags.force);
        rt.out.result({ name, removed: true, unlinked: r.unlinked }, () => rt.out.success(t.sourceRemoved({ name, unlinked: r.unlinked })));
      }),
    );
}

function sourcesCheck(sources: Parent, rt: Runtime): void {
  sources
    .command('check [name]')
    .description('read the exports without syncing: records, relations, detected settings, problems')
    .action(
      act(rt, async (name) => {
        const reports = await checkSources(rt.context(), name);
        rt.out.result(name === undefined ? reports : reports[0], () => {
          for (const r of reports) {
            const { out } = rt;
            const ok = r.problems.length === 0;
            out.print(`${ok ? out.c.green('✔') : out.c.red('✘')} ${out.c.bold(r.source)}  ${r.path}`);
            const d = r.detected;
            const detected = (key: string) => r.warnings.some((w) => w.key === key);
            out.print(
              t.readCheckSettings({
                format: d.format,
                delimiter: d.delimiter ?? null,
                delimiterDetected: detected('readDelimiterDetected'),
                encoding: d.encoding ?? null,
                bom: d.bom === true,
                encodingDetected: detected('readEncodingDetected'),
              }),
            );
            out.print(t.checkCounts({ records: r.records, rows: r.rows, notOffered: r.notOffered }));
            const orgs = Object.entries(r.organisations).sort((a, b) => b[1] - a[1] || compareDutch(a[0], b[0]));
            if (orgs.length)
              out.print(
                out.table(
                  [
                    { head: 'organisation', keep: true },
                    { head: 'records', align: 'right' },
                  ],
                  orgs.slice(0, 25),
                ),
              );
            if (orgs.length > 25) out.print(out.c.dim(t.moreOrganisations({ n: orgs.length - 25 })));
            for (const w of r.warnings) if (!DETECTED.has(w.key)) out.print(`  ${out.c.yellow('!')} ${String(w)}`);
            for (const p of r.problems) out.print(`  ${out.c.red('✘')} ${p.file}${p.line ? `:${p.line}` : ''}: ${p.text()}`);
          }
        });
        // Problems make the check an INVALID_EXPORT (exit 3) after its report, as a sync of these exports
        // would be: the report stays on stdout, the error goes to stderr as every error does.
        const bad = reports.filter((r) => r.problems.length > 0);
        if (bad.length > 0) {
          const said = { n: bad.reduce((n, r) => n + r.problems.length, 0), sources: bad.map((r) => r.source).join(', ') };
          // English under --json, as the report's problems are (the same document in both languages).
          throw new BasishubError('INVALID_EXPORT', CATALOGUES.en.checkFoundProblems(said), {
            details: { sources: bad.map((r) => ({ source: r.source, path: r.path, problems: r.problems.length })) },
            said: (c) => ({ message: c.checkFoundProblems(said) }),
          });
        }
      }),
    );
}
