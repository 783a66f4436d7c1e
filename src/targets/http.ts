/**
 * A careful HTTP client for SCIM services: HTTPS only (plain HTTP only to a loopback address, for
 * tests), a time-out per request, 429 honoured with its Retry-After, 5xx and dropped connections retried
 * with exponential backoff, redirects followed only within the same origin (the bearer token never goes
 * to another host), and a bounded number of requests in flight (keep-alive agent).
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';

export interface HttpOptions {
  token: string;
  /** Milliseconds before a request is given up (and retried). */
  timeoutMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Attempts per request, the first included. */
  attempts?: number;
  /** The first backoff after a 5xx or a dropped connection; doubled each time, with jitter. */
  backoffMs?: number;
  /** The longest Retry-After honoured; longer waits fail the request (the next publish retries it). */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpResponse {
  status: number;
  body: unknown;
}

/** A request that failed for good: the status (0 for no answer) and what the service said. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain HTTP is allowed to. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Checks a SCIM base URL; returns a message when it cannot be used, else null. */
export function urlProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `"${raw}" is not a URL`;
  }
  if (u.username || u.password) return 'the URL must not hold a user name or password; give the token with --token-env';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return null;
  if (u.protocol === 'http:')
    return `plain http is only allowed to a loopback address (127.0.0.1, ::1, localhost), not to ${u.hostname}: the token and personal data would travel unencrypted`;
  return `the URL must start with https:// (not ${u.protocol})`;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After: seconds, or an HTTP date. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export class HttpClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly opts: Required<HttpOptions>;
  /** Requests sent (every attempt), for the bench and the summary. */
  requests = 0;

  constructor(baseUrl: string, opts: HttpOptions) {
    const problem = urlProblem(baseUrl);
    if (problem !== null) throw new HttpFailure(0, problem);
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : baseUrl + '/');
    this.opts = { attempts: 5, backoffMs: 250, maxRetryAfterMs: 120_000, sleep: defaultSleep, ...opts };
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  }

  close(): void {
    this.agent.destroy();
  }

  get attempts(): number {
    return this.opts.attempts;
  }

  /** Waits before attempt `attempt + 1` of something the caller retries itself. */
  pause(attempt: number): Promise<void> {
    return this.opts.sleep(this.backoff(attempt));
  }

  /**
   * `path` is relative to the base URL (`Users`, `Users/abc`, `Users?filter=…`). A POST is not repeated
   * here after a 5xx or a lost connection (the service may have done it): it fails at once, and the
   * caller looks the resource up before it tries again. A 429 is repeated for any method: the service
   * refused it without doing it.
   */
  async request(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    let url = new URL(path, this.base);
    let lastError = '';
    const safe = method !== 'POST';
    for (let attempt = 1; attempt <= this.opts.attempts; attempt++) {
      let r: RawResponse;
      try {
        r = await this.once(method, url, body);
      } catch (err) {
        lastError = (err as Error).message;
        if (!safe) throw new HttpFailure(0, `${method} ${url.pathname}: ${lastError}`);
        if (attempt < this.opts.attempts) await this.opts.sleep(this.backoff(attempt));
        continue;
      }
      if (r.status >= 300 && r.status < 400 && r.location !== undefined) {
        const next = new URL(r.location, url);
        if (next.origin !== this.base.origin) {
          throw new HttpFailure(
            r.status,
            `${method} ${url.pathname}: redirected to another host (${next.origin}); not followed, so the token stays with ${this.base.origin}`,
          );
        }
        url = next;
        continue;
      }
      if (r.status === 429) {
        const wait = retryAfterMs(r.headers['retry-after']) ?? this.backoff(attempt);
        lastError = `429 Too Many Requests${r.headers['retry-after'] ? ` (Retry-After ${r.headers['retry-after']})` : ''}`;
        if (wait > this.opts.maxRetryAfterMs) break;
        if (attempt < this.opts.attempts) await this.opts.sleep(wait);
        continue;
      }
      if (r.status >= 500) {
        lastError = `${r.status} ${detailOf(r.body)}`;
        if (!safe) throw new HttpFailure(r.status, `${method} ${url.pathname}: ${lastError}`);
        if (attempt < this.opts.attempts) await this.opts.sleep(this.backoff(attempt));
        continue;
      }
      return { status: r.status, body: r.body };
    }
    throw new HttpFailure(0, `${method} ${url.pathname}: ${lastError} (gave up after ${this.opts.attempts} attempts)`);
  }

  private backoff(attempt: number): number {
    const base = this.opts.backoffMs * 2 ** (attempt - 1);
    return Math.min(30_000, base / 2 + Math.random() * base);
  }

  private once(method: string, url: URL, body: unknown): Promise<RawResponse> {
    this.requests++;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<RawResponse>((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            accept: 'application/scim+json, application/json',
            authorization: `Bearer ${this.opts.token}`,
            ...(payload ? { 'content-type': 'application/scim+json', 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text === '' ? null : JSON.parse(text);
            } catch {
              // Not JSON: keep the text for the message.
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, location: res.headers.location, body: parsed });
          });
        },
      );
      req.setTimeout(this.opts.timeoutMs, () => req.destroy(new Error(`no answer within ${Math.round(this.opts.timeoutMs / 1000)} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  location?: string;
  body: unknown;
}

/** The message of a SCIM error response (RFC 7644 §3.12), or the text. */
export function detailOf(body: unknown): string {
  if (body !== null && typeof body === 'object') {
    const b = body as { detail?: unknown; scimType?: unknown };
    if (typeof b.detail === 'string') return b.detail + (typeof b.scimType === 'string' ? ` (${b.scimType})` : '');
  }
  return typeof body === 'string' ? body.slice(0, 200) : '';
}
