/**
 * A real SCIM 2.0 service for the tests and the bench: scimmy (a conforming implementation of RFC 7643/7644) behind
 * node:http on 127.0.0.1, with an in-memory store of Users and Groups. In front of it, optionally, a thin
 * proxy that injects faults (429 with Retry-After, 5xx, dropped connections, redirects) and logs every
 * request, so the client's retries can be watched without mocking anything.
 */
// scimmy types its resource handlers and their data as `any`: this test service works on them as they come.
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SCIMMY from 'scimmy';

type Rec = Record<string, any>;

export interface Logged {
  method: string;
  path: string;
  authorization: string | undefined;
  status: number;
}

/** The service's data; one store per process (scimmy's handlers are static). */
export const store = { users: new Map<string, Rec>(), groups: new Map<string, Rec>() };
/** externalId -> id, per endpoint: a lookup by externalId need not scan (the bench publishes thousands). */
const byExternalId = { users: new Map<string, string>(), groups: new Map<string, string>() };

/** Empties the service. */
export function clearStore(): void {
  for (const m of [store.users, store.groups, byExternalId.users, byExternalId.groups]) m.clear();
}

function plain(v: unknown): Rec {
  return JSON.parse(JSON.stringify(v)) as Rec;
}

let declared = false;
function declare(): void {
  if (declared) return;
  declared = true;
  for (const [Resource, map, index, unique] of [
    [SCIMMY.Resources.User, store.users, byExternalId.users, 'userName'],
    [SCIMMY.Resources.Group, store.groups, byExternalId.groups, 'displayName'],
  ] as const) {
    const R = Resource as any;
    SCIMMY.Resources.declare(R);
    R.egress((resource: any, ctx: { filter?: string } | undefined) => {
      if (resource.id) {
        const found = map.get(resource.id);
        if (found === undefined) throw new SCIMMY.Types.Error(404, null as any, `Resource ${resource.id} not found`);
        return found;
      }
      const exact = /^externalId eq "([^"\\]*)"$/.exec(ctx?.filter ?? '');
      if (exact !== null) {
        // The same answer scimmy's filter gives, found through the index.
        const id = index.get(exact[1]);
        return id === undefined ? [] : resource.filter.match([map.get(id)!]);
      }
      const all = [...map.values()];
      return resource.filter ? resource.filter.match(all) : all;
    });
    R.ingress((resource: any, instance: unknown) => {
      const data = plain(instance);
      if (unique === 'userName' && map.size < 50_000) {
        for (const [id, u] of map) {
          if (id !== resource.id && String(u.userName).toLowerCase() === String(data.userName).toLowerCase()) {
            throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${data.userName} is taken`);
          }
        }
      }
      const now = new Date().toISOString();
      if (resource.id) {
        const before = map.get(resource.id);
        if (before === undefined) throw new SCIMMY.Types.Error(404, null as any, `Resource ${resource.id} not found`);
        const after: Rec = { ...data, id: resource.id, meta: { ...before.meta, lastModified: now } };
        map.set(resource.id, after);
        if (before.externalId !== undefined) index.delete(before.externalId);
        if (after.externalId !== undefined) index.set(after.externalId, resource.id);
        return after;
      }
      const id = randomUUID();
      const created: Rec = { ...data, id, meta: { created: now, lastModified: now } };
      map.set(id, created);
      if (created.externalId !== undefined) index.set(created.externalId, id);
      return created;
    });
    R.degress((resource: any) => {
      const before = map.get(resource.id);
      if (before === undefined || !map.delete(resource.id)) throw new SCIMMY.Types.Error(404, null as any, `Resource ${resource.id} not found`);
      if (before.externalId !== undefined) index.delete(before.externalId);
    });
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
  res.end(text);
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const m = /^\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/.exec(url.pathname);
  if (req.headers.authorization !== `Bearer ${token}`)
    return send(res, 401, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401', detail: 'bad token' });
  if (m === null) return send(res, 404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'no such endpoint' });
  const R = (m[1] === 'Users' ? SCIMMY.Resources.User : SCIMMY.Resources.Group) as any;
  const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
  try {
    const body = await readBody(req);
    const query: Rec = {};
    for (const [k, v] of url.searchParams) query[k] = k === 'startIndex' || k === 'count' ? Number(v) : v;
    switch (req.method) {
      case 'GET':
        return send(res, 200, await (id ? new R(id, query) : new R(query)).read({ filter: query.filter }));
      case 'POST':
        return send(res, 201, await new R(query).write(body));
      case 'PUT':
        return send(res, 200, await new R(id, query).write(body));
      case 'PATCH': {
        const out = await new R(id, query).patch(body);
        return out === undefined ? send(res, 204, undefined) : send(res, 200, out);
      }
      case 'DELETE':
        await new R(id).dispose();
        return send(res, 204, undefined);
      default:
        return send(res, 405, undefined);
    }
  } catch (ex) {
    const e = new SCIMMY.Messages.Error(ex as any) as any;
    send(res, Number(e.status), plain(e));
  }
}

export interface Server {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closer(server: http.Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** Starts the SCIM service; its base URL is `<url>` (…/scim/v2). */
export async function startScimServer(token: string): Promise<Server> {
  declare();
  SCIMMY.Resources.User.basepath('/scim/v2');
  SCIMMY.Resources.Group.basepath('/scim/v2');
  const server = http.createServer((req, res) => void handle(req, res, token));
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/scim/v2`, port, close: closer(server) };
}

/** What the proxy does with the n-th request (1-based): pass it on (undefined), answer it, or drop it. */
export type Fault = (req: {
  method: string;
  path: string;
  n: number;
}) => { status: number; headers?: Record<string, string>; body?: unknown } | 'drop' | 'lose' | 'hang' | undefined;

export interface Proxy extends Server {
  log: Logged[];
  fault: Fault;
  /** Called after each request is answered (to kill a publish midway). */
  onRequest: (n: number) => void;
  /** Milliseconds each answer is held back. */
  delayMs: number;
  /** While set, every request waits for it before it is passed on (to hold a publish midway). */
  gate: Promise<unknown> | undefined;
}

/** A proxy in front of the service that injects faults and logs requests (with their Authorization header). */
export async function startProxy(upstreamPort: number): Promise<Proxy> {
  let n = 0;
  const p = {
    log: [] as Logged[],
    fault: (() => undefined) as Fault,
    onRequest: (_n: number) => {},
    delayMs: 0,
    gate: undefined as Promise<unknown> | undefined,
  };
  const server = http.createServer(
    (req, res) =>
      void (async () => {
        const k = ++n;
        const entry: Logged = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, status: 0 };
        p.log.push(entry);
        const f = p.fault({ method: entry.method, path: entry.path, n: k });
        if (p.delayMs > 0) await new Promise((r) => setTimeout(r, p.delayMs));
        if (p.gate !== undefined) await p.gate;
        if (f === 'hang') {
          // Answers nothing for 1.5 s, then closes: a service that does not answer in time.
          entry.status = -2;
          setTimeout(() => req.socket.destroy(), 1500);
          return;
        }
        if (f === 'drop') {
          entry.status = -1;
          req.socket.destroy();
          p.onRequest(k);
          return;
        }
        if (f !== undefined && f !== 'lose') {
          entry.status = f.status;
          for await (const _ of req);
          send(res, f.status, f.body ?? { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(f.status), detail: 'injected' }, f.headers);
          p.onRequest(k);
          return;
        }
        const up = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers }, (ur) => {
          entry.status = ur.statusCode ?? 0;
          if (f === 'lose') {
            // The service did it; its answer is lost on the way back.
            ur.resume();
            ur.on('end', () => {
              req.socket.destroy();
              p.onRequest(k);
            });
            return;
          }
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
          ur.on('end', () => p.onRequest(k));
        });
        up.on('error', () => {
          res.destroy();
        });
        req.pipe(up);
      })(),
  );
  const port = await listen(server);
  return Object.assign(p, { url: `http://127.0.0.1:${port}/scim/v2`, port, close: closer(server) });
}
