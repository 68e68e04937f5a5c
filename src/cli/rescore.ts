// `rescore --ruleset <id> --version <v> [--year <y>] [--from <ruleset-id>|all] [--batch <n>] [--threads <n>]`: re-scores
// stored evaluations in DATABASE_PATH (by default those scored with the same rule set) under the chosen version, writing
// new result rows (the old ones stay), scoring on a pool of worker threads, with a progress bar on a terminal and a
// summary at the end.
import { availableParallelism } from 'node:os';
import { RescorePool } from '../platform/rescore-pool.js';
import { LOCAL_OPERATOR } from '../services/policy.js';
import { rescoreEvaluations, type RescoreSummary } from '../services/rescore.js';
import { CliError, exitOnDomainError, parseCommandArgs, requireOption } from './args.js';
import { openCliDeps } from './database.js';

const RESCORE = {
  usage: `用法：npm run cli -- rescore --ruleset <规则集编号> --version <版本号> [--year <财政年度>] [--from <原规则集编号>|all] [--batch <每批条数>] [--threads <线程数>]
  用指定规则集版本重新评分 DATABASE_PATH 数据库中已保存的评价，写入新结果（原评价和原结果不动），最后给出汇总。
  --ruleset、--version  用来重新评分的规则集及版本（须已在 rules/ 中或已发布）
  --year                只选此财政年度（四位数字）
  --from                只选原先用此规则集评分的评价（默认与 --ruleset 相同；all 表示全部）
  --batch               每批条数（1–2000）
  --threads             评分线程数（1–64，默认为本机核数）`,
  options: {
    ruleset: { type: 'string' },
    version: { type: 'string' },
    year: { type: 'string' },
    from: { type: 'string' },
    batch: { type: 'string' },
    threads: { type: 'string' },
  },
} as const;

function progressBar(done: number, total: number, startedAt: number): string {
  const width = 30;
  const share = total === 0 ? 1 : done / total;
  const filled = Math.round(share * width);
  const rate = done / Math.max(0.001, (Date.now() - startedAt) / 1000);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${done}/${total}  ${Math.round(rate)} 条/秒`;
}

export function formatSummary(s: RescoreSummary): string {
  const lines = [
    `重新评分完成（批次 ${s.runId}，规则集 ${s.ruleset.id} ${s.ruleset.version}，sha256 ${s.ruleset.sha256.slice(0, 16)}…）`,
    `  选中 ${s.selected} 条，写入新结果 ${s.written} 条，无法用该版本评分 ${s.failed} 条，用时 ${s.seconds.toFixed(2)} 秒（${Math.round(s.written / Math.max(s.seconds, 0.001))} 条/秒）`,
    `  总分变化 ${s.totalChanged} 条；等级变化 ${s.gradeChanged} 条${Object.keys(s.gradeTransitions).length > 0 ? `：${Object.entries(s.gradeTransitions).map(([k, n]) => `${k} ${n}`).join('，')}` : ''}`,
  ];
  for (const f of s.failures) lines.push(`  ✗ ${f.evaluationId}：${f.reason}`);
  return lines.join('\n');
}

export async function rescoreCommand(args: string[]): Promise<number> {
  const { values: options } = parseCommandArgs(args, RESCORE);
  const ruleset = requireOption('ruleset', options.ruleset);
  const version = requireOption('version', options.version);
  if (options.year !== undefined && !/^\d{4}$/.test(options.year)) throw new CliError(`--year 应为四位数字的财政年度，不能是「${options.year}」`);
  if (options.batch !== undefined && !/^\d{1,4}$/.test(options.batch)) throw new CliError(`--batch 应为 1–2000 的整数，不能是「${options.batch}」`);
  if (options.threads !== undefined && !(/^\d{1,2}$/.test(options.threads) && Number(options.threads) >= 1 && Number(options.threads) <= 64)) {
    throw new CliError(`--threads 应为 1–64 的整数，不能是「${options.threads}」`);
  }
  // the service's database: PostgreSQL when DATABASE_URL is postgres://…, else the SQLite file (DATABASE_URL or DATABASE_PATH)
  const { deps, close } = await openCliDeps({ mustExist: true });
  // scoring runs on every core; the threads are ended below, so the process exits when the command is done
  const pool = new RescorePool({ threads: options.threads !== undefined ? Number(options.threads) : availableParallelism() });
  const startedAt = Date.now();
  const tty = process.stderr.isTTY === true;
  try {
    return await exitOnDomainError(async () => {
      const summary = await rescoreEvaluations({ ...deps, rescoreScorer: pool.scorer }, LOCAL_OPERATOR, {
        rulesetId: ruleset,
        version,
        selection: {
          ...(options.year !== undefined ? { fiscalYear: Number(options.year) } : {}),
          // by default, the evaluations that were scored with (any version of) the same rule set
          ...(options.from !== 'all' ? { rulesetId: options.from ?? ruleset } : {}),
        },
        startedBy: `cli:${process.env.USER ?? 'operator'}`,
        ...(options.batch !== undefined ? { batchSize: Math.max(1, Math.min(2000, Number(options.batch))) } : {}),
        onProgress: tty ? (done, total) => process.stderr.write(progressBar(done, total, startedAt)) : undefined,
      });
      if (tty) process.stderr.write('\n');
      console.log(formatSummary(summary));
      return 0;
    });
  } finally {
    await pool.close();
    await close();
  }
}
