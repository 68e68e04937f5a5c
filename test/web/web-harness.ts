// In-process page tests: createApp over a fresh database with a clock the test moves, a token per role, and a browser-
// like client that keeps the session cookie and posts forms with an Origin header.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import { createToken } from '../../src/services/tokens.js';
import { ROOT } from '../support.js';

export const UNIT = 'mz-hpf-center';
export const OTHER = 'other-unit';

export interface PageReply {
  status: number;
  headers: Headers;
  text: string;
}

export interface WebService {
  readonly app: ReturnType<typeof createApp>;
  readonly deps: AppDeps;
  readonly database: OpenDatabase;
  readonly tokens: { bureau: string; reviewer: string; unit: string; otherUnit: string };
  readonly tokenIds: { bureau: string; reviewer: string; unit: string; otherUnit: string };
  /** moves the injected clock */
  advance(ms: number): void;
  now(): Date;
  close(): Promise<void>;
}

export async function startWebService(options: { publicOrigin?: string; base?: string } = {}): Promise<WebService> {
  let now = new Date('2026-03-02T09:00:00Z');
  const built = await buildNodeDeps({ databasePath: join(mkdtempSync(join(tmpdir(), 'jxzp-web-')), 'w.db'), rulesDir: join(ROOT, 'rules'), log: () => {} });
  const deps: AppDeps = { ...built.deps, clock: () => now, ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}) };
  const db = built.database.db;
  const make = (role: 'bureau' | 'reviewer' | 'unit', unitId?: string) => createToken(db, { role, ...(unitId ? { unitId } : {}) }, now);
  const [bureau, reviewer, unit, otherUnit] = await Promise.all([make('bureau'), make('reviewer'), make('unit', UNIT), make('unit', OTHER)]);
  return {
    app: createApp(deps),
    deps,
    database: built.database,
    tokens: { bureau: bureau.token, reviewer: reviewer.token, unit: unit.token, otherUnit: otherUnit.token },
    tokenIds: { bureau: bureau.id, reviewer: reviewer.id, unit: unit.id, otherUnit: otherUnit.id },
    advance: (ms) => (now = new Date(now.getTime() + ms)),
    now: () => now,
    close: async () => {
      await built.checker.close();
      built.database.close();
    },
  };
}

/** A browser in miniature: a cookie jar for one origin, form posts with that origin, redirects not followed. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly service: WebService,
    readonly origin = 'http://test.local',
  ) {}

  async request(method: string, path: string, init: { form?: Record<string, string> | [string, string][]; headers?: Record<string, string>; body?: string } = {}): Promise<PageReply> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookies.size > 0) headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined = init.body;
    if (init.form) {
      body = new URLSearchParams(init.form as Record<string, string>).toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
      headers.Origin ??= this.origin;
    }
    const res = await this.service.app.fetch(new Request(`${this.origin}${path}`, { method, headers, body }));
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string> | [string, string][], headers: Record<string, string> = {}) {
    return this.request('POST', path, { form, headers });
  }

  async signIn(token: string): Promise<PageReply> {
    return this.post('/signin', { token });
  }
}
