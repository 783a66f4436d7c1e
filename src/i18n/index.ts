/**
 * The language people read (the command-line contract, `--lang`): Dutch or English, chosen per run.
 * Everything a person reads comes from one of two typed catalogues (en.ts, nl.ts); what scripts read
 * (command and option names, --json, error codes, exit codes, tab-separated headers) never does.
 *
 * `t` is the catalogue of the current run: main() sets the language before it builds the command tree,
 * so every text below it (help, errors, prompts, tables) is already in that language. One process runs
 * one command at a time (in-process tests run them one after another), so one current language is enough.
 */
import { en, type Catalogue } from './en.js';
import { nl } from './nl.js';
import { grouped } from './numbers.js';

export type Lang = 'nl' | 'en';
export const LANGS: readonly Lang[] = ['nl', 'en'];
export type { Catalogue };

/** Both catalogues; the Dutch one is made when first asked for (nl.ts). */
export const CATALOGUES: Record<Lang, Catalogue> = {
  en,
  get nl() {
    return nl();
  },
};

/**
 * The current catalogue: `t.someKey(params)`. An object whose prototype is the catalogue of the run, so that
 * choosing the language swaps one pointer instead of copying some 800 texts at every start.
 */
export const t: Catalogue = Object.create(en) as Catalogue;
let current: Lang = 'en';

export function setLanguage(lang: Lang): void {
  current = lang;
  Object.setPrototypeOf(t, CATALOGUES[lang]);
}

export function language(): Lang {
  return current;
}

/** `--lang nl|en`, else BASISHUB_LANG, else LC_ALL / LC_MESSAGES / LANG (the first one set) beginning with `nl`, else English. */
export function chooseLanguage(flag: string | undefined, env: NodeJS.ProcessEnv): { lang: Lang; invalid?: string } {
  if (flag !== undefined) return isLang(flag) ? { lang: flag } : { lang: fromEnv(env), invalid: flag };
  return { lang: fromEnv(env) };
}

function isLang(v: string): v is Lang {
  return (LANGS as readonly string[]).includes(v);
}

function fromEnv(env: NodeJS.ProcessEnv): Lang {
  const own = env.BASISHUB_LANG?.trim().toLowerCase();
  if (own) return own.startsWith('nl') ? 'nl' : 'en';
  // POSIX order: LC_ALL overrides LC_MESSAGES, which overrides LANG; the first one set decides.
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && /^nl([_.@-]|$)/i.test(locale) ? 'nl' : 'en';
}

/** The value of `--lang` in the arguments (`--lang nl`, `--lang=nl`), read before commander parses them. */
export function langArgument(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === '--lang') found = argv[i + 1] ?? '';
    else if (a.startsWith('--lang=')) found = a.slice('--lang='.length);
  }
  return found;
}

/** A number as the reader writes it: 1.000.000 in Dutch, 1,000,000 in English. */
export function num(n: number): string {
  return grouped(n, current === 'nl' ? 'nl-NL' : 'en-US');
}

/** A calendar day (YYYY-MM-DD) as the reader writes it: 30-11-2026 in Dutch; English keeps ISO. */
export function day(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(iso);
  if (m === null || current !== 'nl') return iso;
  return `${m[3]}-${m[2]}-${m[1]}${m[4]}`;
}

/** How table cells are written: in the reader's language on a terminal; piped, tab-separated output is for scripts and stays as in English, ISO dates included. */
export interface CellText {
  /** In the reader's language (a terminal), or as for scripts. */
  local: boolean;
  t: Catalogue;
  day: (iso: string | null | undefined) => string;
}

export function cellText(tty: boolean): CellText {
  return tty ? { local: true, t, day } : { local: false, t: en, day: (iso) => iso ?? '' };
}
