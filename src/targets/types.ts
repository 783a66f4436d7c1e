/**
 * Target systems (../README.md, "Target systems"): where the hub's accounts go out to. A target follows
 * the hub (R15), remembers per account what it acknowledged (R16), and is published to safely (R17).
 */
import type { SharedIds } from './shared-ids.js';
import type { Role } from '../sources/record.js';

export const TARGET_KINDS = ['scim', 'sds-v2.1', 'oneroster-1.1', 'csv'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface TargetSettings {
  /** SCIM: the service's base URL (…/scim/v2); https, or http on a loopback address. */
  url?: string;
  /** SCIM: the environment variable that holds the bearer token at run time (the token is never stored). */
  tokenEnv?: string;
  /** SCIM: also publish schools and classes as SCIM Groups. */
  groups?: boolean;
  /** SCIM: requests in flight at once (default 4). */
  concurrency?: number;
  /** SCIM: seconds before a request is given up (default 30). */
  timeout?: number;
  /** Files: a folder, or a .zip file (OneRoster). */
  output?: string;
}

export interface TargetConfig {
  name: string;
  kind: TargetKind;
  settings: TargetSettings;
  createdAt: string;
  updatedAt: string;
}

export interface HubRelation {
  organisation: string;
  group: string;
  startDate: string | null;
  endDate: string | null;
}

/** One account as the targets see it: the hub now (R15). */
export interface HubAccount {
  id: number;
  /** Tells an account from a later one that SQLite gave the same id after a purge. */
  createdAt: string;
  givenName: string;
  prefix: string;
  familyName: string;
  email: string;
  role: Role;
  active: boolean;
  /** The current relations of its active links; else the last known ones (a protected account). Shared between accounts: never changed. */
  relations: readonly HubRelation[];
  /** relationsText(relations), when the store worked it out already (once for every account with the same). */
  relationsText?: string;
}

/** What a target acknowledged for one account (R16). */
export interface AckedState {
  accountId: number;
  accountCreated: string;
  remoteId: string | null;
  hash: string;
  /** The hash as the number it is written from (hashOf), where the store has it so: compared without parsing. */
  hashValue?: number;
  active: boolean;
  ackedAt: string;
}

export const PUBLISH_ACTIONS = ['create', 'update', 'deactivate', 'reactivate', 'delete'] as const;
export type PublishAction = (typeof PUBLISH_ACTIONS)[number];

/** The counts of a publish, as its JSON prints them (README, "Contract notes"). */
export interface PublishCounts {
  created: number;
  updated: number;
  deactivated: number;
  reactivated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

export function emptyCounts(): PublishCounts {
  return { created: 0, updated: 0, deactivated: 0, reactivated: 0, deleted: 0, unchanged: 0, failed: 0 };
}

export const COUNT_OF: Record<PublishAction, keyof PublishCounts> = {
  create: 'created',
  update: 'updated',
  deactivate: 'deactivated',
  reactivate: 'reactivated',
  delete: 'deleted',
};

/** Writes a file target's accounts as they are handed over (in id order), then what depends on all of them. */
export interface AccountWriter {
  add(a: HubAccount): void;
  /** What the rows so far name besides the accounts (schools, classes): a writer of a later range of accounts hands it to the first. */
  catalog(): WriterCatalog;
  /** Takes in another writer's catalog (of accounts it wrote to a part set: src/targets/output.ts), before finish(). */
  absorb(c: WriterCatalog): void;
  /** Does ahead what finish() would do first with what was written so far (sorting the schools and classes). */
  sort(): void;
  /** Lists only the classes it adds to `ids` first (another thread's writer lists the rest); null: all again (src/targets/shared-ids.ts). */
  share(ids: SharedIds | null): void;
  finish(): void;
}

/**
 * The schools and classes that a roster writer met, as what crosses between threads fastest: per school
 * its sourcedId and name, in a flat list; per class its sourcedId, its school's and its title, all in one
 * text joined by the unit separator (U+001F, which no name holds: the hub packs records with it). Some
 * 130,000 classes at a million people cross as one text in a few milliseconds, as 390,000 in some 60.
 */
export interface WriterCatalog {
  orgs: string[];
  classes: string;
}
