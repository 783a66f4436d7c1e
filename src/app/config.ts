/**
 * The hub's settings (`basishub config`): values that hold for every run, so that a cron line stays
 * short. Kept in the hub's meta table under `config.<name>`; every change is audited.
 */
import { t } from '../i18n/index.js';
import path from 'node:path';
import { BasishubError, usageError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { AppContext } from './context.js';
import { recordChange } from './trail.js';

interface SettingSpec {
  description: string;
  /** The value to store, or a usage error. */
  parse(value: string): string;
}

export const SETTINGS: Record<string, SettingSpec> = {
  'backup-dir': {
    description: 'folder for the copy of the hub that every `sync run` makes before it writes',
    parse: (v) => {
      if (v.trim() === '') throw usageError(t.backupDirNeeded());
      return path.resolve(v);
    },
  },
  'backup-keep': {
    description: 'how many of those copies to keep (the oldest beyond it are removed); default 7',
    parse: (v) => {
      if (!/^\d+$/.test(v.trim()) || Number(v) < 1) throw usageError(t.backupKeepNumber());
      return String(Number(v));
    },
  },
};

function spec(name: string): SettingSpec {
  const s = SETTINGS[name];
  if (s === undefined) {
    throw new BasishubError('NOT_FOUND', t.noSetting({ name }), { hint: t.theSettingsAre({ names: Object.keys(SETTINGS).join(', ') }) });
  }
  return s;
}

export function setting(store: Store, name: string): string | undefined {
  return store.meta(`config.${name}`);
}

export interface SettingView {
  name: string;
  value: string | null;
  description: string;
}

export function listSettings(ctx: AppContext): SettingView[] {
  return Object.entries(SETTINGS).map(([name, s]) => ({ name, value: setting(ctx.store, name) ?? null, description: s.description }));
}

export function setSetting(ctx: AppContext, name: string, value: string | null): SettingView {
  const s = spec(name);
  const stored = value === null ? null : s.parse(value);
  const before = setting(ctx.store, name) ?? null;
  ctx.store.transaction(() => {
    if (stored === null) ctx.store.deleteMeta(`config.${name}`);
    else ctx.store.setMeta(`config.${name}`, stored);
    recordChange(ctx, {
      action: 'config.set',
      detail: stored === null ? `setting ${name} removed` : `setting ${name} = ${stored}`,
      before: { [name]: before },
      after: { [name]: stored },
    });
  });
  return { name, value: stored, description: s.description };
}
