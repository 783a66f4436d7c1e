/**
 * What every use case receives: the open hub, who acts, what time it is, and how to talk to the
 * person (if there is one). Use cases never write to the terminal themselves.
 */
import os from 'node:os';
import { usageError } from '../errors.js';
import { createDatabase, openDatabase } from '../store/db.js';
import { Store } from '../store/store.js';
import { dutchDay } from '../dutch.js';

export interface Clock {
  /** ISO timestamp. */
  now(): string;
  /** YYYY-MM-DD in the foundation's time zone (Europe/Amsterdam). */
  today(): string;
}

/**
 * The clock. BASISHUB_NOW (an ISO timestamp) pins it, for tests and for replaying a night; the
 * calendar day is the Dutch one, so a sync at 00:30 belongs to the new day.
 */
export function systemClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const pinned = env.BASISHUB_NOW ? parsePinnedNow(env.BASISHUB_NOW) : null;
  const date = () => pinned ?? new Date();
  return {
    now: () => date().toISOString(),
    today: () => dutchDay(date()),
  };
}

export { dutchDay };

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** BASISHUB_NOW as an ISO timestamp (a date alone means its midnight UTC); anything else is a usage error. */
export function parsePinnedNow(value: string): Date {
  const text = value.trim();
  const m = ISO_TIMESTAMP.exec(text);
  const [y, mo, d, h, mi, s] = (m ?? []).slice(1).map((x) => Number(x ?? 0));
  const dayExists = m !== null && mo >= 1 && mo <= 12 && d >= 1 && new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
  const date = dayExists && h <= 23 && mi <= 59 && s <= 59 ? new Date(text) : null;
  if (date === null || Number.isNaN(date.getTime())) {
    throw usageError(`BASISHUB_NOW is not an ISO timestamp: "${value}".`, 'Set it as 2026-11-24T02:00:00Z (or 2026-11-24), or unset it to use the clock.');
  }
  return date;
}

/** Asks the person at the terminal; absent when nobody can answer (no TTY, --no-input, --json). */
export interface Prompter {
  confirm(message: string, defaultValue?: boolean): Promise<boolean>;
  input(message: string, opts?: { default?: string; validate?: (value: string) => true | string }): Promise<string>;
  /** Lets the person search for and pick one of the choices that `search(term)` returns. */
  search<T>(message: string, search: (term: string) => Promise<{ name: string; value: T; description?: string; disabled?: string }[]>): Promise<T>;
}

export interface AppContext {
  store: Store;
  dbPath: string;
  actor: string;
  clock: Clock;
  /** Absent without a TTY, with --no-input or --json. */
  prompt?: Prompter;
  /** --yes: every confirmation is answered yes. */
  yes: boolean;
  /** Progress and warnings for people (stderr); a no-op under --json. */
  notify: Notifier;
}

export interface Notifier {
  warn(message: string): void;
  info(message: string): void;
  progress(phase: string, done?: number): void;
  progressDone(): void;
}

export const silentNotifier: Notifier = {
  warn: () => {},
  info: () => {},
  progress: () => {},
  progressDone: () => {},
};

export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BASISHUB_ACTOR) return env.BASISHUB_ACTOR;
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? 'unknown';
  }
}

export function openStore(dbPath: string): Store {
  return new Store(openDatabase(dbPath));
}

/** `init`: creates the hub at `dbPath` (owner-only), or leaves an existing hub as it is; refuses any other file. */
export function createHub(dbPath: string): { created: boolean } {
  return createDatabase(dbPath);
}

/** An error met while using the hub at `dbPath` as the contract names it (STORAGE, HUB_DAMAGED), if it is one. */
export { hubFailure } from '../store/failures.js';
