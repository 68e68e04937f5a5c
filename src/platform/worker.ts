// Cloudflare Workers entry: the same createApp over D1 (kysely-d1), with the rule sets of rules/ bundled at build
// time (checked once per isolate, golden cases included) and published versions read from D1.
import type { D1Database, ExecutionContext, R2Bucket } from '@cloudflare/workers-types';
import type { Hono } from 'hono';
import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { formatDiagnostic, type Diagnostic } from '../engine/check/diagnostics.js';
import { toGoldenCases } from '../engine/golden.js';
import { loadRuleSets } from '../engine/load.js';
import { createApp } from '../http/app.js';
import type { AppEnv } from '../http/env.js';
import type { Database } from '../storage/database.js';
import { BUNDLED_CASES, BUNDLED_RULE_SETS } from './generated/bundled-rules.js';
import { webSettingsFrom } from '../web/settings.js';
import { r2BlobStore } from './blob-r2.js';
import { serviceDepsOver } from './service-deps.js';

export interface WorkerEnv {
  readonly DB: D1Database;
  /** 佐证材料 files */
  readonly EVIDENCE: R2Bucket;
  /** optional override of the 1 MiB request body limit */
  readonly BODY_LIMIT_BYTES?: string;
  /** the pages: the public origin (form posts from elsewhere are refused) and session limits */
  readonly PUBLIC_ORIGIN?: string;
  readonly SESSION_IDLE_MINUTES?: string;
  readonly SESSION_ABSOLUTE_HOURS?: string;
}

async function loadBundled() {
  const problems: Diagnostic[] = [];
  const cases = toGoldenCases(BUNDLED_CASES, problems);
  const { registry, refused } = await loadRuleSets(BUNDLED_RULE_SETS, cases);
  for (const d of problems) console.error(formatDiagnostic(d));
  for (const f of refused) {
    console.error(`已拒绝规则集文件 ${f.file}（不会用它评分）：`);
    f.report.diagnostics.filter((d) => d.severity === 'error').forEach((d) => console.error(formatDiagnostic(d)));
  }
  return { registry, cases };
}

let bundled: ReturnType<typeof loadBundled> | null = null;
let cached: { database: D1Database; app: Hono<AppEnv> } | null = null;

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const { registry, cases } = await (bundled ??= loadBundled());
    if (!cached || cached.database !== env.DB) {
      const db = new Kysely<Database>({ dialect: new D1Dialect({ database: env.DB }) });
      const app = createApp({
        ...serviceDepsOver(db, { bundled: registry, bundledCases: cases, blobs: r2BlobStore(env.EVIDENCE) }),
        ...(env.BODY_LIMIT_BYTES ? { bodyLimitBytes: Number(env.BODY_LIMIT_BYTES) } : {}),
        ...webSettingsFrom({ PUBLIC_ORIGIN: env.PUBLIC_ORIGIN, SESSION_IDLE_MINUTES: env.SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS: env.SESSION_ABSOLUTE_HOURS }),
      });
      cached = { database: env.DB, app };
    }
    return cached.app.fetch(request, env, ctx as never);
  },
};
