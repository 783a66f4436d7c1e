/**
 * SCIM 2.0 (RFC 7643, RFC 7644): what a SCIM service gets for an account, and sending a publish plan.
 *
 * A User: `userName` = email, `externalId` = the hub's account id, `name` with the tussenvoegsel in
 * `familyName` ("de Vries": Entra ID maps familyName to surname, and a Dutch surname is shown and
 * addressed with its tussenvoegsel; `middleName` means further given names in SCIM and Entra ID does not
 * map it, so a tussenvoegsel there would be lost), `name.formatted` and `displayName` as the hub shows
 * the name, one work email, `userType` Employee or Student, and `active`.
 *
 * Every create looks the account up by `externalId` first (R16): a create whose answer was lost, or a
 * publish killed before it recorded the answer, finds the account there and never makes a second one.
 */
import { displayName } from '../model.js';
import { detailOf, HttpFailure, type HttpClient } from './http.js';
import type { PlannedAction } from './plan.js';
import { hashOf } from './plan.js';
import { emptyCounts, COUNT_OF, type AckedState, type HubAccount, type PublishCounts } from './types.js';
import { detail } from '../engine/describe.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The attributes of a SCIM User that the hub manages (all but `active` and `schemas`). */
export function scimAttributes(a: HubAccount): Record<string, unknown> {
  const family = a.prefix === '' ? a.familyName : a.familyName === '' ? a.prefix : `${a.prefix} ${a.familyName}`;
  const shown = displayName(a);
  const out: Record<string, unknown> = {
    userName: a.email !== '' ? a.email : `hub-${a.id}`,
    externalId: String(a.id),
    name: { formatted: shown, givenName: a.givenName, familyName: family },
    displayName: shown,
    emails: a.email !== '' ? [{ value: a.email, type: 'work', primary: true }] : [],
  };
  if (a.role !== '') out.userType = a.role === 'staff' ? 'Employee' : 'Student';
  return out;
}

/** What the hash of a SCIM account covers. */
export function describeScim(a: HubAccount): string {
  return JSON.stringify(scimAttributes(a));
}

/**
 * The operations of a PATCH that gives a resource these values. An empty multi-valued attribute (a pupil
 * without an email address has `emails: []`) is a `remove` of that attribute, not a `replace` with an empty
 * list: services refuse the latter (scimmy answers 400 invalidValue), and then an account without an
 * address could never be updated or deactivated there (R15).
 */
export function patchOperations(value: Record<string, unknown>): Record<string, unknown>[] {
  const emptied = Object.keys(value).filter((k) => Array.isArray(value[k]) && (value[k] as unknown[]).length === 0);
  if (emptied.length === 0) return [{ op: 'replace', value }];
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !emptied.includes(k)));
  return [...emptied.map((path) => ({ op: 'remove', path })), { op: 'replace', value: rest }];
}

/** A SCIM filter string value: quotes and backslashes escaped (RFC 7644 §3.4.2.2). */
export function filterValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface Failure {
  userId: number | null;
  message: string;
}

export interface SendResult {
  counts: PublishCounts;
  failures: Failure[];
}

interface Resource {
  id?: unknown;
}

function idOf(body: unknown, what: string): string {
  const id = (body as Resource | null)?.id;
  if (typeof id !== 'string' || id === '') throw new HttpFailure(0, `the service answered without an id for ${what}`);
  return id;
}

function failed(res: { status: number; body: unknown }, what: string): HttpFailure {
  return new HttpFailure(res.status, `${what}: ${res.status} ${detailOf(res.body)}`.trim());
}

export class ScimService {
  constructor(readonly http: HttpClient) {}

  /** The service's id of the resource with this externalId, or null. */
  async find(endpoint: 'Users' | 'Groups', externalId: string): Promise<string | null> {
    const res = await this.http.request('GET', `${endpoint}?filter=${encodeURIComponent(`externalId eq ${filterValue(externalId)}`)}`);
    if (res.status !== 200) throw failed(res, `looking up externalId ${externalId}`);
    const list = (res.body as { Resources?: Resource[] } | null)?.Resources ?? [];
    if (list.length > 1)
      throw new HttpFailure(409, `the service holds ${list.length} ${endpoint.toLowerCase()} with externalId ${externalId}; remove the duplicates there`);
    return list.length === 1 ? idOf(list[0], `externalId ${externalId}`) : null;
  }

  /** Replaces the hub's attributes of an existing resource; false when it is gone (404). */
  async patch(endpoint: 'Users' | 'Groups', id: string, value: Record<string, unknown>): Promise<boolean> {
    const res = await this.http.request('PATCH', `${endpoint}/${encodeURIComponent(id)}`, { schemas: [PATCH_SCHEMA], Operations: patchOperations(value) });
    if (res.status === 404) return false;
    if (res.status !== 200 && res.status !== 204) throw failed(res, `updating ${endpoint} ${id}`);
    return true;
  }

  async create(endpoint: 'Users' | 'Groups', value: Record<string, unknown>): Promise<string> {
    const schema = endpoint === 'Users' ? USER_SCHEMA : GROUP_SCHEMA;
    const res = await this.http.request('POST', endpoint, { schemas: [schema], ...value });
    if (res.status !== 201 && res.status !== 200) throw failed(res, `creating ${endpoint === 'Users' ? 'user' : 'group'} ${String(value.externalId)}`);
    return idOf(res.body, String(value.externalId));
  }

  /**
   * Makes sure the resource exists with these values. Before every create, and again before every retry
   * of one, it is looked up by externalId (R16): a create whose answer was lost is found, not repeated.
   */
  async ensure(endpoint: 'Users' | 'Groups', known: string | null, value: Record<string, unknown>): Promise<string> {
    if (known !== null && (await this.patch(endpoint, known, value))) return known;
    const externalId = String(value.externalId);
    for (let attempt = 1; ; attempt++) {
      const found = await this.find(endpoint, externalId);
      if (found !== null && (await this.patch(endpoint, found, value))) return found;
      try {
        return await this.create(endpoint, value);
      } catch (err) {
        const retry = err instanceof HttpFailure && (err.status === 0 || err.status >= 500 || err.status === 409);
        if (!retry || attempt >= this.http.attempts) throw err;
        await this.http.pause(attempt);
      }
    }
  }

  async remove(endpoint: 'Users' | 'Groups', id: string): Promise<void> {
    const res = await this.http.request('DELETE', `${endpoint}/${encodeURIComponent(id)}`);
    if (res.status !== 204 && res.status !== 200 && res.status !== 404) throw failed(res, `deleting ${endpoint} ${id}`);
  }
}

/** After this many requests in a row that got no answer at all, the rest is not sent (the next publish retries). */
const GIVE_UP_AFTER = 10;

/**
 * Sends a plan's actions with at most `concurrency` in flight. Deletes go first (an id handed out again
 * after a purge is deleted before the new account is created). Each acknowledgement is handed to `ack`
 * as it comes; the caller stores them in batches.
 */
export async function sendPlan(
  service: ScimService,
  actions: PlannedAction[],
  opts: {
    concurrency: number;
    now: () => string;
    ack: (state: AckedState | null, gone: number | null) => void;
    flush: () => void;
    onDone?: (n: number) => void;
  },
): Promise<SendResult> {
  const counts = emptyCounts();
  const failures: Failure[] = [];
  let silent = 0;
  let done = 0;
  let abort: string | null = null;
  const one = async (p: PlannedAction): Promise<void> => {
    if (abort !== null) {
      counts.failed++;
      failures.push({ userId: p.accountId, message: detail('publishNotSent', { why: abort }) });
      return;
    }
    try {
      if (p.action === 'delete') {
        if (p.acked?.remoteId) await service.remove('Users', p.acked.remoteId);
        opts.ack(null, p.accountId);
      } else {
        const a = p.account!;
        const id = await service.ensure('Users', p.acked?.remoteId ?? null, { ...scimAttributes(a), active: a.active });
        opts.ack({ accountId: a.id, accountCreated: a.createdAt, remoteId: id, hash: p.hash, active: a.active, ackedAt: opts.now() }, null);
      }
      counts[COUNT_OF[p.action]]++;
      silent = 0;
    } catch (err) {
      counts.failed++;
      const message = (err as Error).message;
      failures.push({ userId: p.accountId, message });
      if (!(err instanceof HttpFailure) || err.status === 0) {
        if (++silent >= GIVE_UP_AFTER) abort = detail('publishSilent', { why: message });
      }
    }
    opts.onDone?.(++done);
  };
  const deletes = actions.filter((p) => p.action === 'delete');
  const rest = actions.filter((p) => p.action !== 'delete');
  await pool(deletes, opts.concurrency, one);
  opts.flush();
  await pool(rest, opts.concurrency, one);
  opts.flush();
  return { counts, failures };
}

/** Runs `fn` over `items` with at most `n` at a time. */
export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

// ---- schools and classes as SCIM Groups (--groups) ---------------------------------------------------------

export interface DesiredGroup {
  key: string;
  displayName: string;
  members: number[];
}

/** The groups of the active accounts: one per school, one per class in a school. */
export class GroupCollector {
  private readonly groups = new Map<string, DesiredGroup>();

  add(a: HubAccount): void {
    if (!a.active) return;
    for (const r of a.relations) {
      if (r.organisation !== '') this.member(`org:${r.organisation}`, r.organisation, a.id);
      if (r.group !== '') this.member(`class:${r.organisation}/${r.group}`, r.organisation === '' ? r.group : `${r.group} (${r.organisation})`, a.id);
    }
  }

  private member(key: string, name: string, id: number): void {
    let g = this.groups.get(key);
    if (g === undefined) this.groups.set(key, (g = { key, displayName: name, members: [] }));
    if (g.members[g.members.length - 1] !== id) g.members.push(id);
  }

  all(): DesiredGroup[] {
    return [...this.groups.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  }
}

export interface GroupCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

interface GroupChange {
  key: string;
  kind: 'created' | 'updated' | 'deleted';
  remoteId: string | null;
  displayName: string;
  members: string[];
  hash: string;
}

/** What differs between the groups wanted and those the service acknowledged, by their members' ids there. */
export function groupChanges(
  desired: DesiredGroup[],
  acked: Map<string, { remoteId: string; hash: string }>,
  remoteIds: Map<number, string>,
): { changes: GroupChange[]; unchanged: number } {
  const changes: GroupChange[] = [];
  let unchanged = 0;
  const wanted = new Set(desired.map((g) => g.key));
  for (const g of desired) {
    const members = g.members
      .map((id) => remoteIds.get(id))
      .filter((x): x is string => x !== undefined)
      .sort();
    const hash = hashOf(JSON.stringify([g.displayName, members]));
    const before = acked.get(g.key);
    if (before?.hash === hash) unchanged++;
    else
      changes.push({
        key: g.key,
        kind: before === undefined ? 'created' : 'updated',
        remoteId: before?.remoteId ?? null,
        displayName: g.displayName,
        members,
        hash,
      });
  }
  for (const [key, g] of acked) if (!wanted.has(key)) changes.push({ key, kind: 'deleted', remoteId: g.remoteId, displayName: '', members: [], hash: '' });
  return { changes, unchanged };
}

export function countGroups(plan: { changes: GroupChange[]; unchanged: number }): GroupCounts {
  const counts: GroupCounts = { created: 0, updated: 0, deleted: 0, unchanged: plan.unchanged, failed: 0 };
  for (const c of plan.changes) counts[c.kind]++;
  return counts;
}

/** Publishes the groups after the users, with the members the service acknowledged. */
export async function sendGroups(
  service: ScimService,
  plan: { changes: GroupChange[]; unchanged: number },
  opts: { concurrency: number; ack: (key: string, remoteId: string, hash: string) => void; forget: (key: string) => void },
): Promise<{ counts: GroupCounts; failures: Failure[] }> {
  const counts: GroupCounts = { created: 0, updated: 0, deleted: 0, unchanged: plan.unchanged, failed: 0 };
  const failures: Failure[] = [];
  await pool(plan.changes, opts.concurrency, async (c) => {
    try {
      if (c.kind === 'deleted') {
        await service.remove('Groups', c.remoteId!);
        opts.forget(c.key);
      } else {
        const value = { displayName: c.displayName, externalId: `basishub:${c.key}`, members: c.members.map((value) => ({ value })) };
        opts.ack(c.key, await service.ensure('Groups', c.remoteId, value), c.hash);
      }
      counts[c.kind]++;
    } catch (err) {
      counts.failed++;
      failures.push({ userId: null, message: detail('publishGroupFailed', { key: c.key, why: (err as Error).message }) });
    }
  });
  return { counts, failures };
}
