// Liveness, readiness and the API's own description.
import { ENGINE_NAME, ENGINE_VERSION } from '../../engine/compiled.js';
import { buildOpenApi } from '../openapi.js';
import type { Handlers } from './handler.js';

const openApi = buildOpenApi();

// /docs is rendered by the pages (src/web/docs-page.tsx), registered by app.ts
export const systemHandlers: Handlers<'health' | 'ready' | 'openApi'> = {
  health: async (c) => {
    await c.get('deps').ruleSets.ids(); // touches the database
    return c.json({ status: 'ok', engine: { name: ENGINE_NAME, version: ENGINE_VERSION } });
  },
  // readiness, unlike /healthz (liveness): can new evaluations be written now? If not, 503 with the error body.
  ready: async (c) => {
    const deps = c.get('deps');
    if (deps.readiness) await deps.readiness();
    else await deps.ruleSets.ids(); // D1: a read; write faults surface per request
    return c.json({ status: 'ready' });
  },
  openApi: (c) => c.json(openApi),
};
