/**
 * The hub's entities (docs/rules.md, "Terms"), as the store returns them and the use cases and
 * engine pass them around.
 */
import type { RecordField, SourceFormat, SourceKind, Encoding } from './sources/types.js';
import type { Role } from './sources/record.js';

export type MatchField = 'email' | 'externalId' | 'none';
export const MATCH_FIELDS: readonly MatchField[] = ['email', 'externalId', 'none'];

export interface SourceConfig {
  name: string;
  kind: SourceKind;
  format: SourceFormat;
  file: string;
  match: MatchField;
  map: Partial<Record<RecordField, string>>;
  priority: number;
  delimiter: string | null;
  encoding: Encoding | null;
  dateFormat: string | null;
  graceDays: number;
  createdAt: string;
  updatedAt: string;
}

export type AccountStatus = 'active' | 'deleted';
export type Owner = 'source' | 'hub';

export interface Attributes {
  givenName: string;
  prefix: string;
  familyName: string;
  email: string;
  role: Role;
}

export interface Account extends Attributes {
  id: number;
  status: AccountStatus;
  owner: Owner;
  notOfferedSince: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedBy: string | null;
  deletedCause: string | null;
}

export interface Link {
  source: string;
  externalId: string;
  accountId: number;
  active: boolean;
  /** The packed record as last read (src/sources/record.ts). */
  record: string;
  fp: number | null;
  nextCheck: string | null;
  inactiveSince: string | null;
  createdAt: string;
}

export interface ExceptionEntry {
  accountId: number;
  reason: string;
  until: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  accountId: number | null;
  runId: number | null;
  source: string | null;
  externalId: string | null;
  detail: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

export function displayName(a: Pick<Attributes, 'givenName' | 'prefix' | 'familyName'>): string {
  let name = a.givenName;
  if (a.prefix !== '') name = name === '' ? a.prefix : `${name} ${a.prefix}`;
  if (a.familyName !== '') name = name === '' ? a.familyName : `${name} ${a.familyName}`;
  return name;
}
