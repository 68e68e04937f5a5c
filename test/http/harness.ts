// A test service: createApp over a fresh database and the shipped rules/, plus a token per role and a small client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/http/app.js';
import { buildNodeDeps, buildPostgresDeps, type PostgresDatabase } from '../../src/platform/node-deps.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import { createToken } from '../../src/services/tokens.js';
import { ROOT } from '../support.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  /** the body as sent (a workbook, a Word document) */
  bytes: Uint8Array;
}

export type Send = (
  method: string,
  path: string,
  opts?: { token?: string; json?: unknown; raw?: string; binary?: Uint8Array; headers?: Record<string, string> },
) => Promise<Reply>;

export function clientFor(fetchLike: (req: Request) => Response | Promise<Response>, base = 'http://test.local'): Send {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    let body: string | Uint8Array | undefined;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['Content-Type'] ??= 'application/json';
    } else if (opts.raw !== undefined) body = opts.raw;
    else if (opts.binary !== undefined) body = opts.binary;
    const res = await fetchLike(new Request(`${base}${path}`, { method, headers, body }));
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: res.status, headers: res.headers, body: parsed, text, bytes };
  };
}

export interface TestService {
  send: Send;
  tokens: { bureau: string; reviewer: string; unit: string; otherUnit: string };
  database: OpenDatabase;
  logs: string[];
  close(): Promise<void>;
}

export { OTHER_UNIT, OWN_UNIT } from '../../scripts/wrangler-dev.js';
import { OTHER_UNIT, OWN_UNIT } from '../../scripts/wrangler-dev.js';

/** The app over `deps`, a client for it and a token per role, made in `db`. */
async function served(deps: Parameters<typeof createApp>[0], db: Parameters<typeof createToken>[0]): Promise<Pick<TestService, 'send' | 'tokens'>> {
  const app = createApp(deps);
  const now = new Date();
  const make = async (role: 'bureau' | 'reviewer' | 'unit', unitId?: string) => (await createToken(db, { role, ...(unitId ? { unitId } : {}) }, now)).token;
  return {
    send: clientFor((req) => app.fetch(req)),
    tokens: {
      bureau: await make('bureau'),
      reviewer: await make('reviewer'),
      unit: await make('unit', OWN_UNIT),
      otherUnit: await make('unit', OTHER_UNIT),
    },
  };
}

export async function startTestService(options: { databasePath?: string; bodyLimitBytes?: number } = {}): Promise<TestService> {
  const logs: string[] = [];
  const databasePath = options.databasePath ?? join(mkdtempSync(join(tmpdir(), 'jxzp-db-')), 'test.db');
  const { deps, database } = await buildNodeDeps({
    databasePath,
    rulesDir: join(ROOT, 'rules'),
    log: (l) => logs.push(l),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
  });
  return {
    ...(await served(deps, database.db)),
    database,
    logs,
    close: () => database.close(),
  };
}

export interface PostgresTestService extends Omit<TestService, 'database'> {
  database: PostgresDatabase;
}

/** The same service over PostgreSQL at `databaseUrl` (a fresh database from test/postgres-server.ts). */
export async function startPostgresTestService(databaseUrl: string, options: { bodyLimitBytes?: number } = {}): Promise<PostgresTestService> {
  const logs: string[] = [];
  const evidenceDir = mkdtempSync(join(tmpdir(), 'jxzp-evidence-'));
  const { deps, database, checker } = await buildPostgresDeps({
    databaseUrl,
    evidenceDir,
    rulesDir: join(ROOT, 'rules'),
    log: (l) => logs.push(l),
    ...(options.bodyLimitBytes !== undefined ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
  });
  return {
    ...(await served(deps, database.db)),
    database,
    logs,
    close: async () => {
      await Promise.all([checker.close(), database.close()]);
      rmSync(evidenceDir, { recursive: true, force: true });
    },
  };
}

/**
 * Every evaluation a token can list (with `query`'s filters), newest first, read page by page to the end: a count
 * read back this way cannot stop at a page size. Fails on any answer but 200.
 */
export async function listAll(send: Send, token: string, query = ''): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const r: Reply = await send('GET', `/v1/evaluations?limit=100${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`, { token });
    if (r.status !== 200) throw new Error(`listing evaluations answered ${r.status}: ${r.text}`);
    all.push(...r.body.evaluations);
    cursor = r.body.nextCursor;
  } while (cursor !== null);
  return all;
}
