// createApp(deps): the one Hono app, for Node and Workers alike. Handlers use injected deps only.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ENGINE_NAME, ENGINE_VERSION } from '../engine/compiled.js';
import { randomHex } from '../services/deps.js';
import { requireToken } from './auth.js';
import { DOCS_PAGE } from './docs-page.js';
import type { AppDeps, AppEnv } from './env.js';
import { errorResponse, handleError } from './errors.js';
import { buildOpenApi } from './openapi.js';
import { evaluationRoutes, scoreRoutes } from './routes/evaluations.js';
import { ruleSetRoutes } from './routes/rulesets.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limit = deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const openApi = buildOpenApi();

  app.use('*', async (c, next) => {
    c.set('requestId', c.req.header('x-request-id')?.slice(0, 64).replace(/[^\w.-]/g, '') || randomHex(8));
    c.set('deps', deps);
    await next();
    c.header('X-Request-Id', c.get('requestId'));
    c.header('X-Content-Type-Options', 'nosniff');
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: limit,
      onError: (c) => errorResponse(c, 'PAYLOAD_TOO_LARGE', `请求体超过上限 ${Math.round(limit / 1024)} KiB`),
    }),
  );
  app.onError((err, c) => handleError(err, c, deps.log));
  app.notFound((c) => errorResponse(c, 'NOT_FOUND', `没有这个接口：${c.req.method} ${c.req.path}`));

  app.get('/healthz', async (c) => {
    await deps.catalog.ids(); // touches the database
    return c.json({ status: 'ok', engine: { name: ENGINE_NAME, version: ENGINE_VERSION } });
  });
  app.get('/v1/openapi.json', (c) => c.json(openApi));
  app.get('/docs', (c) => c.html(DOCS_PAGE));

  app.use('/v1/*', async (c, next) => {
    if (c.req.path === '/v1/openapi.json') return next();
    return requireToken()(c, next);
  });
  app.route('/v1/rulesets', ruleSetRoutes);
  app.route('/v1/score', scoreRoutes);
  app.route('/v1/evaluations', evaluationRoutes);
  return app;
}

