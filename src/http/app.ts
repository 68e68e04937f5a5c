// createApp(deps): the one Hono app, for Node and Workers alike. Handlers use injected deps only.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { DomainError } from '../domain/errors.js';
import { randomHex } from '../services/deps.js';
import { authorize } from '../services/policy.js';
import { principalOf, requireToken } from './auth.js';
import { clientAbortError } from './body.js';
import { honoPath, ROUTES, type OperationId, type RouteContract } from './contract.js';
import type { AccessLogEntry, AppDeps, AppEnv } from './env.js';
import { errorResponse, handleError } from './errors.js';
import { evaluationHandlers } from './routes/evaluations.js';
import type { Handler } from './routes/handler.js';
import { disputeHandlers } from './routes/disputes.js';
import { EVIDENCE_UPLOAD_PATH, evidenceHandlers } from './routes/evidence.js';
import { MAX_EVIDENCE_FILE_BYTES } from '../services/evidence.js';
import { documentHandlers } from './routes/documents.js';
import { ruleSetHandlers } from './routes/rulesets.js';
import { systemHandlers } from './routes/system.js';
import { isWorkbookUpload, workbookHandlers } from './routes/workbook.js';
import { docsPage, isApiPath, mountPages, renderPageError, renderPageNotFound } from '../web/pages.js';
import { PAGE_EVIDENCE_UPLOAD_PATH } from '../web/review-pages.js';

// /docs is the pages' own rendering of the OpenAPI document (no script, nothing from other hosts)
const HANDLERS: Readonly<Record<OperationId, Handler>> = {
  ...systemHandlers,
  ...ruleSetHandlers,
  ...evaluationHandlers,
  ...workbookHandlers,
  ...documentHandlers,
  ...disputeHandlers,
  ...evidenceHandlers,
  docs: docsPage,
};

/** Paths under /v1 that need no token (the rest do, known routes or not). */
const PUBLIC_V1_PATHS = new Set(
  (ROUTES as readonly RouteContract[]).filter((r) => r.access === 'public' && r.path.startsWith('/v1/')).map((r) => r.path),
);

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** POST /v1/evaluations with an .xlsx workbook */
export const WORKBOOK_BODY_LIMIT = 2 * 1024 * 1024;
/** requests one token may have in flight at once; more are answered 429 with Retry-After */
export const DEFAULT_MAX_CONCURRENT_PER_TOKEN = 64;

/** A request whose body was never read (refused early) ends its connection, so the client is not reset mid-upload. */
function leftBodyUnread(c: Context): boolean {
  const req = c.req.raw;
  if (req.method === 'GET' || req.method === 'HEAD' || req.bodyUsed) return false;
  const length = c.req.header('content-length');
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;

  const maxPerToken = deps.maxConcurrentPerToken ?? DEFAULT_MAX_CONCURRENT_PER_TOKEN;
  const inFlightByToken = new Map<string, number>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 64).replace(/[^\w.-]/g, '') || randomHex(8));
    c.set('deps', deps);
    await next();
    c.header('X-Request-Id', c.get('requestId'));
    if (leftBodyUnread(c)) c.header('Connection', 'close');
    if (deps.accessLog) {
      const principal = c.get('principal');
      // never the token, the body or the query string (it may carry a unit's filters): method, route, outcome
      const entry: AccessLogEntry = {
        requestId: c.get('requestId'),
        method: c.req.method,
        route: routePath(c, -1) || c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 100) / 100,
        role: principal?.role ?? null,
        unit: principal?.unitId ?? null,
      };
      deps.accessLog(entry);
    }
  });
  app.use('*', secureHeaders());
  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => {
        c.header('Connection', 'close');
        const message = `请求体超过上限 ${Math.round(maxSize / 1024)} KiB`;
        // a page gets an HTML page saying so, the JSON API its error body
        return isApiPath(c.req.path) ? errorResponse(c, 'PAYLOAD_TOO_LARGE', message) : renderPageError(new DomainError('PAYLOAD_TOO_LARGE', message), c, deps.log);
      },
    });
  const jsonLimit = limitOf(limit);
  // a filled 自评表 workbook may be larger than JSON (its reader bounds what it inflates: src/workbook/unzip.ts)
  const workbookLimit = limitOf(WORKBOOK_BODY_LIMIT);
  // a 佐证材料 file may be up to 20 MB, on its upload route only
  const evidenceLimit = limitOf(MAX_EVIDENCE_FILE_BYTES);
  // the page's upload is a multipart form: the file and its few fields (the service bounds the file itself)
  const pageEvidenceLimit = limitOf(MAX_EVIDENCE_FILE_BYTES + 64 * 1024);
  const limitBody: typeof jsonLimit = (c, next) =>
    (c.req.method === 'POST' && c.req.path === '/v1/evaluations' && isWorkbookUpload(c)
      ? workbookLimit
      : c.req.method === 'POST' && EVIDENCE_UPLOAD_PATH.test(c.req.path)
        ? evidenceLimit
        : c.req.method === 'POST' && PAGE_EVIDENCE_UPLOAD_PATH.test(c.req.path)
          ? pageEvidenceLimit
          : jsonLimit)(c, next);
  app.use('*', async (c, next) => {
    let reading = true; // a chunked body is read here, before the handler: a broken stream is the client's abort
    try {
      return await limitBody(c, async () => {
        reading = false;
        await next();
      });
    } catch (e) {
      if (reading && !(e instanceof DomainError)) throw clientAbortError();
      throw e;
    }
  });
  // the JSON API answers with its error body; the pages with an HTML page
  app.onError((err, c) => (isApiPath(c.req.path) ? handleError(err, c, deps.log) : renderPageError(err, c, deps.log)));
  app.notFound((c) => (isApiPath(c.req.path) ? errorResponse(c, 'NOT_FOUND', `没有这个接口：${c.req.method} ${c.req.path}`) : renderPageNotFound(c)));
  // pages: session cookie (never a bearer token), CSP, form posts from our own origin only
  mountPages(app);

  app.use('/v1/*', async (c, next) => {
    if (PUBLIC_V1_PATHS.has(c.req.path)) return next();
    return requireToken()(c, next);
  });
  // One token cannot take every connection: past its share of concurrent requests it is asked to retry.
  app.use('/v1/*', async (c, next) => {
    const principal = c.get('principal');
    if (!principal) return next();
    const key = principal.tokenId;
    const inFlight = inFlightByToken.get(key) ?? 0;
    if (inFlight >= maxPerToken) {
      return errorResponse(c, 'TOO_MANY_REQUESTS', `同一令牌同时进行的请求已达上限 ${maxPerToken} 个，请稍后重试`);
    }
    inFlightByToken.set(key, inFlight + 1);
    try {
      await next();
    } finally {
      const left = (inFlightByToken.get(key) ?? 1) - 1;
      if (left <= 0) inFlightByToken.delete(key);
      else inFlightByToken.set(key, left);
    }
  });
  // every route as its contract declares it; a role its action never allows is refused before the body is read
  for (const route of ROUTES as readonly RouteContract[]) {
    const handler = HANDLERS[route.operationId as OperationId];
    const action = route.action;
    const guarded: Handler = action
      ? (c) => {
          authorize(principalOf(c), action);
          return handler(c);
        }
      : handler;
    app.on(route.method.toUpperCase(), honoPath(route.path), guarded);
  }
  return app;
}

