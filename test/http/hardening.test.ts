// Hardening of the app itself (in process): a per-token cap on requests in flight (429 + Retry-After), security
// headers, published versions served without re-running the checks, and the publish check in a worker thread.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/engine/hash.js';
import { createApp } from '../../src/http/app.js';
import type { AccessLogEntry } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import { ThreadChecker } from '../../src/platform/thread-checker.js';
import { createToken } from '../../src/services/tokens.js';
import { manyRulesRuleSet } from '../hostile.js';
import { ROOT, example, ruleSet, shippedCases } from '../support.js';
import { buildOpenApi } from '../../src/http/openapi.js';
import { clientFor } from './harness.js';
import { checkedSend, contractChecker } from './openapi-contract.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function service(options: { maxConcurrentPerToken?: number; databasePath?: string } = {}) {
  const databasePath = options.databasePath ?? join(mkdtempSync(join(tmpdir(), 'jxzp-hard-')), 'test.db');
  const built = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  const access: AccessLogEntry[] = [];
  const app = createApp({
    ...built.deps,
    accessLog: (e) => access.push(e),
    ...(options.maxConcurrentPerToken !== undefined ? { maxConcurrentPerToken: options.maxConcurrentPerToken } : {}),
  });
  cleanups.push(async () => {
    await built.checker.close();
    await built.database.close();
  });
  const token = async (role: 'bureau' | 'reviewer' | 'unit', unitId?: string) =>
    (await createToken(built.database.db, { role, ...(unitId ? { unitId } : {}) }, new Date())).token;
  // every answer (429 and the 500 of an altered stored version included) as the OpenAPI document declares it
  const send = checkedSend(clientFor((req) => app.fetch(req)), contractChecker(buildOpenApi()));
  return { app, built, access, databasePath, send, token };
}

/** A request whose body stays open until `release` is called: it is in flight for as long as the test wants. */
function heldRequest(token: string, text: string) {
  const length = String(new TextEncoder().encode(text).length);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(text.slice(0, 10)));
      await gate;
      controller.enqueue(encoder.encode(text.slice(10)));
      controller.close();
    },
  });
  const request = new Request('http://test.local/v1/score', {
    method: 'POST',
    // with a Content-Length the body limit lets it through unread: the handler is the one waiting for it
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': length },
    body,
    duplex: 'half',
  } as RequestInit);
  return { request, release };
}

describe('per-token concurrency', () => {
  it('answers 429 with Retry-After past the cap, for that token only, and frees the slot when a request ends', async () => {
    const s = await service({ maxConcurrentPerToken: 2 });
    const unit = await s.token('unit', 'mz-hpf-center');
    const other = await s.token('unit', 'other-unit');
    const text = JSON.stringify(example('meizhou-2022.json'));
    const held = [heldRequest(unit, text), heldRequest(unit, text)];
    const inFlight = held.map((h) => s.app.fetch(h.request));
    await new Promise((r) => setTimeout(r, 50));
    const refused = await s.send('POST', '/v1/score', { token: unit, json: example('meizhou-2022.json') });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.body.error.message).toContain('上限 2');
    // another token is not affected
    const otherReply = await s.send('GET', '/v1/rulesets', { token: other });
    expect(otherReply.status).toBe(200);
    held.forEach((h) => h.release());
    const finished = await Promise.all(inFlight);
    expect(finished.map((r) => r.status)).toEqual([200, 200]);
    const again = await s.send('POST', '/v1/score', { token: unit, json: example('meizhou-2022.json') });
    expect(again.status).toBe(200);
    expect(again.body.total).toBe(100);
  });
});

describe('headers and access log', () => {
  it('sends security headers and logs route patterns, never tokens', async () => {
    const s = await service();
    const unit = await s.token('unit', 'mz-hpf-center');
    const r = await s.send('GET', '/v1/evaluations/ev_doesnotexist', { token: unit });
    expect(r.status).toBe(404);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-request-id')).toBeTruthy();
    expect(s.access).toHaveLength(1);
    expect(s.access[0]).toMatchObject({ method: 'GET', route: '/v1/evaluations/:id', status: 404, role: 'unit', unit: 'mz-hpf-center' });
    expect(JSON.stringify(s.access)).not.toContain(unit);
  });
});

describe('published versions', () => {
  it('are served after a restart without re-running the checks; a stored document that no longer matches its hash is refused', async () => {
    const first = await service();
    const bureau = await first.token('bureau');
    const doc = ruleSet('gd-meizhou-2022') as unknown as Record<string, any>;
    doc.version = '1.0.1';
    doc.changelog = '测试：重新发布';
    const published = await first.send('POST', '/v1/rulesets', { token: bureau, json: { ruleset: doc } });
    expect(published.status).toBe(201);

    // A version the checker would refuse today (a leaf without rules) but stored with its content hash: it was
    // accepted when it was published, and old years stay scored by it — loading must not re-judge it.
    const legacy = ruleSet('gd-meizhou-2022') as unknown as Record<string, any>;
    legacy.version = '0.9.0';
    legacy.rules = legacy.rules.filter((r: { event: { params: { appliesTo: string } } }) => r.event.params.appliesTo !== 'payment');
    first.built.database.sqlite
      .prepare('INSERT INTO rulesets (id, version, sha256, document, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(legacy.id, legacy.version, contentHash(legacy), JSON.stringify(legacy), 'tok_legacy', '2020-01-01T00:00:00.000Z');
    // and one whose stored document was altered after publishing
    const altered = ruleSet('gd-meizhou-2022') as unknown as Record<string, any>;
    altered.version = '0.8.0';
    const alteredHash = contentHash(altered);
    altered.indicators[0].name = '决策（被改过）';
    first.built.database.sqlite
      .prepare('INSERT INTO rulesets (id, version, sha256, document, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(altered.id, altered.version, alteredHash, JSON.stringify(altered), 'tok_legacy', '2020-01-01T00:00:00.000Z');

    const restarted = await service({ databasePath: first.databasePath });
    const reader = await restarted.token('reviewer');
    const legacyReply = await restarted.send('GET', '/v1/rulesets/gd-meizhou-2022/0.9.0', { token: reader });
    expect(legacyReply.status).toBe(200);
    expect(legacyReply.body.sha256).toBe(contentHash(legacy));
    const republished = await restarted.send('GET', '/v1/rulesets/gd-meizhou-2022/1.0.1', { token: reader });
    expect(republished.status).toBe(200);
    expect(republished.body.changelog).toBe('测试：重新发布');
    const alteredReply = await restarted.send('GET', '/v1/rulesets/gd-meizhou-2022/0.8.0', { token: reader });
    expect(alteredReply.status).toBe(500);
    expect(alteredReply.body.error.message).toContain('sha256 不符');
    expect(alteredReply.text).not.toMatch(/\n\s+at /);
  });
});

describe('publish checks in a worker thread', () => {
  it('gives the same diagnostics as the in-process checker and keeps the event loop free meanwhile', async () => {
    const checker = new ThreadChecker();
    cleanups.push(() => checker.close());
    const doc = manyRulesRuleSet(2_000);
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    const outcome = await checker.check(doc, []);
    clearInterval(ticking);
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    // timers kept firing while the thread worked
    expect(ticks).toBeGreaterThan(0);
    // the thread applies the publish gate as the in-process checker does: the shipped cases pass it, none do not
    const good = await checker.check(ruleSet('gd-meizhou-2022'), shippedCases('gd-meizhou-2022'));
    expect(good.ok).toBe(true);
    const uncovered = await checker.check(ruleSet('gd-meizhou-2022'), []);
    expect(uncovered.ok).toBe(false);
    expect(new Set(uncovered.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))).toEqual(new Set(['CASE_COVERAGE_INCOMPLETE']));
  });

  it('abandons a check past its time limit with a CHECK_TIME_LIMIT diagnostic, and the next check still runs', async () => {
    const checker = new ThreadChecker(1);
    cleanups.push(() => checker.close());
    const outcome = await checker.check(manyRulesRuleSet(2_000), []);
    expect(outcome.ok).toBe(false);
    expect(outcome.diagnostics.map((d) => d.code)).toEqual(['CHECK_TIME_LIMIT']);
    expect(outcome.diagnostics[0]!.message).toContain('已中止');
  });
});
