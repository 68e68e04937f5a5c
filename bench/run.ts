// `npm run bench`: compiles src/ and bench/ (tsconfig.bench.json → build/bench/) and runs this file with plain node.
// Sections: in-process scoring (ours vs naive json-rules-engine vs hand-written, GoRules ZEN beside national-12), the
// scale curve over synthetic rule sets of 12–1,000 leaves, HTTP of the multi-process service against a bare Hono echo
// with as many processes (and both with one), batch re-scoring of 10k/100k stored evaluations (1M with --large), list
// latency at 100,000 stored evaluations, page renders, /healthz under hostile load, CPU per request inside workerd,
// workbook uploads, and PostgreSQL when bench/postgres.ts is present. Every figure is the median of --runs=N runs
// (default 3; workerd 5) with the raw runs kept beside it. Prints tables and writes bench/results.json, then
// regenerates docs/bench/*.svg and README's 性能 block (scripts/bench-report.ts).
// Options: --runs=N, --quick (short runs, writes bench/results.quick.json, touches nothing else), --large (1M batch),
// --skip-workers, --only=section[,section] (prints only, writes nothing).
import { serve } from '@hono/node-server';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { createApp } from '../src/http/app.js';
import { buildNodeDeps } from '../src/platform/node-deps.js';
import { scoreWithRuleSet } from '../src/engine/score.js';
import { evaluate } from '../src/engine/evaluate.js';
import { submissionFactErrors } from '../src/engine/submission-check.js';
import { checkRuleSet } from '../src/engine/check/index.js';
import { ENGINE_VERSION, type CompiledRuleSet } from '../src/engine/compiled.js';
import type { Submission } from '../src/domain/submission.js';
import { contentHash } from '../src/engine/hash.js';
import { createToken } from '../src/services/tokens.js';
import { freePort, startWorker } from '../scripts/wrangler-dev.js';
import { runAutocannon, type Cannon } from './autocannon.js';
import { benchCases, NATIONAL_12 } from './cases.js';
import { HAND_WRITTEN, handScoreSyntheticOf } from './handwritten.js';
import { naiveScore } from './naive.js';
import { loadZen } from './zen.js';
import { buildBatchDatabase, measureRescoreInOwnProcess } from './batch-parallel.js';
import { seededRandom, SYNTHETIC_SIZES, syntheticRuleSet, syntheticSubmission } from './synthetic.js';
import { hugeIndicatorSubmission, manyRulesRuleSet } from '../test/hostile.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Running from TypeScript sources (tsx) rather than the compiled build/bench/bench/run.js. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
/** Where the compiled (or source) tree and its data folders are: the repository, or build/bench. */
const ROOT = join(HERE, '..');
/** The repository: the nearest folder with a package.json (results.json, docs/ and README.md are written there). */
const REPO = (() => {
  for (let dir = ROOT; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${ROOT}`);
  }
})();
const ext = FROM_SOURCES ? '.ts' : '.js';
/** node arguments for a child running one of our modules (tsx's loader from sources). */
const nodeArgs = FROM_SOURCES ? ['--import', 'tsx'] : [];

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const unknown = argv.filter((a) => !['--quick', '--large', '--skip-workers'].includes(a) && !/^--(runs|only)=/.test(a));
if (unknown.length > 0) {
  console.error(`未知的参数：${unknown.join(' ')}（可用：--runs=N --quick --large --skip-workers --only=节[,节]）`);
  process.exit(2);
}
const quick = argv.includes('--quick');
const large = argv.includes('--large');
const skipWorkers = argv.includes('--skip-workers');
const RUNS = (() => {
  const text = option('runs') ?? '3';
  if (!/^[1-9]\d?$/.test(text)) {
    console.error(`--runs 应为 1–99 的整数，收到「${text}」`);
    process.exit(2);
  }
  return Number(text);
})();
/** `--only=http,inProcess`: those sections only; nothing is written */
const only = option('only')?.split(',');
const SECTIONS = ['inProcess', 'scale', 'http', 'batch', 'storedEvaluations', 'pages', 'hostile', 'workerd', 'workbook', 'postgres'];
if (only?.some((s) => !SECTIONS.includes(s))) {
  console.error(`--only 只能取 ${SECTIONS.join('、')}，收到「${only.join(',')}」`);
  process.exit(2);
}
const runs = (section: string) => only === undefined || only.includes(section);
const CORES = availableParallelism();
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
const log = (line = '') => console.log(line);

/** Temporary folders (databases of up to about a gigabyte): removed when the run ends. */
const temporary: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

// ---------------------------------------------------------------- runs and medians
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Field by field median of runs of the same shape (numbers: median; anything else: the first run's). */
function medianOf<T>(values: readonly T[]): T {
  const first = values[0];
  if (typeof first === 'number') return round(median(values as unknown as number[]), 4) as T;
  if (Array.isArray(first)) {
    if (!values.every((v) => Array.isArray(v) && v.length === first.length)) return first;
    return first.map((_, i) => medianOf(values.map((v) => (v as unknown[])[i]))) as T;
  }
  if (first !== null && typeof first === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = medianOf(values.map((v) => (v as Record<string, unknown>)[key]));
    }
    return out as T;
  }
  return first as T;
}

/** `n` runs of a measurement: the median of each figure, and the raw runs beside it. */
async function repeated<T extends object>(measure: (run: number) => Promise<T>, n = RUNS): Promise<T & { runs: T[] }> {
  const raw: T[] = [];
  for (let i = 0; i < n; i++) raw.push(await measure(i));
  return { ...medianOf(raw), runs: raw };
}

// ---------------------------------------------------------------- the compiled tree's data folders
/** build/bench/ gets the repository's data folders (copied: tsc writes some rule files there too) and node_modules. */
function prepareBuildFolder(): void {
  if (ROOT === REPO) return;
  for (const folder of ['migrations', 'rules', 'schemas', 'examples']) {
    rmSync(join(ROOT, folder), { recursive: true, force: true });
    cpSync(join(REPO, folder), join(ROOT, folder), { recursive: true });
  }
  if (!existsSync(join(ROOT, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(ROOT, 'node_modules'), 'dir');
  // scripts/wrangler-dev.js runs wrangler in build/bench/: the Worker is bundled from the sources, as deployed
  const toml = readFileSync(join(REPO, 'wrangler.toml'), 'utf8').replace(/^main = ".*"$/m, `main = ${JSON.stringify(join(REPO, 'src/platform/worker.ts'))}`);
  writeFileSync(join(ROOT, 'wrangler.toml'), toml);
}

// ---------------------------------------------------------------- in-process
const inProcessTime = quick ? { time: 200, warmupTime: 50 } : { time: 2000, warmupTime: 300 };

type Row = { perSecond: number; p50Micros: number; p99Micros: number };
function taskRow(bench: Bench, name: string): Row {
  const r = bench.getTask(name)!.result as unknown as { throughput: { mean: number }; latency: { p50: number; p99: number } };
  return { perSecond: round(r.throughput.mean), p50Micros: round(r.latency.p50 * 1000, 1), p99Micros: round(r.latency.p99 * 1000, 1) };
}

async function inProcess() {
  const out: Record<string, unknown> = {};
  for (const c of await benchCases()) {
    const doc = c.ruleSet.document;
    const hand = HAND_WRITTEN[c.key];
    const measured = await repeated(async () => {
      // ours on a Bench of its own, run synchronously (scoring is synchronous: no await per iteration), before the
      // peers, so neither the async loop nor json-rules-engine's promises and garbage are counted as ours
      const own = new Bench(inProcessTime).add('ours', () => {
        scoreWithRuleSet(c.ruleSet, c.submission);
      });
      own.runSync();
      const peers = new Bench(inProcessTime)
        .add('naive json-rules-engine', async () => {
          await naiveScore(doc, c.submission);
        })
        .add('hand-written', () => {
          hand(c.submission);
        });
      await peers.run();
      return { ours: taskRow(own, 'ours'), naiveJsonRulesEngine: taskRow(peers, 'naive json-rules-engine'), handWritten: taskRow(peers, 'hand-written') };
    });
    out[c.key] = {
      label: c.label,
      ours: measured.ours,
      naiveJsonRulesEngine: measured.naiveJsonRulesEngine,
      handWritten: measured.handWritten,
      oursOverNaive: round(measured.ours.perSecond / measured.naiveJsonRulesEngine.perSecond, 2),
      oursOverHandWritten: round(measured.ours.perSecond / measured.handWritten.perSecond, 4),
      ...(c.key === 'national12' ? { zen: await zenPeer(c.ruleSet, c.submission, measured.ours.perSecond) } : {}),
      runs: measured.runs,
    };
  }
  return out;
}

/**
 * GoRules ZEN on the same case in the same run: sequentially and with 64 evaluations in flight. Its API is async and it
 * evaluates on its own threads, so its CPU time per evaluation (process.cpuUsage over the run ÷ evaluations) is given
 * beside the wall-clock rate. The same total as ours is asserted; a ZEN that cannot load is reported, not fatal.
 */
async function zenPeer(ruleSet: CompiledRuleSet, submission: unknown, oursPerSecond: number) {
  const zen = await loadZen();
  if ('unavailable' in zen) return { unavailable: zen.unavailable };
  try {
    const expected = scoreWithRuleSet(ruleSet, submission);
    const got = await zen.evaluate(submission);
    if (got.total !== expected.total || got.grade !== expected.grade.code) throw new Error(`ZEN gives ${got.total} ${got.grade}, ours ${expected.total} ${expected.grade.code}`);
    const seconds = quick ? 0.3 : 2;
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
    const measured = await repeated(async () => ({ sequential: await measure(1), inFlight64: await measure(64) }));
    const best = Math.max(measured.sequential.perSecond, measured.inFlight64.perSecond);
    const leastCpu = Math.min(measured.sequential.cpuMicrosPerEvaluation, measured.inFlight64.cpuMicrosPerEvaluation);
    return {
      version: '0.54.0',
      total: got.total,
      sequential: measured.sequential,
      inFlight64: measured.inFlight64,
      /** ours (evaluations/s, one thread) ÷ ZEN's better wall-clock rate */
      oursOverZen: round(oursPerSecond / best, 2),
      /** ZEN's CPU µs per evaluation (its better mode) ÷ ours (one synchronous thread: 10⁶ ÷ evaluations/s) */
      oursOverZenByCpu: round(leastCpu / (1e6 / oursPerSecond), 2),
      runs: measured.runs,
    };
  } finally {
    zen.dispose();
  }
}

// ---------------------------------------------------------------- scale curve
/**
 * Evaluations per second over synthetic rule sets of 12, 60, 240 and 1,000 leaves (bench/synthetic.ts). The submission
 * schema admits at most 200 leaves' facts, so the curve measures scoring past the structural check (the rule set's
 * fact checks, evaluation, evidence and explanations); `full` (structural check included) is given where it applies.
 */
async function scale() {
  const sizes: Record<string, unknown> = {};
  for (const leaves of SYNTHETIC_SIZES) {
    const report = await checkRuleSet(syntheticRuleSet(leaves), { requireCaseCoverage: false });
    if (!report.compiled) throw new Error(`synthetic-${leaves} refused: ${JSON.stringify(report.diagnostics.slice(0, 3))}`);
    const compiled = report.compiled;
    const submission = syntheticSubmission(seededRandom(7), 'synthetic-unit', leaves);
    const hand = handScoreSyntheticOf(leaves);
    const pastSchema = () => {
      const errors = submissionFactErrors(compiled.index, submission as unknown as Submission);
      if (errors.length > 0) throw new Error(`synthetic-${leaves}: ${JSON.stringify(errors.slice(0, 3))}`);
      return evaluate(compiled, submission as unknown as Submission);
    };
    const ours = pastSchema();
    const checks = [hand(submission), await naiveScore(compiled.document, submission)];
    for (const other of checks) {
      if (other.total !== ours.total || other.grade !== ours.grade.code) throw new Error(`synthetic-${leaves}: ${JSON.stringify(other)} ≠ ours ${ours.total}`);
    }
    const withSchema = leaves <= 200;
    const measured = await repeated(async () => {
      const time = quick ? { time: 150, warmupTime: 30 } : { time: 1500, warmupTime: 300 };
      // ours synchronously on a Bench of its own, as in inProcess()
      const own = new Bench(time).add('ours', pastSchema);
      if (withSchema) own.add('full', () => scoreWithRuleSet(compiled, submission));
      own.runSync();
      const peers = new Bench(time)
        .add('naive', async () => {
          await naiveScore(compiled.document, submission);
        })
        .add('hand', () => hand(submission));
      await peers.run();
      return {
        ours: taskRow(own, 'ours'),
        ...(withSchema ? { full: taskRow(own, 'full') } : {}),
        naiveJsonRulesEngine: taskRow(peers, 'naive'),
        handWritten: taskRow(peers, 'hand'),
      };
    });
    const rules = (compiled.document as unknown as { rules: unknown[] }).rules.length;
    sizes[String(leaves)] = {
      leaves,
      rules,
      total: ours.total,
      ...measured,
      oursOverNaive: round(measured.ours.perSecond / measured.naiveJsonRulesEngine.perSecond, 2),
    };
  }
  return {
    method: 'tinybench, one synthetic submission per size; ours: the rule set\'s fact checks + evaluation (explanations, evidence) without the JSON Schema check, which admits at most 200 leaves; full: scoreWithRuleSet (≤ 200 leaves)',
    sizes,
  };
}

// ---------------------------------------------------------------- HTTP

interface Started {
  readonly url: string;
  stop(): Promise<void>;
}

/** A child in its own process group, ready when `probe` answers 2xx; stop() ends the whole group. */
async function startGroup(args: string[], env: NodeJS.ProcessEnv, probe: (base: string) => Promise<Response>, port: number): Promise<Started> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}: ${stderr}`);
    try {
      const r = await probe(url);
      await r.arrayBuffer();
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${args.join(' ')} not ready within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, stop };
}

/** The bare Hono echo of bench/echo-cluster.ts with `processes` cluster workers (PORT, HTTP_PROCESSES; POST /echo). */
async function startEcho(processes: number): Promise<Started> {
  const port = await freePort();
  const body = readFileSync(join(ROOT, 'examples/meizhou-2022.json'));
  return startGroup(
    [...nodeArgs, join(HERE, `echo-cluster${ext}`)],
    { PORT: String(port), HOST: '127.0.0.1', HTTP_PROCESSES: String(processes) },
    (base) => fetch(`${base}/echo`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } }),
    port,
  );
}

/** The service (src/platform/node.js) as a separate process group with HTTP_PROCESSES = `processes`. */
async function startService(processes: number, databasePath: string): Promise<Started> {
  const port = await freePort();
  return startGroup(
    [...nodeArgs, join(ROOT, `src/platform/node${ext}`)],
    { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: databasePath, RULES_DIR: join(ROOT, 'rules'), LOG_LEVEL: 'warn', HTTP_PROCESSES: String(processes) },
    (base) => fetch(`${base}/healthz`),
    port,
  );
}


const HTTP_SECONDS = quick ? 2 : 8;
const HTTP_WARMUP_SECONDS = quick ? 1 : 2;
const CONNECTIONS = 50;

/** autocannon in its own process against `url`, at the bench's connection count and durations. */
async function autocannonOnce(url: string, bodyFile: string, headers: string[]): Promise<Cannon> {
  const m = await runAutocannon({ repo: REPO, url, bodyFile, headers, connections: CONNECTIONS, seconds: HTTP_SECONDS, warmupSeconds: HTTP_WARMUP_SECONDS });
  return { ...m, requestsPerSecond: round(m.requestsPerSecond) };
}

/** A database with a unit token (and `rows` stored evaluations), closed again: the service process opens it. */
async function serviceDatabase(rows: number): Promise<{ path: string; token: string }> {
  const dir = tempDir('jxzp-bench-http-');
  const path = join(dir, 'bench.db');
  const stored = await preStore(path, rows);
  const token = (await createToken(stored.database.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
  await stored.checker.close();
  await stored.database.close();
  return { path, token };
}

const storedRows = (path: string) => {
  return buildNodeDeps({ databasePath: path, rulesDir: join(ROOT, 'rules'), log: () => {} }).then(async ({ database, checker }) => {
    const n = (database.sqlite.prepare('SELECT COUNT(*) AS n FROM evaluations').get() as { n: number }).n;
    await checker.close();
    await database.close();
    return n;
  });
};

async function http() {
  const dir = tempDir('jxzp-bench-http-body-');
  const bodyFile = join(dir, 'seed.json');
  writeFileSync(bodyFile, readFileSync(join(ROOT, 'examples/meizhou-2022.json')));
  const processCounts = CORES > 1 ? [CORES, 1] : [1];
  const configs: Record<string, unknown> = {};
  let emptyEvaluations = 0;
  for (const processes of processCounts) {
    const db = await serviceDatabase(0);
    const echo = await startEcho(processes);
    const service = await startService(processes, db.path);
    const auth = [`Authorization=Bearer ${db.token}`];
    try {
      const m = await repeated(async () => ({
        echo: await autocannonOnce(`${echo.url}/echo`, bodyFile, []),
        score: await autocannonOnce(`${service.url}/v1/score`, bodyFile, auth),
        evaluations: await autocannonOnce(`${service.url}/v1/evaluations`, bodyFile, auth),
      }));
      if (processes === processCounts[0]) emptyEvaluations = m.evaluations.requestsPerSecond;
      configs[`processes${processes}`] = {
        processes,
        echo: m.echo,
        score: m.score,
        evaluations: m.evaluations,
        scoreOverEcho: round(m.score.requestsPerSecond / m.echo.requestsPerSecond, 3),
        evaluationsOverEcho: round(m.evaluations.requestsPerSecond / m.echo.requestsPerSecond, 3),
        runs: m.runs,
      };
    } finally {
      await service.stop();
      await echo.stop();
    }
    (configs[`processes${processes}`] as Record<string, unknown>).rowsStoredAfter = await storedRows(db.path);
  }
  // POST /v1/evaluations with 100,000 evaluations stored before the first request (the service's processes as above)
  const preStored = quick ? 10_000 : 100_000;
  const db = await serviceDatabase(preStored);
  const service = await startService(processCounts[0]!, db.path);
  let stored;
  try {
    stored = await repeated(() => autocannonOnce(`${service.url}/v1/evaluations`, bodyFile, [`Authorization=Bearer ${db.token}`]));
  } finally {
    await service.stop();
  }
  return {
    method: `autocannon in its own process, ${CONNECTIONS} connections, ${HTTP_SECONDS} s after ${HTTP_WARMUP_SECONDS} s of warm-up, POST examples/meizhou-2022.json; the service (compiled src/platform/node.js, HTTP_PROCESSES) and the bare Hono echo (as many cluster processes) each in their own process group`,
    cores: CORES,
    connections: CONNECTIONS,
    seconds: HTTP_SECONDS,
    warmupSeconds: HTTP_WARMUP_SECONDS,
    body: 'examples/meizhou-2022.json',
    configs,
    stored: { preStored, processes: processCounts[0], ...stored, rowsStoredAfter: await storedRows(db.path) },
    storedOverEmpty: round(stored.requestsPerSecond / emptyEvaluations, 3),
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
  const dir = tempDir('jxzp-bench-hostile-');
  const built = await buildNodeDeps({ databasePath: join(dir, 'bench.db'), rulesDir: join(ROOT, 'rules'), log: () => {} });
  const unit = (await createToken(built.database.db, { role: 'unit', unitId: 'mz-hpf-center' }, new Date())).token;
  const bureau = (await createToken(built.database.db, { role: 'bureau' }, new Date())).token;
  const port = await freePort();
  const app = createApp(built.deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${port}`;
  const submission = JSON.stringify(hugeIndicatorSubmission());
  const ruleSetBody = JSON.stringify({ ruleset: manyRulesRuleSet() });
  const seconds = quick ? 3 : 6;
  const once = async () => {
    const until = Date.now() + seconds * 1000;
    const hostileMillis: { submit: number[]; publish: number[] } = { submit: [], publish: [] };
    const statuses = new Map<number, number>();
    const loop = async (path: string, token: string, body: string, into: number[]) => {
      while (Date.now() < until) {
        const t0 = performance.now();
        const r = await fetch(`${url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body });
        await r.arrayBuffer();
        into.push(performance.now() - t0);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    };
    const health: number[] = [];
    const probe = async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        const r = await fetch(`${url}/healthz`);
        await r.arrayBuffer();
        health.push(performance.now() - t0);
        await new Promise((res) => setTimeout(res, 10));
      }
    };
    await Promise.all([loop('/v1/evaluations', unit, submission, hostileMillis.submit), loop('/v1/rulesets', bureau, ruleSetBody, hostileMillis.publish), probe()]);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const h = sorted(health);
    return {
      healthzRequests: h.length,
      healthzP50Millis: round(percentile(h, 50), 2),
      healthzP99Millis: round(percentile(h, 99), 2),
      healthzMaxMillis: round(h.at(-1) ?? 0, 2),
      hugeSubmission: { indicators: 100_000, bytes: submission.length, answered: hostileMillis.submit.length, p50Millis: round(percentile(sorted(hostileMillis.submit), 50), 2) },
      manyRulesPublish: { rules: 2_000, bytes: ruleSetBody.length, answered: hostileMillis.publish.length, p50Millis: round(percentile(sorted(hostileMillis.publish), 50), 1) },
      statuses: Object.fromEntries(statuses),
    };
  };
  try {
    return { seconds, ...(await repeated(once)) };
  } finally {
    await new Promise((r) => server.close(r));
    await built.checker.close();
    await built.database.close();
  }
}

// ---------------------------------------------------------------- batch re-scoring
interface BatchOutcome {
  count: number;
  threads: number;
  seconds: number;
  rowsPerSecond: number;
  written: number;
  failed: number;
  gradeChanged: number;
  gradeTransitions: Record<string, number>;
  maxRssMB: number;
}
/**
 * Batch re-scoring on worker threads (bench/batch-parallel.ts, as many threads as cores): per size one generated
 * database, re-scored from an untouched copy in each run; 1,000,000 only with --large (one run).
 */
async function batch() {
  const counts = quick ? [10_000] : large ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
  const sizes: Record<string, unknown> = {};
  for (const count of counts) {
    const n = count >= 1_000_000 ? 1 : RUNS;
    const dir = tempDir('jxzp-bench-batch-');
    try {
      const template = join(dir, 'template.db');
      const { generateSeconds } = await buildBatchDatabase(template, count);
      // each run in a process of its own (bench/batch-parallel.ts --db=…), on its own copy of the untouched rows: the
      // peak RSS is the re-score's, not this process's after the sections before it
      const m = await repeated(async () => measureRescoreInOwnProcess(template, CORES), n);
      sizes[String(count)] = { generateSeconds: round(generateSeconds, 1), ...m };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { threads: CORES, method: 'bench/batch-parallel.ts: generated gd-meizhou-2022 evaluations re-scored under 1.1.0 on a pool of worker threads, new result rows written; each run in a fresh process of its own (peak RSS: that process, its worker threads included)', sizes };
}

// ---------------------------------------------------------------- stored evaluations: lists
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
  const calls = quick ? 100 : 300;
  // list latency at 100,000 rows, through the app (auth, query, JSON), per offered combination
  const dir = tempDir('jxzp-bench-lists-');
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
  const once = async () => {
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
    return { lists, listWorstP99Millis: Math.max(...Object.values(lists).map((l) => l.p99Millis)) };
  };
  try {
    return {
      method: `GET /v1/evaluations?limit=20 through app.fetch, ${calls} calls per query per run (half page 1, half 50 pages deep), ${listRows} evaluations stored`,
      listRows,
      ...(await repeated(once)),
    };
  } finally {
    await listed.checker.close();
    await listed.database.close();
  }
}

// ---------------------------------------------------------------- workbook uploads, hostile ones included
/** bench/workbook.ts (run from the sources) measures each upload in a process of its own; its rows per run are kept. */
function workbookOnce(): Promise<{ rows: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'bench/workbook.ts')], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/workbook.ts exited ${code}`));
      const { rows } = JSON.parse(readFileSync(join(REPO, 'bench/workbook-results.json'), 'utf8')) as { rows: Record<string, unknown>[] };
      resolve({ rows });
    });
  });
}

// ---------------------------------------------------------------- pages: the evaluation page's server render
async function pages() {
  const rows = 10_000;
  const calls = quick ? 100 : 300;
  const dir = tempDir('jxzp-bench-pages-');
  const stored = await preStore(join(dir, 'pages.db'), rows);
  const app = createApp(stored.deps);
  const bureau = (await createToken(stored.database.db, { role: 'bureau' }, new Date())).token;
  const signIn = await app.fetch(
    new Request('http://bench/signin', { method: 'POST', body: new URLSearchParams({ token: bureau }), headers: { Origin: 'http://bench' } }),
  );
  const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
  const once = async () => {
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
    return {
      evaluationPageP50Millis: round(times[Math.floor(calls * 0.5)]!, 2),
      evaluationPageP99Millis: round(times[Math.floor(calls * 0.99)]!, 2),
      queuePageP50Millis: round(queueTimes[Math.floor(calls * 0.5)]!, 2),
      queuePageP99Millis: round(queueTimes[Math.floor(calls * 0.99)]!, 2),
    };
  };
  try {
    return {
      method: `GET /evaluations/{id} and the reviewer queue GET /evaluations?pending=true[&year=2022] (session cookie, the whole HTML page) through app.fetch, ${calls} calls each per run over ${rows} stored evaluations`,
      rows,
      targetMillis: 50,
      ...(await repeated(once)),
    };
  } finally {
    await stored.checker.close();
    await stored.database.close();
  }
}

// ---------------------------------------------------------------- workerd CPU
const CLOCK_TICKS_PER_SECOND = 100;
const WORKERD_RUNS = 5;

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

/**
 * Mean CPU per request inside workerd (`wrangler dev --local`), sequential requests, median of 5 runs. Scoring CPU is
 * POST /v1/score minus the baseline: the same route, token and body bytes with one extra `}` at the end, so the request
 * is routed, authenticated (D1), read and parsed whole, then answered 400 (MALFORMED_JSON) — everything but the work of
 * scoring (validation, rule-set lookup, evaluation, what it would take, the result's JSON).
 */
async function workerd() {
  const worker = await startWorker();
  try {
    const pids = descendants(worker.pid()!).filter((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'workerd');
    const n = quick ? 30 : 200;
    const measure = async (request: () => Promise<Response>, status: number) => {
      for (let i = 0; i < 20; i++) await (await request()).text();
      const before = pids.reduce((s, p) => s + cpuTicks(p), 0);
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        const res = await request();
        const text = await res.text();
        if (res.status !== status) throw new Error(`status ${res.status} (expected ${status}): ${text.slice(0, 300)}`);
      }
      const wall = performance.now() - started;
      const ticks = pids.reduce((s, p) => s + cpuTicks(p), 0) - before;
      return { requests: n, cpuMillisPerRequest: round((ticks * 1000) / CLOCK_TICKS_PER_SECOND / n, 3), wallMillisPerRequest: round(wall / n, 3) };
    };
    const headers = { Authorization: `Bearer ${worker.tokens.reviewer}`, 'Content-Type': 'application/json' };
    const seed = readFileSync(join(ROOT, 'examples/meizhou-2022.json'), 'utf8').trim();
    const national = JSON.stringify(NATIONAL_12);
    const post = (body: string) => () => fetch(`${worker.base}/v1/score`, { method: 'POST', headers, body });
    const m = await repeated(async () => {
      const healthz = await measure(() => fetch(`${worker.base}/healthz`), 200);
      const baselineNational12 = await measure(post(`${national}}`), 400);
      const scoreNational12 = await measure(post(national), 200);
      const baselineGdSeed = await measure(post(`${seed}}`), 400);
      const scoreGdSeed = await measure(post(seed), 200);
      return {
        healthz,
        baselineNational12,
        scoreNational12,
        baselineGdSeed,
        scoreGdSeed,
        scoringCpuMillisNational12: round(scoreNational12.cpuMillisPerRequest - baselineNational12.cpuMillisPerRequest, 3),
        scoringCpuMillisGdSeed: round(scoreGdSeed.cpuMillisPerRequest - baselineGdSeed.cpuMillisPerRequest, 3),
      };
    }, WORKERD_RUNS);
    return {
      method: `workerd process CPU time (utime+stime from /proc, 10 ms ticks) over ${n} sequential requests per kind and run to \`wrangler dev --local\`, after 20 warm-up requests; median of ${WORKERD_RUNS} runs; baseline: POST /v1/score with the same token and body plus one trailing "}" (400 MALFORMED_JSON after the whole body is read and parsed)`,
      workerdProcesses: pids.length,
      ...m,
    };
  } finally {
    await worker.stop();
  }
}

// ---------------------------------------------------------------- PostgreSQL
const RESULT_MARK = 'BENCH-POSTGRES-RESULT ';

/**
 * bench/postgres.ts's postgresHttp({ quick }), run from the sources under tsx in the repository: the instances it
 * measures are started from the sources (test/postgres/instance-entry.ts) relative to its own folder either way.
 */
function postgres(): Promise<Record<string, unknown>> {
  const module = pathToFileURL(join(REPO, 'bench/postgres.ts')).href;
  const script = `const m = await import(${JSON.stringify(module)}); const r = await m.postgresHttp({ quick: ${quick} }); console.log(${JSON.stringify(RESULT_MARK)} + JSON.stringify(r));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) return reject(new Error(`bench/postgres.ts exited ${code}: ${stdout.slice(-500)}`));
      resolve(JSON.parse(line.slice(RESULT_MARK.length)) as Record<string, unknown>);
    });
  });
}

// ---------------------------------------------------------------- report
function table(header: string[], rows: (string | number)[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function printInProcess(inproc: Record<string, any>) {
  log(`\n进程内评分（每秒份数；p50/p99 微秒/份；${RUNS} 次运行的中位数）`);
  log(table(
    ['case', 'ours/s', 'p50', 'p99', 'naive JRE/s', 'hand/s', 'ours÷naive', 'ours÷hand'],
    Object.values(inproc).map((c: any) => [c.label, c.ours.perSecond, c.ours.p50Micros, c.ours.p99Micros, c.naiveJsonRulesEngine.perSecond, c.handWritten.perSecond, c.oursOverNaive, c.oursOverHandWritten]),
  ));
  const zen = inproc.national12?.zen;
  if (zen?.unavailable) log(`GoRules ZEN：${zen.unavailable}`);
  else if (zen) {
    log(`GoRules ZEN ${zen.version}（同一用例，总分 ${zen.total} 与本引擎一致；无说明文字）：顺序 ${zen.sequential.perSecond}/s（CPU ${zen.sequential.cpuMicrosPerEvaluation} µs/份），` +
      `64 并发 ${zen.inFlight64.perSecond}/s（CPU ${zen.inFlight64.cpuMicrosPerEvaluation} µs/份）；本引擎 ÷ ZEN = ${zen.oursOverZen}（按 CPU 时间 ${zen.oursOverZenByCpu}）`);
  }
}

function printScale(s: Record<string, any>) {
  log('\n规模曲线（合成规则集；每秒份数，不含 JSON Schema 结构校验；完整 = 含结构校验，仅 ≤ 200 个末级指标）');
  log(table(
    ['leaves', 'rules', 'ours/s', 'full/s', 'naive JRE/s', 'hand/s', 'ours÷naive'],
    Object.values(s.sizes).map((z: any) => [z.leaves, z.rules, z.ours.perSecond, z.full?.perSecond ?? '—', z.naiveJsonRulesEngine.perSecond, z.handWritten.perSecond, z.oursOverNaive]),
  ));
}

function printHttp(h: Record<string, any>) {
  log(`\nHTTP（autocannon，${h.connections} 连接，每项 ${h.seconds} 秒，预热 ${h.warmupSeconds} 秒；服务与回显各为独立进程组，进程数相同）`);
  const rows: (string | number)[][] = [];
  for (const c of Object.values(h.configs) as any[]) {
    rows.push([`echo ×${c.processes}`, c.echo.requestsPerSecond, c.echo.p50Millis, c.echo.p99Millis, c.echo.non2xx, 1]);
    rows.push([`POST /v1/score ×${c.processes}`, c.score.requestsPerSecond, c.score.p50Millis, c.score.p99Millis, c.score.non2xx, c.scoreOverEcho]);
    rows.push([`POST /v1/evaluations ×${c.processes}`, c.evaluations.requestsPerSecond, c.evaluations.p50Millis, c.evaluations.p99Millis, c.evaluations.non2xx, c.evaluationsOverEcho]);
  }
  rows.push([`POST /v1/evaluations ×${h.stored.processes}，已存 ${h.stored.preStored}`, h.stored.requestsPerSecond, h.stored.p50Millis, h.stored.p99Millis, h.stored.non2xx, `${h.storedOverEmpty}（÷ 空库）`]);
  log(table(['route', 'req/s', 'p50 ms', 'p99 ms', 'non2xx', '÷ echo'], rows));
}

function printBatch(b: Record<string, any>) {
  log(`\n批量重新评分（${b.threads} 个线程）：`);
  for (const [count, s] of Object.entries(b.sizes) as [string, any][]) {
    log(`  ${count} 条：${s.seconds} 秒，${s.rowsPerSecond} 条/秒；等级变化 ${s.gradeChanged} 条${s.maxRssMB ? `，峰值 RSS ${s.maxRssMB} MB` : ''}（生成数据另用 ${s.generateSeconds} 秒）`);
  }
}

function printStoredEvaluations(s: Record<string, any>) {
  log(`\n评价列表（${s.listRows} 条已存评价，毫秒）`);
  log(table(['query', 'p50', 'p99'], Object.entries(s.lists).map(([name, l]: [string, any]) => [name, l.p50Millis, l.p99Millis])));
}

function printPages(p: Record<string, any>) {
  log(`\n页面服务端渲染（${p.rows} 条已存评价；目标 ≤ ${p.targetMillis} ms）：评价页 p50 ${p.evaluationPageP50Millis} ms、p99 ${p.evaluationPageP99Millis} ms；` +
    `复核队列 p50 ${p.queuePageP50Millis} ms、p99 ${p.queuePageP99Millis} ms`);
}

function printHostile(h: Record<string, any>) {
  log(`\n恶意负载下的 /healthz（${h.seconds} 秒内不断重发 10 万空指标的提交与 2,000 条规则的发布）：${h.healthzRequests} 次，p50 ${h.healthzP50Millis} ms，p99 ${h.healthzP99Millis} ms，最长 ${h.healthzMaxMillis} ms`);
  log(`  提交 ${h.hugeSubmission.answered} 次（p50 ${h.hugeSubmission.p50Millis} ms）；发布 ${h.manyRulesPublish.answered} 次（p50 ${h.manyRulesPublish.p50Millis} ms）；状态 ${JSON.stringify(h.statuses)}`);
}

function printWorkerd(w: Record<string, any>) {
  log(`\nworkerd 内 CPU（毫秒/请求，${WORKERD_RUNS} 次中位数）：/healthz ${w.healthz.cpuMillisPerRequest}；基线 ${w.baselineNational12.cpuMillisPerRequest}；` +
    `12 指标全国表 ${w.scoreNational12.cpuMillisPerRequest}（评分约 ${w.scoringCpuMillisNational12}）；种子 ${w.scoreGdSeed.cpuMillisPerRequest}（评分约 ${w.scoringCpuMillisGdSeed}）`);
}

function printWorkbook(w: Record<string, any>) {
  log('\n自评表工作簿上传（每个文件在单独的进程中上传；内存为增长的上限）');
  log(table(Object.keys(w.rows[0] ?? {}), w.rows.map((r: Record<string, unknown>) => Object.values(r) as (string | number)[])));
}

// ---------------------------------------------------------------- main
async function main() {
  try {
    await measureAll();
  } finally {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  }
}

async function measureAll() {
  const started = performance.now();
  prepareBuildFolder();
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    quick,
    runs: RUNS,
    compiled: !FROM_SOURCES,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: CORES, memoryGiB: round(totalmem() / 2 ** 30, 1), platform: `${process.platform} ${process.arch}`, node: process.version },
    engineVersion: ENGINE_VERSION,
    targets: { inProcessNational12PerSecond: 50_000, httpEvaluationsOverEcho: 0.5, batch100kSeconds: 20, listP99MillisAt100k: 10, storedOverEmpty: 0.8 },
  };
  const sectionSeconds: Record<string, number> = {};
  const failed: string[] = [];
  const section = async (name: string, measure: () => Promise<unknown>, print: (r: any) => void) => {
    if (!runs(name)) return;
    const t0 = performance.now();
    try {
      const r = await measure();
      results[name] = r;
      print(r);
    } catch (e) {
      // one section failing (a helper's part, a port, workerd) is recorded; the other sections' figures are kept
      const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
      console.error(`\n${name} 失败：${message}`);
      results[name] = { failed: message.split('\n')[0] };
      failed.push(name);
    }
    sectionSeconds[name] = round((performance.now() - t0) / 1000, 1);
    for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
  };
  log(`绩效自评评分服务 基准测试 ${results.date}  ${JSON.stringify(results.machine)}  ${FROM_SOURCES ? '源码（tsx）' : '编译后'}，每项 ${RUNS} 次${quick ? '  (--quick)' : ''}`);
  await section('inProcess', inProcess, printInProcess);
  await section('scale', scale, printScale);
  await section('http', http, printHttp);
  await section('batch', batch, printBatch);
  await section('storedEvaluations', storedEvaluations, printStoredEvaluations);
  await section('pages', pages, printPages);
  await section('hostile', hostile, printHostile);
  if (!skipWorkers) await section('workerd', workerd, printWorkerd);
  // one run: eight processes, each loading the sources under tsx, take about a minute; its figures are status codes
  // and memory ceilings more than times
  await section('workbook', async () => ({ method: 'bench/workbook.ts under tsx, each upload in a process of its own; one run', ...(await workbookOnce()) }), printWorkbook);
  if (existsSync(join(REPO, 'bench/postgres.ts'))) await section('postgres', postgres, (r) => log(`\nPostgreSQL：${JSON.stringify(r).slice(0, 600)}`));
  results.sectionSeconds = sectionSeconds;
  results.wallSeconds = round((performance.now() - started) / 1000, 1);
  log(`\n用时 ${results.wallSeconds} 秒 ${JSON.stringify(sectionSeconds)}`);
  if (failed.length > 0) process.exitCode = 1;
  if (only !== undefined) return;
  const out = join(REPO, 'bench', quick ? 'results.quick.json' : 'results.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`已写入 ${out}`);
  if (!quick) {
    const { writeReport } = (await import(pathToFileURL(join(ROOT, `scripts/bench-report${ext}`)).href)) as { writeReport: (repo: string) => string[] };
    for (const file of writeReport(REPO)) log(`已更新 ${file}`);
  }
}

await main();
