// Several stateless service instances on one PostgreSQL (issue #15): two processes started together on an EMPTY
// database both become ready (the migrations run once, under the advisory lock); an Idempotency-Key raced across
// both gives one row; kill -9 of one instance under load loses no evaluation it answered 201; a version published
// through one instance scores through the other at once; the batch re-score runs on PostgreSQL; verify, reviews and
// disputes answer as on SQLite. The figures are printed (rows, 201 counts, time to ready).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPostgresDeps, type PostgresDatabase } from '../../src/platform/node-deps.js';
import { POSTGRES_MIGRATIONS_DIR } from '../../src/platform/postgres.js';
import type { AppDeps } from '../../src/http/env.js';
import { LOCAL_OPERATOR } from '../../src/services/policy.js';
import { rescoreEvaluations } from '../../src/services/rescore.js';
import { createToken } from '../../src/services/tokens.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { casesForVersion, example, ROOT, ruleSet } from '../support.js';
import { available, POSTGRESQL } from '../system-parts.js';

interface Instance {
  readonly base: string;
  readonly child: ChildProcess;
  readonly msToReady: number;
  output(): string;
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* gone */
  }
}

/** One instance (test/postgres/instance-entry.ts) in its own process group; resolves once it listens. */
function startInstance(databaseUrl: string, evidenceDir: string): Promise<Instance> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/postgres/instance-entry.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', INSTANCES: '2', DATABASE_POOL_SIZE: '5', EVIDENCE_DIR: evidenceDir },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance not ready in 60 s: ${out}`)), 60_000);
    const onData = () => {
      const m = /ready (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve({ base: m[1]!, child, msToReady: Date.now() - started, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance exited (${code ?? signal}) before ready: ${out}`));
    });
  });
}

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

async function call(base: string, method: string, path: string, token: string, json?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

describe.skipIf(!available(POSTGRESQL))('two service instances on one PostgreSQL', () => {
  let server: PostgresServer;
  let url: string;
  let a: Instance;
  let b: Instance;
  let local: { deps: AppDeps; database: PostgresDatabase; checker: { close(): Promise<void> } };
  const evidenceDir = mkdtempSync(join(tmpdir(), 'jxzp-evidence-'));
  const tokens = { unit: '', reviewer: '', bureau: '' };
  const submission = () => example('meizhou-2022.json');
  const count = async (sqlText: string, params: unknown[] = []) => Number((await local.database.pool.query<{ n: string }>(sqlText, params)).rows[0]!.n);

  beforeAll(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase();
  }, 60_000);
  afterAll(async () => {
    for (const child of running) killGroup(child);
    await local?.checker.close();
    await local?.database.close();
    await server?.stop();
    rmSync(evidenceDir, { recursive: true, force: true });
  });

  it('both start together on an empty database: the migrations run once, both are ready', async () => {
    const probe = new pg.Client({ connectionString: url });
    await probe.connect();
    const tables = Number((await probe.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0].n);
    await probe.end();
    expect(tables).toBe(0); // an empty database
    [a, b] = await Promise.all([startInstance(url, evidenceDir), startInstance(url, evidenceDir)]);
    console.log(`time to ready on an empty database: ${a.msToReady} ms and ${b.msToReady} ms`);
    for (const i of [a, b]) {
      const ready = await fetch(`${i.base}/readyz`);
      expect(ready.status).toBe(200);
      expect(i.output()).not.toMatch(/无法启动|error/i);
    }
    // the test's own handle on the same database (finds nothing pending), for tokens and checks
    local = await buildPostgresDeps({ databaseUrl: url, rulesDir: join(ROOT, 'rules'), evidenceDir, log: () => {} });
    expect(local.database.migrationsApplied).toEqual([]);
    const files = readdirSync(POSTGRES_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
    const applied = (await local.database.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
    expect(applied).toEqual(files);
    const now = new Date();
    tokens.unit = (await createToken(local.database.db, { role: 'unit', unitId: 'mz-hpf-center' }, now)).token;
    tokens.reviewer = (await createToken(local.database.db, { role: 'reviewer' }, now)).token;
    tokens.bureau = (await createToken(local.database.db, { role: 'bureau' }, now)).token;
  }, 90_000);

  it('one Idempotency-Key sent to both instances at once, many times: one row per key, both answers name it', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `race-${i}-${Math.random().toString(36).slice(2, 8)}`);
    let replayed = 0;
    for (let i = 0; i < keys.length; i += 10) {
      const pairs = await Promise.all(
        keys.slice(i, i + 10).map((key) =>
          Promise.all([a, b].map((x) => call(x.base, 'POST', '/v1/evaluations', tokens.unit, submission(), { 'Idempotency-Key': key }))),
        ),
      );
      for (const [x, y] of pairs) {
        expect([x!.status, y!.status]).toEqual([201, 201]);
        expect(x!.body.id).toBe(y!.body.id);
        // exactly one of the two stored it; the other was told it is a replay
        const flags = [x!.headers.get('idempotent-replayed'), y!.headers.get('idempotent-replayed')];
        expect(flags.filter((f) => f === 'true')).toHaveLength(1);
        replayed += 1;
      }
    }
    expect(await count("SELECT count(*) AS n FROM evaluations WHERE idempotency_key LIKE 'race-%'")).toBe(keys.length);
    expect(await count("SELECT count(*) AS n FROM (SELECT idempotency_key FROM evaluations WHERE idempotency_key LIKE 'race-%' GROUP BY 1 HAVING count(*) > 1) d")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM evaluation_summaries s JOIN evaluations e ON e.id = s.id WHERE e.idempotency_key LIKE 'race-%'")).toBe(keys.length);
    console.log(`idempotency race: ${keys.length} keys × 2 instances → ${keys.length} rows, ${replayed} replays`);
  }, 120_000);

  it('kill -9 of one instance under load loses no evaluation that was answered 201', async () => {
    const before = await count('SELECT count(*) AS n FROM evaluations');
    const answered: { id: string; via: 'a' | 'b' }[] = [];
    let failedOnA = 0;
    let killed = false;
    let stop = false;
    const loop = async (x: Instance, via: 'a' | 'b') => {
      while (!stop) {
        try {
          const r = await call(x.base, 'POST', '/v1/evaluations', tokens.unit, submission());
          if (r.status === 201) answered.push({ id: r.body.id, via });
          else throw new Error(`${via} answered ${r.status}: ${JSON.stringify(r.body)}`);
        } catch (e) {
          if (via === 'a' && killed) {
            failedOnA += 1;
            return; // the dead instance: connections refused or cut
          }
          throw e;
        }
      }
    };
    const loops = [...Array.from({ length: 6 }, () => loop(a, 'a')), ...Array.from({ length: 6 }, () => loop(b, 'b'))];
    // kill A once it has answered a good number, while requests are in flight on it
    while (answered.filter((x) => x.via === 'a').length < 150) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    killGroup(a.child, 'SIGKILL');
    const aAtKill = answered.filter((x) => x.via === 'a').length;
    const bAtKill = answered.filter((x) => x.via === 'b').length;
    while (answered.filter((x) => x.via === 'b').length < bAtKill + 100) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(loops);
    const byA = answered.filter((x) => x.via === 'a');
    const byB = answered.filter((x) => x.via === 'b');
    expect(byA.length).toBeGreaterThanOrEqual(aAtKill);
    expect(byB.length).toBeGreaterThanOrEqual(bAtKill + 100);
    // every answered id is stored, once, with its summary; B (alive) serves each of A's
    const ids = answered.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await count('SELECT count(*) AS n FROM evaluations WHERE id = ANY($1)', [ids])).toBe(ids.length);
    expect(await count('SELECT count(*) AS n FROM evaluation_summaries WHERE id = ANY($1)', [ids])).toBe(ids.length);
    for (const { id } of byA) expect((await call(b.base, 'GET', `/v1/evaluations/${id}`, tokens.unit)).status).toBe(200);
    const after = await count('SELECT count(*) AS n FROM evaluations');
    // rows beyond the answered ones can only be A's in-flight requests that committed before the kill cut the reply
    expect(after - before).toBeGreaterThanOrEqual(ids.length);
    expect(after - before - ids.length).toBeLessThanOrEqual(6 * 200);
    console.log(
      `kill -9 under load: 201 from A ${byA.length} (killed at ${aAtKill}), from B ${byB.length}; ${failedOnA} requests to A cut; ` +
        `rows added ${after - before} (${after - before - ids.length} committed but unanswered), all ${ids.length} answered ids stored`,
    );
  }, 180_000);

  it('a version published through one instance scores through the other at once', async () => {
    // A is gone: a new instance takes its place (ready on the migrated database)
    a = await startInstance(url, evidenceDir);
    console.log(`time to ready on a migrated database: ${a.msToReady} ms`);
    const doc: any = ruleSet('gd-meizhou-2022');
    doc.version = '1.1.0';
    doc.fiscalYears = { from: 2023, to: 2023 };
    doc.changelog = '2023 年度沿用 2022 年度暂行分值';
    const s = submission();
    s.project.fiscalYear = 2023;
    // before: B has no rule set for 2023
    expect((await call(b.base, 'POST', '/v1/score', tokens.unit, s)).status).toBe(422);
    const published = await call(a.base, 'POST', '/v1/rulesets', tokens.bureau, { ruleset: doc, cases: casesForVersion('gd-meizhou-2022', '1.1.0') });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const scored = await call(b.base, 'POST', '/v1/score', tokens.unit, s);
    expect(scored.status, JSON.stringify(scored.body)).toBe(200);
    expect(scored.body.ruleset).toMatchObject({ version: '1.1.0', sha256: published.body.sha256 });
    const stored = await call(b.base, 'POST', '/v1/evaluations', tokens.unit, s);
    expect(stored.status).toBe(201);
    expect(stored.body.ruleset.version).toBe('1.1.0');
    // and A sees B's evaluation
    expect((await call(a.base, 'GET', `/v1/evaluations/${stored.body.id}`, tokens.reviewer)).body.ruleset.version).toBe('1.1.0');
  }, 120_000);

  it('the batch re-score runs on PostgreSQL over a few hundred rows', async () => {
    const selected = await count("SELECT count(*) AS n FROM evaluations WHERE fiscal_year = 2022 AND ruleset_id = 'gd-meizhou-2022'");
    expect(selected).toBeGreaterThanOrEqual(300);
    const summary = await rescoreEvaluations(local.deps, LOCAL_OPERATOR, {
      rulesetId: 'gd-meizhou-2022',
      version: '1.0.0',
      selection: { fiscalYear: 2022, rulesetId: 'gd-meizhou-2022' },
      startedBy: 'test',
      batchSize: 97, // several pages, keyset-paginated by id
    });
    expect(summary.selected).toBe(selected);
    expect(summary.written).toBe(selected);
    expect(summary.failed).toBe(0);
    // same rule set and version: nothing changes
    expect(summary.totalChanged).toBe(0);
    expect(summary.gradeChanged).toBe(0);
    expect(await count('SELECT count(*) AS n FROM rescorings WHERE run_id = $1', [summary.runId])).toBe(selected);
    expect(await count('SELECT count(DISTINCT evaluation_id) AS n FROM rescorings WHERE run_id = $1', [summary.runId])).toBe(selected);
    const totals = (await local.database.pool.query<{ total: number; previous_total: number }>('SELECT total, previous_total FROM rescorings WHERE run_id = $1 LIMIT 5', [summary.runId])).rows;
    for (const t of totals) {
      expect(typeof t.total).toBe('number'); // DOUBLE PRECISION comes back as a JS number
      expect(t.total).toBe(t.previous_total);
    }
    console.log(`batch re-score: ${summary.written} rows re-scored in ${summary.seconds} s`);
  }, 180_000);

  it('verify, reviews and disputes: a short round trip across the two instances', async () => {
    const stored = await call(a.base, 'POST', '/v1/evaluations', tokens.unit, submission());
    expect(stored.status).toBe(201);
    const id = stored.body.id as string;
    const verified = await call(b.base, 'POST', `/v1/evaluations/${id}/verify`, tokens.reviewer);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ evaluationId: id, identical: true, inputSha256Matches: true, differences: [] });

    const pendingBefore = await call(a.base, 'GET', '/v1/evaluations?pending=true&limit=100', tokens.reviewer);
    expect(pendingBefore.status).toBe(200);
    const review = await call(b.base, 'POST', `/v1/evaluations/${id}/reviews`, tokens.reviewer, { items: [{ itemId: 'fairness', points: 0, reason: '无任何满意度证据' }] });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    const seen = await call(a.base, 'GET', `/v1/evaluations/${id}`, tokens.reviewer);
    expect(seen.status).toBe(200);
    expect(JSON.stringify(seen.body)).toContain('无任何满意度证据');
    expect(await count('SELECT reviewed AS n FROM evaluation_summaries WHERE id = $1', [id])).toBe(1);

    const national = example('national-road-maintenance-2023.json');
    national.project.unitId = 'mz-hpf-center';
    const ev = await call(b.base, 'POST', '/v1/evaluations', tokens.unit, national);
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    const raised = await call(a.base, 'POST', `/v1/evaluations/${ev.body.id}/disputes`, tokens.unit, {
      itemId: 'roadKm',
      about: 'recomputed',
      claimedPoints: 18,
      criterion: '正向指标按完成比例计分',
      reason: '两个标段雨季停工，有气象部门证明，应酌情认可',
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    const answered = await call(b.base, 'POST', `/v1/evaluations/${ev.body.id}/disputes/${raised.body.id}/answer`, tokens.reviewer, {
      decision: 'accepted',
      points: 18,
      reason: '气象证明属实，酌情认可',
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const again = await call(a.base, 'POST', `/v1/evaluations/${ev.body.id}/disputes/${raised.body.id}/answer`, tokens.reviewer, { decision: 'rejected', reason: '改主意' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DISPUTE_ALREADY_ANSWERED');
    // the accepted points are the item's review score, seen through the other instance
    const view = await call(a.base, 'GET', `/v1/evaluations/${ev.body.id}`, tokens.unit);
    expect(view.body.comparison.items.find((i: any) => i.itemId === 'roadKm').review).toMatchObject({ points: 18, reason: '气象证明属实，酌情认可' });
    expect(view.body.comparison.total.review).toBe(90.45);
    const history = await call(a.base, 'GET', `/v1/evaluations/${ev.body.id}/disputes`, tokens.unit);
    expect(history.body.disputes.map((d: any) => d.status)).toEqual(['accepted']);
    // the trigger wrote the accepted answer's review row (PL/pgSQL, jsonb items)
    const items = (await local.database.pool.query<{ items: string }>('SELECT items FROM reviews WHERE id = $1', [`rv_${raised.body.id}`])).rows[0]?.items;
    expect(JSON.parse(items!)).toEqual([{ itemId: 'roadKm', points: 18, reason: '气象证明属实，酌情认可' }]);
  }, 120_000);
});
