// Batch re-scoring on worker threads: `npx tsx bench/batch-parallel.ts [count…] [--threads=0,1,2] [--db=<path>]
// [--generate-only]` builds `count` stored evaluations the way bench/run.ts's batch() does (same seed, same
// variations), then re-scores them under 1.1.0 in-process (threads 0) and on a pool of 1 and 2 worker threads,
// printing seconds, rows per second and peak RSS (the process's, which counts its worker threads too).
// `batchRescore({ count, threads })` is the same measurement for bench/run.ts. The machine is shared: numbers are noisy.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GoldenCase } from '../src/engine/check/index.js';
import { ENGINE_VERSION } from '../src/engine/compiled.js';
import { contentHash } from '../src/engine/hash.js';
import { scoreWithRuleSet } from '../src/engine/score.js';
import { buildNodeDeps } from '../src/platform/node-deps.js';
import { LOCAL_OPERATOR } from '../src/services/policy.js';
import { publishRuleSet } from '../src/services/publish.js';
import { rescoreEvaluations } from '../src/services/rescore.js';
import { seededRandom } from './synthetic.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

export interface BatchRescoreOutcome {
  readonly count: number;
  /** 0: in-process (no pool) */
  readonly threads: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly written: number;
  readonly failed: number;
  readonly gradeChanged: number;
  readonly gradeTransitions: Readonly<Record<string, number>>;
  /** peak process RSS during the re-score (worker threads share the process, so theirs is included) */
  readonly maxRssMB: number;
  /** RSS before the re-score started (deps built, rule sets loaded) */
  readonly startRssMB: number;
  /** CPU seconds of the whole process (every thread), user + system, during the re-score */
  readonly cpuSeconds: number;
  /** of which the main thread's (reads, writes, tally), where Linux says (/proc); null elsewhere */
  readonly mainThreadCpuSeconds: number | null;
}

/** The main thread's CPU seconds so far (Linux: /proc/self/task/<pid>/stat, utime + stime in clock ticks of 1/100 s). */
function mainThreadCpu(): number | null {
  const stat = `/proc/self/task/${process.pid}/stat`;
  if (!existsSync(stat)) return null;
  const fields = readFileSync(stat, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // fields 14 and 15 of stat(5), after pid and (comm)
}

/**
 * gd-meizhou-2022 1.1.0 as the re-scoring bench and its test make it from 1.0.0: 公平性 full marks only from 95%
 * satisfaction, so some grades move. Changes and returns `doc`.
 */
export function stricterFairness(doc: any): any {
  doc.version = '1.1.0';
  doc.fiscalYears = { from: 2031, to: 2031 };
  for (const rule of doc.rules) {
    if (rule.name === 'fairness.satisfied') rule.conditions.all[0].value = 0.95;
    if (rule.name === 'fairness.below') {
      rule.conditions.all[0].value = 0.95;
      rule.event.params.award.threshold = 0.95;
    }
  }
  return doc;
}

/** Stores `count` evaluations (bench/run.ts batch(): seed 2026, 500 units) and publishes 1.1.0; returns the database path. */
export async function buildBatchDatabase(databasePath: string, count: number): Promise<{ generateSeconds: number }> {
  const { deps, database, checker } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  try {
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

    const next = stricterFairness(JSON.parse(readFileSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), 'utf8')));
    // published without golden cases of its own, so past the case-coverage gate (as test/services/rescore.test.ts does)
    const withoutGate = { ...deps, checkRuleSet: (doc: unknown, cases: readonly GoldenCase[]) => checker.check(doc, cases, { requireCaseCoverage: false }) };
    await publishRuleSet(withoutGate, { tokenId: 'tok_bench', role: 'bureau', unitId: null }, { ruleset: next });
    database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { generateSeconds };
  } finally {
    await checker.close();
    await database.close();
  }
}

/** Re-scores every stored gd-meizhou-2022 evaluation in `databasePath` under 1.1.0 and measures it. */
export async function measureRescore(databasePath: string, threads: number, batchSize?: number): Promise<BatchRescoreOutcome> {
  const { deps, database, checker } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  // imported only when used, so the in-process baseline runs without the pool module loaded
  const pool = threads > 0 ? new (await import('../src/platform/rescore-pool.js')).RescorePool({ threads }) : null;
  let maxRss = process.memoryUsage().rss;
  const startRss = maxRss;
  const cpuAtStart = process.cpuUsage();
  const mainAtStart = mainThreadCpu();
  const sample = () => {
    maxRss = Math.max(maxRss, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 50);
  try {
    const summary = await rescoreEvaluations(pool ? { ...deps, rescoreScorer: pool.scorer } as typeof deps : deps, LOCAL_OPERATOR, {
      rulesetId: 'gd-meizhou-2022',
      version: '1.1.0',
      selection: { rulesetId: 'gd-meizhou-2022' },
      startedBy: 'bench',
      ...(batchSize !== undefined ? { batchSize } : {}),
      onProgress: sample,
    });
    sample();
    const cpu = process.cpuUsage(cpuAtStart);
    const mainAtEnd = mainThreadCpu();
    return {
      count: summary.selected,
      threads,
      seconds: round(summary.seconds, 2),
      rowsPerSecond: round(summary.written / summary.seconds),
      written: summary.written,
      failed: summary.failed,
      gradeChanged: summary.gradeChanged,
      gradeTransitions: summary.gradeTransitions,
      maxRssMB: round(maxRss / 2 ** 20),
      startRssMB: round(startRss / 2 ** 20),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      mainThreadCpuSeconds: mainAtStart === null || mainAtEnd === null ? null : round(mainAtEnd - mainAtStart, 2),
    };
  } finally {
    clearInterval(sampler);
    await pool?.close();
    await checker.close();
    await database.close();
  }
}

/**
 * measureRescore in a fresh process of its own, on its own copy of `template` (left untouched): its peak RSS is the
 * re-score's alone, not that of a process that has run other measurements before.
 */
export function measureRescoreInOwnProcess(template: string, threads: number, batchSize?: number): BatchRescoreOutcome {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), `--db=${template}`, `--threads=${threads}`, ...(batchSize !== undefined ? [`--batch=${batchSize}`] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20 },
  );
  if (child.status !== 0) throw new Error(`re-scoring with ${threads} threads failed in its own process (exit ${child.status}, ${child.signal ?? 'no signal'})`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as BatchRescoreOutcome;
}

/** For bench/run.ts: a fresh database of `count` evaluations, re-scored on `threads` worker threads (0: in-process). */
export async function batchRescore(options: { count: number; threads: number; batchSize?: number }): Promise<BatchRescoreOutcome & { generateSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-batch-parallel-'));
  try {
    const databasePath = join(dir, 'batch.db');
    const { generateSeconds } = await buildBatchDatabase(databasePath, options.count);
    return { ...(await measureRescore(databasePath, options.threads, options.batchSize)), generateSeconds: round(generateSeconds, 1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const counts = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const threadsList = (option('threads') ?? '0,1,2').split(',').map(Number);
  const batchSize = option('batch') === undefined ? undefined : Number(option('batch'));
  const keep = option('db');
  if (args.includes('--generate-only')) {
    if (!keep) throw new Error('--generate-only needs --db=<path>');
    const g = await buildBatchDatabase(keep, counts[0] ?? 20_000);
    console.log(`generated ${counts[0] ?? 20_000} evaluations in ${round(g.generateSeconds, 1)} s → ${keep}`);
    return;
  }
  if (keep && counts.length === 0) {
    // re-score an existing database (e.g. one made with --generate-only, under node --cpu-prof): a copy each time,
    // in this process (one JSON line per variant)
    for (const threads of threadsList) {
      const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-batch-parallel-'));
      try {
        copyFileSync(keep, join(dir, 'batch.db'));
        console.log(JSON.stringify(await measureRescore(join(dir, 'batch.db'), threads, batchSize)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return;
  }
  for (const count of counts.length > 0 ? counts : [10_000, 100_000]) {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-batch-parallel-'));
    try {
      const template = join(dir, 'template.db');
      const { generateSeconds } = await buildBatchDatabase(template, count);
      console.log(`${count} evaluations generated in ${round(generateSeconds, 1)} s`);
      for (const threads of threadsList) {
        const m = measureRescoreInOwnProcess(template, threads, batchSize);
        console.log(
          `${count} rows, ${threads === 0 ? 'in-process' : `${threads} thread${threads > 1 ? 's' : ''}`}: ${m.seconds} s, ${m.rowsPerSecond} rows/s, ` +
            `written ${m.written}, failed ${m.failed}, grade changed ${m.gradeChanged} ${JSON.stringify(m.gradeTransitions)}, peak RSS ${m.maxRssMB} MB (${m.startRssMB} MB before), CPU ${m.cpuSeconds} s (main thread ${m.mainThreadCpuSeconds ?? '?'} s)`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
