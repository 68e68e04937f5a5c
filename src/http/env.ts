// Hono context variables shared by middleware and routes, and what createApp is given.
import type { ServiceDeps } from '../services/deps.js';
import type { Authenticator, DraftStore, Principal, SessionStore } from '../services/ports.js';
import type { SessionPolicy } from '../services/sessions.js';

export interface AppDeps extends ServiceDeps {
  /** who a bearer token stands for */
  readonly authenticate: Authenticator;
  /** request bodies above this many bytes are refused with 413 (default 1 MiB) */
  readonly bodyLimitBytes?: number;
  /** where errors that are not the client's fault are written */
  readonly log?: (line: string) => void;
  /** one entry per request (Node writes each as a JSON line); never the token or the body */
  readonly accessLog?: (entry: AccessLogEntry) => void;
  /** requests one token may have in flight at once (default 64) */
  readonly maxConcurrentPerToken?: number;
  /** the web pages' sessions and drafts (same database as everything else, so D1 too) */
  readonly sessions: SessionStore;
  readonly drafts: DraftStore;
  /** session idle and absolute limits (default 30 min, 12 h) */
  readonly sessionPolicy?: SessionPolicy;
  /**
   * the origin people reach the pages at (e.g. https://jixiao.example.gov.cn behind a TLS proxy): form posts from any
   * other origin are refused, and the session cookie is __Host- and Secure when it is https. Default: the request's own.
   */
  readonly publicOrigin?: string;
}

export interface AccessLogEntry {
  readonly requestId: string;
  readonly method: string;
  /** the route pattern, e.g. /v1/evaluations/:id — not the concrete path */
  readonly route: string;
  readonly status: number;
  readonly ms: number;
  readonly role: string | null;
  readonly unit: string | null;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    principal: Principal;
    requestId: string;
    /** the signed-in person on page routes (never set from a bearer token) */
    sessionPrincipal: Principal | null;
  };
}
