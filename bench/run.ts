// `npm run bench`: in-process scoring (ours vs naive json-rules-engine vs hand-written), HTTP throughput against a
// bare Hono echo route, batch re-scoring of 100,000 stored evaluations, list latency at
// 100,000 stored evaluations and a submission soak at 0 and 50,000, and CPU per request inside workerd.
// Prints tables and writes bench/results.json. `--quick` shortens every run (for trying the harness out);
// `--skip-workers` leaves out workerd.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { createApp } from '../src/http/app.js';
import { buildNodeDeps } from '../src/platform/node-deps.js';
import { scoreWithRuleSet } from '../src/engine/score.js';
import { ENGINE_VERSION } from '../src/engine/compiled.js';
import { contentHash } from '../src/engine/hash.js';
import { createToken } from '../src/services/tokens.js';
import { LOCAL_OPERATOR } from '../src/services/policy.js';
import { publishRuleSet } from '../src/services/publish.js';
import { rescoreEvaluations } from '../src/services/rescore.js';
import { startWorker } from '../scripts/wrangler-dev.js';
import { benchCases, NATIONAL_12 } from './cases.js';
import { HAND_WRITTEN } from './handwritten.js';
import { naiveScore } from './naive.js';
import { loadZen } from './zen.js';
import { seededRandom } from './synthetic.js';
import { hugeIndicatorSubmission, manyRulesRuleSet } from '../test/hostile.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const skipWorkers = process.argv.includes('--skip-workers');
/** `--only=http` (or inProcess, batch, storedEvaluations, pages, hostile, workerd, workbook) runs one section and does not write results.json */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const runs = (section: string) => only === undefined || only === section;
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
const log = (line = '') => console.log(line);

// ---------------------------------------------------------------- in-process
async function inProcess() {
  const out: Record<string, unknown> = {};
  for (const c of await benchCases()) {
    const bench = new Bench({ time: quick ? 300 : 3000, warmupTime: quick ? 100 : 1000 });
    const doc = c.ruleSet.document;
    const hand = HAND_WRITTEN[c.key];
    bench
      .add('ours', () => {
        scoreWithRuleSet(c.ruleSet, c.submission);
      })
      .add('naive json-rules-engine', async () => {
        await naiveScore(doc, c.submission);
      })
      .add('hand-written', () => {
        hand(c.submission);
      });
    await bench.run();
    const row = (name: string) => {
      const r = bench.getTask(name)!.result as unknown as { throughput: { mean: number }; latency: { p50: number; p99: number } };
      return { perSecond: round(r.throughput.mean), p50Micros: round(r.latency.p50 * 1000, 1), p99Micros: round(r.latency.p99 * 1000, 1) };
    };
    const ours = row('ours');
    const naive = row('naive json-rules-engine');
    const handWritten = row('hand-written');
    out[c.key] = {
      label: c.label,
      ours,
      naiveJsonRulesEngine: naive,
      handWritten,
      oursOverNaive: round(ours.perSecond / naive.perSecond, 2),
      oursOverHandWritten: round(ours.perSecond / handWritten.perSecond, 4),
      ...(c.key === 'national12' ? { zen: await zenPeer(c.ruleSet, c.submission, ours.perSecond) } : {}),
    };
  }
  return out;
}

/**
 * GoRules ZEN on the same case in the same run: sequentially and with 64 evaluations in flight (its API is async and it
 * evaluates on its own threads, so its CPU time per evaluation is reported beside the wall-clock rate). The same total
 * as ours is asserted; a ZEN that cannot load is reported, not fatal.
 */
async function zenPeer(ruleSet: Parameters<typeof scoreWithRuleSet>[0], submission: unknown, oursPerSecond: number) {
  const zen = await loadZen();
  if ('unavailable' in zen) return { unavailable: zen.unavailable };
  try {
    const expected = scoreWithRuleSet(ruleSet, submission);
    const got = await zen.evaluate(submission);
    if (got.total !== expected.total || got.grade !== expected.grade.code) throw new Error(`ZEN gives ${got.total} ${got.grade}, ours ${expected.total} ${expected.grade.code}`);
    const seconds = quick ? 0.5 : 3;
    const measure = async (inFlight: number) => {
      for (let i = 0; i < 500; i++) await zen.evaluate(submission); // warm-up
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < seconds * 1000) {
        await Promise.all(Array.from({ length: inFlight }, () => zen.evaluate(submission)));
        n += inFlight;
      }
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      return { perSecond: round(n / wall), cpuMicrosPerEvaluation: round((cpu.user + cpu.system) / n, 1) };
    };
    const sequential = await measure(1);
    const inFlight64 = await measure(64);
    const best = Math.max(sequential.perSecond, inFlight64.perSecond);
    return { version: '0.54.0', total: got.total, sequential, inFlight64, oursOverZen: round(oursPerSecond / best, 2) };
  } finally {
    zen.dispose();
  }
}

// ---------------------------------------------------------------- HTTP
function listen(fetch: (req: Request) => Response | Promise<Response>): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

interface Cannon {
  requestsPerSecond: number;
  p50Millis: number;
  p99Millis: number;
  non2xx: number;
  errors: number;
}

/** autocannon in its own process, so the load generator does not share the server's event loop. */
function autocannon(url: string, bodyFile: string, headers: string[], seconds: number): Promise<Cannon> {
  const args = [
    join(ROOT, 'node_modules/autocannon/autocannon.js'),
    '-c', '50', '-d', String(seconds), '-m', 'POST', '-i', bodyFile, '-j',
    '-H', 'Content-Type=application/json',
    ...headers.flatMap((h) => ['-H', h]),
    '--warmup', '[', '-c', '50', '-d', quick ? '1' : '3', ']',
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon failed: ${stderr}`));
      // with --warmup autocannon prints the warm-up's document, then the measured one, one per line
      const r = JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1)!);
      resolve({
        requestsPerSecond: round(r.requests.average),
        p50Millis: r.latency.p50,
        p99Millis: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
      });
    });
  });
}

async function http() {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-http-'));
  const { deps, database } = await buildNodeDeps({ databasePath: join(dir, 'bench.db'), rulesDir: join(ROOT, 'rules'), log: () => {} });
  const token = (await createToken(database.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
  const app = createApp(deps);
  const echo = new Hono().post('/echo', async (c) => c.json(await c.req.json()));
  const service = await listen(app.fetch);
  const bare = await listen(echo.fetch);
  const bodyFile = join(dir, 'seed.json');
  writeFileSync(bodyFile, readFileSync(join(ROOT, 'examples/meizhou-2022.json')));
  const seconds = quick ? 2 : 10;
  const auth = `Authorization=Bearer ${token}`;
  const echoRun = await autocannon(`${bare.url}/echo`, bodyFile, [], seconds);
  const evaluations = await autocannon(`${service.url}/v1/evaluations`, bodyFile, [auth], seconds);
  const score = await autocannon(`${service.url}/v1/score`, bodyFile, [auth], seconds);
  const stored = (database.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n;
  await new Promise((r) => service.server.close(r));
  await new Promise((r) => bare.server.close(r));
  await database.close();
  return {
    connections: 50,
    seconds,
    body: 'examples/meizhou-2022.json',
    echo: echoRun,
    evaluations: { ...evaluations, rowsStored: stored },
    score,
    evaluationsOverEcho: round(evaluations.requestsPerSecond / echoRun.requestsPerSecond, 3),
    scoreOverEcho: round(score.requestsPerSecond / echoRun.requestsPerSecond, 3),
  };
}

// ---------------------------------------------------------------- /healthz under hostile load

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * /healthz latency (sequential GETs) while hostile requests keep arriving: a submission of 100,000 empty indicators
 * and a publish of a 2,000-rule rule set (about 600 KB), each re-sent as soon as it is answered.
 */
async function hostile() {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-hostile-'));
  const built = await buildNodeDeps({ databasePath: join(dir, 'bench.db'), rulesDir: join(ROOT, 'rules'), log: () => {} });
  const unit = (await createToken(built.database.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
  const bureau = (await createToken(built.database.db, { role: 'bureau' }, new Date())).token;
  const service = await listen(createApp(built.deps).fetch);
  const submission = JSON.stringify(hugeIndicatorSubmission());
  const ruleSetBody = JSON.stringify({ ruleset: manyRulesRuleSet() });
  const seconds = quick ? 3 : 10;
  const until = Date.now() + seconds * 1000;
  const hostileMillis: { submit: number[]; publish: number[] } = { submit: [], publish: [] };
  const statuses = new Map<number, number>();
  const loop = async (path: string, token: string, body: string, into: number[]) => {
    while (Date.now() < until) {
      const t0 = performance.now();
      const r = await fetch(`${service.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
      await r.arrayBuffer();
      into.push(performance.now() - t0);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  };
  const health: number[] = [];
  const probe = async () => {
    while (Date.now() < until) {
      const t0 = performance.now();
      const r = await fetch(`${service.url}/healthz`);
      await r.arrayBuffer();
      health.push(performance.now() - t0);
      await new Promise((res) => setTimeout(res, 10));
    }
  };
  await Promise.all([loop('/v1/evaluations', unit, submission, hostileMillis.submit), loop('/v1/rulesets', bureau, ruleSetBody, hostileMillis.publish), probe()]);
  await new Promise((r) => service.server.close(r));
  await built.checker.close();
  await built.database.close();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const h = sorted(health);
  return {
    seconds,
    healthzRequests: h.length,
    healthzP50Millis: round(percentile(h, 50), 2),
    healthzP99Millis: round(percentile(h, 99), 2),
    healthzMaxMillis: round(h.at(-1) ?? 0, 2),
    hugeSubmission: { indicators: 100_000, bytes: submission.length, answered: hostileMillis.submit.length, p50Millis: round(percentile(sorted(hostileMillis.submit), 50), 2) },
    manyRulesPublish: { rules: 2_000, bytes: ruleSetBody.length, answered: hostileMillis.publish.length, p50Millis: round(percentile(sorted(hostileMillis.publish), 50), 1) },
    statuses: Object.fromEntries(statuses),
  };
}

// ---------------------------------------------------------------- batch re-scoring
async function batch() {
  const count = quick ? 10_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-batch-'));
  const databasePath = join(dir, 'batch.db');
  const { deps, database } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  const gd = (await deps.ruleSets.get('gd-meizhou-2022', '1.0.0'))!;
  const seed = JSON.parse(readFileSync(join(ROOT, 'examples/meizhou-2022.json'), 'utf8'));
  const r = seededRandom(2026);
  const insert = database.sqlite.prepare(
    `INSERT INTO evaluations (id, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, engine_version,
      input, input_sha256, result, total, grade_code, submitted_by, idempotency_key, created_at)
     VALUES (?, ?, 2022, ?, 'gd-meizhou-2022', '1.0.0', ?, ?, ?, ?, ?, ?, ?, 'tok_bench', NULL, ?)`,
  );
  const generatedAt = Date.now();
  const cents = (x: number) => Math.round(x * 100) / 100;
  const insertAll = database.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const s = structuredClone(seed);
      s.project.unitId = `unit-${i % 500}`;
      s.project.name = `项目 ${i}`;
      const budget = cents(10 + r() * 1000);
      const arrived = r() < 0.7 ? budget : cents(budget * (0.6 + r() * 0.4));
      s.facts.fundsArrival = { budget, arrived };
      s.facts.payment = { arrived, spent: r() < 0.6 ? arrived : cents(arrived * (0.5 + r() * 0.5)) };
      s.facts.fairness.satisfactionRate = r() < 0.5 ? 0.9 + cents(r() * 0.1) : cents(0.6 + r() * 0.3);
      s.facts.effectiveness = { targetsSet: 4, targetsMet: r() < 0.7 ? 4 : Math.floor(r() * 4) };
      s.facts.spendingCompliance.requirements.noMisappropriation = r() < 0.9;
      delete s.selfAssessment;
      const result = scoreWithRuleSet(gd, s);
      const id = `ev_${String(i).padStart(24, '0')}`;
      insert.run(id, s.project.unitId, s.project.name, gd.sha256, ENGINE_VERSION, JSON.stringify(s), contentHash(s), JSON.stringify(result), result.total, result.grade.code, new Date(generatedAt + i).toISOString());
    }
  });
  insertAll();
  const generateSeconds = (Date.now() - generatedAt) / 1000;

  // 1.1.0: 公平性 full marks only from 95% satisfaction, so some grades move
  const next = JSON.parse(readFileSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), 'utf8'));
  next.version = '1.1.0';
  next.fiscalYears = { from: 2031, to: 2031 };
  for (const rule of next.rules) {
    if (rule.name === 'fairness.satisfied') rule.conditions.all[0].value = 0.95;
    if (rule.name === 'fairness.below') {
      rule.conditions.all[0].value = 0.95;
      rule.event.params.award.threshold = 0.95;
    }
  }
  await publishRuleSet(deps, { tokenId: 'tok_bench', role: 'bureau', unitId: null }, { ruleset: next });
  const summary = await rescoreEvaluations(deps, LOCAL_OPERATOR, {
    rulesetId: 'gd-meizhou-2022',
    version: '1.1.0',
    selection: { rulesetId: 'gd-meizhou-2022' },
    startedBy: 'bench',
  });
  await database.close();
  return {
    evaluations: count,
    generateSeconds: round(generateSeconds, 1),
    seconds: round(summary.seconds, 2),
    rowsPerSecond: round(summary.written / summary.seconds),
    written: summary.written,
    failed: summary.failed,
    gradeChanged: summary.gradeChanged,
    gradeTransitions: summary.gradeTransitions,
  };
}

// ---------------------------------------------------------------- stored evaluations: lists and soak
/** Stores `count` evaluations straight through better-sqlite3 (64 scored variants, 500 units, 3 years, realistic row size). */
async function preStore(databasePath: string, count: number) {
  const { deps, database, checker } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  const gd = (await deps.ruleSets.get('gd-meizhou-2022', '1.0.0'))!;
  const seed = JSON.parse(readFileSync(join(ROOT, 'examples/meizhou-2022.json'), 'utf8'));
  const r = seededRandom(7);
  const cents = (x: number) => Math.round(x * 100) / 100;
  const variants = Array.from({ length: 64 }, () => {
    const s = structuredClone(seed);
    const budget = cents(10 + r() * 1000);
    const arrived = r() < 0.7 ? budget : cents(budget * (0.6 + r() * 0.4));
    s.facts.fundsArrival = { budget, arrived };
    s.facts.payment = { arrived, spent: r() < 0.6 ? arrived : cents(arrived * (0.5 + r() * 0.5)) };
    s.facts.fairness.satisfactionRate = r() < 0.5 ? 0.9 + cents(r() * 0.1) : cents(0.6 + r() * 0.3);
    const result = scoreWithRuleSet(gd, s);
    return { input: JSON.stringify(s), sha256: contentHash(s), result: JSON.stringify(result), total: result.total, grade: result.grade.code };
  });
  const insert = database.sqlite.prepare(
    `INSERT INTO evaluations (id, unit_id, fiscal_year, project_name, ruleset_id, ruleset_version, ruleset_sha256, engine_version,
      input, input_sha256, result, total, grade_code, submitted_by, idempotency_key, created_at)
     VALUES (?, ?, ?, ?, 'gd-meizhou-2022', '1.0.0', ?, ?, ?, ?, ?, ?, ?, 'tok_bench', NULL, ?)`,
  );
  const start = Date.parse('2024-01-01T00:00:00Z');
  database.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const v = variants[i % variants.length]!;
      // half the rows belong to the soak's unit, so its own list is long
      const unit = i % 2 === 0 ? 'mz-hpf-center' : `unit-${i % 499}`;
      insert.run(`ev_pre${String(i).padStart(18, '0')}`, unit, 2021 + (i % 3), `项目 ${i}`, gd.sha256, ENGINE_VERSION, v.input, v.sha256, v.result, v.total, v.grade, new Date(start + i * 1000).toISOString());
    }
  })();
  database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  return { deps, database, checker };
}

async function storedEvaluations() {
  const listRows = 100_000;
  const soakRows = 50_000;
  const seconds = quick ? 3 : 20;
  const calls = quick ? 100 : 500;

  // list latency at 100,000 rows, through the app (auth, query, JSON), per offered combination
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-lists-'));
  const listed = await preStore(join(dir, 'lists.db'), listRows);
  const app = createApp(listed.deps);
  const now = new Date();
  const bureau = (await createToken(listed.database.db, { role: 'bureau' }, now)).token;
  const unit = (await createToken(listed.database.db, { role: 'unit', unitId: 'mz-hpf-center' }, now)).token;
  const queries: [string, string, string][] = [
    ['none', bureau, ''],
    ['unit', bureau, 'unit=mz-hpf-center'],
    ['unit + year', bureau, 'unit=mz-hpf-center&year=2022'],
    ['year', bureau, 'year=2022'],
    ['ruleset', bureau, 'ruleset=gd-meizhou-2022'],
    ['ruleset + year', bureau, 'ruleset=gd-meizhou-2022&year=2022'],
    ['grade', bureau, 'grade=good'],
    ['grade + year', bureau, 'grade=good&year=2022'],
    ['unit token', unit, ''],
    ['unit token + year', unit, 'year=2023'],
  ];
  const lists: Record<string, { p50Millis: number; p99Millis: number }> = {};
  for (const [name, token, query] of queries) {
    const get = async (extra: string) => {
      const res = await app.fetch(new Request(`http://bench/v1/evaluations?limit=20&${query}${extra}`, { headers: { Authorization: `Bearer ${token}` } }));
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { nextCursor: string | null };
    };
    // half the calls read page 1, half a page 50 pages deep
    let cursor = '';
    for (let i = 0; i < 50; i++) cursor = (await get(cursor ? `&cursor=${cursor}` : '')).nextCursor ?? cursor;
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const started = performance.now();
      await get(i % 2 === 0 || !cursor ? '' : `&cursor=${cursor}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    lists[name] = { p50Millis: round(times[Math.floor(calls * 0.5)]!, 2), p99Millis: round(times[Math.floor(calls * 0.99)]!, 2) };
  }
  await listed.checker.close();
  await listed.database.close();

  // 50-connection soak on POST /v1/evaluations, empty database vs 50,000 stored evaluations
  const soak = async (rows: number) => {
    const soakDir = mkdtempSync(join(tmpdir(), 'jxzp-bench-soak-'));
    const { deps, database, checker } = await preStore(join(soakDir, 'soak.db'), rows);
    const token = (await createToken(database.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
    const service = await listen(createApp(deps).fetch);
    const bodyFile = join(soakDir, 'seed.json');
    writeFileSync(bodyFile, readFileSync(join(ROOT, 'examples/meizhou-2022.json')));
    const run = await autocannon(`${service.url}/v1/evaluations`, bodyFile, [`Authorization=Bearer ${token}`], seconds);
    const stored = (database.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n;
    await new Promise((r) => service.server.close(r));
    await checker.close();
    await database.close();
    return { preStored: rows, ...run, rowsAfter: stored };
  };
  const empty = await soak(0);
  const full = await soak(soakRows);
  const worstList = Math.max(...Object.values(lists).map((l) => l.p99Millis));
  return {
    method: `GET /v1/evaluations?limit=20 through app.fetch, ${calls} calls per query (half page 1, half 50 pages deep), ${listRows} evaluations stored; soak: autocannon 50 connections, ${seconds} s, POST examples/meizhou-2022.json`,
    listRows,
    lists,
    listWorstP99Millis: worstList,
    soakEmpty: empty,
    soak50k: full,
    soak50kOverEmpty: round(full.requestsPerSecond / empty.requestsPerSecond, 3),
  };
}

// ---------------------------------------------------------------- workbook uploads, hostile ones included
/** bench/workbook.ts measures each upload in a process of its own (time and memory growth); its rows are kept here. */
function workbookUploads(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/workbook.ts')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/workbook.ts exited ${code}`));
      resolve(JSON.parse(readFileSync(join(ROOT, 'bench/workbook-results.json'), 'utf8')));
    });
  });
}

function printWorkbook(w: Record<string, any>) {
  log('\n自评表工作簿上传（每个文件在单独的进程中上传；内存为增长的上限）');
  log(table(Object.keys(w.rows[0] ?? {}), w.rows.map((r: Record<string, unknown>) => Object.values(r))));
}

// ---------------------------------------------------------------- pages: the evaluation page's server render
async function pages() {
  const rows = 10_000;
  const calls = quick ? 100 : 500;
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-pages-'));
  const stored = await preStore(join(dir, 'pages.db'), rows);
  const app = createApp(stored.deps);
  const bureau = (await createToken(stored.database.db, { role: 'bureau' }, new Date())).token;
  const signIn = await app.fetch(
    new Request('http://bench/signin', { method: 'POST', body: new URLSearchParams({ token: bureau }), headers: { Origin: 'http://bench' } }),
  );
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const id = `ev_pre${String((i * 7919) % rows).padStart(18, '0')}`;
    const started = performance.now();
    const res = await app.fetch(new Request(`http://bench/evaluations/${id}`, { headers: { Cookie: cookie } }));
    const html = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200 || !html.includes('自评表')) throw new Error(`evaluation page ${id}: ${res.status}`);
  }
  times.sort((a, b) => a - b);
  // the reviewer's queue: not yet reviewed, newest first (and with the year filter), a page of 20
  const queueTimes: number[] = [];
  for (let i = 0; i < calls; i++) {
    const query = i % 2 === 0 ? 'pending=true' : 'pending=true&year=2022';
    const started = performance.now();
    const res = await app.fetch(new Request(`http://bench/evaluations?${query}`, { headers: { Cookie: cookie } }));
    const html = await res.text();
    queueTimes.push(performance.now() - started);
    if (res.status !== 200 || !html.includes('未复核')) throw new Error(`queue page ${query}: ${res.status}`);
  }
  queueTimes.sort((a, b) => a - b);
  await stored.checker.close();
  await stored.database.close();
  return {
    method: `GET /evaluations/{id} and the reviewer queue GET /evaluations?pending=true[&year=2022] (session cookie, the whole HTML page) through app.fetch, ${calls} calls each over ${rows} stored evaluations`,
    rows,
    evaluationPageP50Millis: round(times[Math.floor(calls * 0.5)]!, 2),
    evaluationPageP99Millis: round(times[Math.floor(calls * 0.99)]!, 2),
    queuePageP50Millis: round(queueTimes[Math.floor(calls * 0.5)]!, 2),
    queuePageP99Millis: round(queueTimes[Math.floor(calls * 0.99)]!, 2),
    targetMillis: 50,
  };
}

function printPages(p: Record<string, any>) {
  log(`\n页面服务端渲染（${p.rows} 条已存评价；目标 ≤ ${p.targetMillis} ms）：评价页 p50 ${p.evaluationPageP50Millis} ms、p99 ${p.evaluationPageP99Millis} ms；` +
    `复核队列 p50 ${p.queuePageP50Millis} ms、p99 ${p.queuePageP99Millis} ms`);
}

// ---------------------------------------------------------------- workerd CPU
const CLOCK_TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

async function workerd() {
  const worker = await startWorker();
  try {
    const pids = descendants(worker.pid()!).filter((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'workerd');
    const n = quick ? 100 : 1000;
    const measure = async (request: () => Promise<Response>) => {
      for (let i = 0; i < 20; i++) await (await request()).text();
      const before = pids.reduce((s, p) => s + cpuTicks(p), 0);
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await request();
        if (res.status >= 300) throw new Error(`status ${res.status}: ${await res.text()}`);
        await res.text();
      }
      const wall = performance.now() - started;
      const ticks = pids.reduce((s, p) => s + cpuTicks(p), 0) - before;
      return { requests: n, cpuMillisPerRequest: round((ticks * 1000) / CLOCK_TICKS_PER_SECOND / n, 3), wallMillisPerRequest: round(wall / n, 3) };
    };
    const headers = { Authorization: `Bearer ${worker.tokens.reviewer}`, 'Content-Type': 'application/json' };
    const seed = readFileSync(join(ROOT, 'examples/meizhou-2022.json'), 'utf8');
    const national = JSON.stringify(NATIONAL_12);
    const baseline = await measure(() => fetch(`${worker.base}/v1/rulesets/gd-meizhou-2022`, { headers }));
    const scoreSeed = await measure(() => fetch(`${worker.base}/v1/score`, { method: 'POST', headers, body: seed }));
    const scoreNational = await measure(() => fetch(`${worker.base}/v1/score`, { method: 'POST', headers, body: national }));
    return {
      method: 'workerd process CPU time (utime+stime from /proc, 10 ms ticks) over sequential requests to `wrangler dev --local`, after 20 warm-up requests; baseline: an authenticated GET that reads D1 but scores nothing',
      workerdProcesses: pids.length,
      baselineGetRuleSet: baseline,
      scoreGdSeed: scoreSeed,
      scoreNational12: scoreNational,
      scoringCpuMillisGdSeed: round(scoreSeed.cpuMillisPerRequest - baseline.cpuMillisPerRequest, 3),
      scoringCpuMillisNational12: round(scoreNational.cpuMillisPerRequest - baseline.cpuMillisPerRequest, 3),
    };
  } finally {
    await worker.stop();
  }
}

// ---------------------------------------------------------------- report
function table(header: string[], rows: (string | number)[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  quick,
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), platform: `${process.platform} ${process.arch}`, node: process.version },
  engineVersion: ENGINE_VERSION,
  targets: { inProcessNational12PerSecond: 50_000, httpEvaluationsOverEcho: 0.5, batch100kSeconds: 20, listP99MillisAt100k: 10, soak50kOverEmpty: 0.8 },
};

function printInProcess(inproc: Record<string, any>) {
  log('\n进程内评分（每秒份数；p50/p99 微秒/份）');
  log(table(
    ['case', 'ours/s', 'p50', 'p99', 'naive JRE/s', 'hand/s', 'ours÷naive', 'ours÷hand'],
    Object.values(inproc).map((c: any) => [c.label, c.ours.perSecond, c.ours.p50Micros, c.ours.p99Micros, c.naiveJsonRulesEngine.perSecond, c.handWritten.perSecond, c.oursOverNaive, c.oursOverHandWritten]),
  ));
  const zen = inproc.national12?.zen;
  if (zen?.unavailable) log(`GoRules ZEN：${zen.unavailable}`);
  else if (zen) {
    log(`GoRules ZEN ${zen.version}（同一用例，总分 ${zen.total} 与本引擎一致；无说明文字）：顺序 ${zen.sequential.perSecond}/s（CPU ${zen.sequential.cpuMicrosPerEvaluation} µs/份），` +
      `64 并发 ${zen.inFlight64.perSecond}/s（CPU ${zen.inFlight64.cpuMicrosPerEvaluation} µs/份）；本引擎 ÷ ZEN = ${zen.oursOverZen}`);
  }
}

function printHttp(h: Record<string, any>) {
  log(`\nHTTP（autocannon，${h.connections} 连接，每项 ${h.seconds} 秒，预热后；同一进程内的 Hono 回显路由作对照）`);
  log(table(
    ['route', 'req/s', 'p50 ms', 'p99 ms', 'non2xx', '÷ echo'],
    [
      ['POST /echo (bare Hono)', h.echo.requestsPerSecond, h.echo.p50Millis, h.echo.p99Millis, h.echo.non2xx, 1],
      ['POST /v1/evaluations', h.evaluations.requestsPerSecond, h.evaluations.p50Millis, h.evaluations.p99Millis, h.evaluations.non2xx, h.evaluationsOverEcho],
      ['POST /v1/score', h.score.requestsPerSecond, h.score.p50Millis, h.score.p99Millis, h.score.non2xx, h.scoreOverEcho],
    ],
  ));
}

function printBatch(b: Record<string, any>) {
  log(`\n批量重新评分：${b.evaluations} 条，${b.seconds} 秒，${b.rowsPerSecond} 条/秒；等级变化 ${b.gradeChanged} 条 ${JSON.stringify(b.gradeTransitions)}（生成数据另用 ${b.generateSeconds} 秒）`);
}

function printStoredEvaluations(s: Record<string, any>) {
  log(`\n评价列表（${s.listRows} 条已存评价，毫秒）`);
  log(table(['query', 'p50', 'p99'], Object.entries(s.lists).map(([name, l]: [string, any]) => [name, l.p50Millis, l.p99Millis])));
  log(`提交压测（50 连接）：空库 ${s.soakEmpty.requestsPerSecond} 次/秒（p99 ${s.soakEmpty.p99Millis} ms，非 2xx ${s.soakEmpty.non2xx}，错误 ${s.soakEmpty.errors}）；` +
    `已存 ${s.soak50k.preStored} 条 ${s.soak50k.requestsPerSecond} 次/秒（p99 ${s.soak50k.p99Millis} ms，非 2xx ${s.soak50k.non2xx}，错误 ${s.soak50k.errors}）；比值 ${s.soak50kOverEmpty}`);
}

function printHostile(h: Record<string, any>) {
  log(`\n恶意负载下的 /healthz（${h.seconds} 秒内不断重发 10 万空指标的提交与 2,000 条规则的发布）：${h.healthzRequests} 次，p50 ${h.healthzP50Millis} ms，p99 ${h.healthzP99Millis} ms，最长 ${h.healthzMaxMillis} ms`);
  log(`  提交 ${h.hugeSubmission.answered} 次（p50 ${h.hugeSubmission.p50Millis} ms）；发布 ${h.manyRulesPublish.answered} 次（p50 ${h.manyRulesPublish.p50Millis} ms）；状态 ${JSON.stringify(h.statuses)}`);
}

function printWorkerd(w: Record<string, any>) {
  log(`\nworkerd 内 CPU（毫秒/请求）：基线 ${w.baselineGetRuleSet.cpuMillisPerRequest}；POST /v1/score 种子 ${w.scoreGdSeed.cpuMillisPerRequest}（评分约 ${w.scoringCpuMillisGdSeed}）；12 指标全国表 ${w.scoreNational12.cpuMillisPerRequest}（评分约 ${w.scoringCpuMillisNational12}）`);
}

log(`绩效自评评分服务 基准测试 ${results.date}  ${JSON.stringify(results.machine)}${quick ? '  (--quick)' : ''}`);
if (runs('inProcess')) printInProcess((results.inProcess = await inProcess()) as Record<string, any>);
if (runs('http')) printHttp((results.http = await http()) as Record<string, any>);
if (runs('batch')) printBatch((results.batch = await batch()) as Record<string, any>);
if (runs('storedEvaluations')) printStoredEvaluations((results.storedEvaluations = await storedEvaluations()) as Record<string, any>);
if (runs('pages')) printPages((results.pages = await pages()) as Record<string, any>);
if (runs('hostile')) printHostile((results.hostile = await hostile()) as Record<string, any>);
if (!skipWorkers && runs('workerd')) printWorkerd((results.workerd = await workerd()) as Record<string, any>);
if (runs('workbook')) printWorkbook((results.workbook = await workbookUploads()) as Record<string, any>);
if (only === undefined) {
  const out = join(ROOT, 'bench', quick ? 'results.quick.json' : 'results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`\n已写入 ${out}`);
}
