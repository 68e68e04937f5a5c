// `score <file> [--format table|json] [--rules dir]`: score one submission and print the result.
import { readFileSync } from 'node:fs';
import { DomainError } from '../domain/errors.js';
import { formatNumber } from '../domain/methods.js';
import type { ScoreResult } from '../domain/result.js';
import { loadRegistry, formatDiagnostic } from '../platform/rules-dir.js';
import { scoreAndShow, type ShownResult } from '../services/scoring.js';
import { CliError, oneOf, parseCommandArgs, requireDirectory, requireFile } from './args.js';
import { renderTable } from './table.js';

const SCORE = {
  usage: `用法：npm run cli -- score <提交文件.json> [--format table|json] [--rules <目录>]
  对一份提交评分并输出结果。
  --format table|json   输出对齐的中文表格（默认）或结果 JSON
  --rules <目录>        从此目录读取规则集（默认 rules/）；未通过检查的规则集文件会被拒绝并列出原因
提交不合格时退出码为 1（--format json 时在标准输出给出错误 JSON）。`,
  options: { format: { type: 'string' }, rules: { type: 'string' } },
  positionals: { names: ['<提交文件.json>'], required: 1 },
} as const;

export async function scoreCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, SCORE);
  const file = positionals[0]!;
  const format = oneOf('format', values.format, ['table', 'json'] as const, 'table');
  const rulesDir = values.rules ?? 'rules';
  requireFile(file, '提交文件');
  requireDirectory(rulesDir, '规则集目录');
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`无法读取提交文件 ${file}：${(e as Error).message.split('\n')[0]}`);
  }
  const { registry, refused } = await loadRegistry(rulesDir);
  for (const f of refused) {
    console.error(`已拒绝加载规则集文件 ${f.file}：`);
    f.report.diagnostics.filter((d) => d.severity === 'error').forEach((d) => console.error(formatDiagnostic(d)));
  }
  try {
    const shown = await scoreAndShow(registry, input);
    console.log(format === 'json' ? JSON.stringify(shown, null, 2) : renderResult(shown));
    return 0;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    if (format === 'json') {
      console.log(JSON.stringify({ error: { code: e.code, message: e.message, details: e.details } }, null, 2));
    } else {
      console.error(`${e.code}：${e.message}`);
      for (const d of e.details) console.error(`  ${d.path}：${d.message}`);
    }
    return 1;
  }
}

/** First-level indicators in table order: inner nodes with their subtotals, leaves at the first level as they are. */
function firstLevelRows(r: ScoreResult): string[][] {
  const nodes = new Map(r.nodes.filter((n) => n.level === 1).map((n) => [n.name, n]));
  const rows: string[][] = [];
  const seen = new Set<string>();
  for (const item of r.items) {
    const name = item.path[0]!;
    if (seen.has(name)) continue;
    seen.add(name);
    const node = nodes.get(name);
    const points = node ? node.points : item.points;
    const max = node ? node.max : item.max;
    rows.push([name, formatNumber(points), formatNumber(max)]);
  }
  return rows;
}

export function renderResult(r: ScoreResult | ShownResult): string {
  const p = formatNumber;
  const lines: string[] = [];
  lines.push(`${r.project.unitName}「${r.project.name}」${r.project.fiscalYear} 年度绩效自评复算`);
  lines.push(`规则集 ${r.ruleset.id} ${r.ruleset.version}（${r.ruleset.title}）sha256 ${r.ruleset.sha256.slice(0, 16)}…${r.ruleset.provisional ? '［暂行分值］' : ''}`);
  lines.push('');
  const rows = r.items.map((i) => [
    i.path.join(' / '),
    i.applicable ? p(i.points) : '—',
    p(i.max),
    i.case?.label ?? '不适用',
    i.explanation,
  ]);
  lines.push(renderTable(['指标', '得分', '满分', '适用情形', '说明'], rows, [1, 2]));
  lines.push('');
  lines.push(renderTable(['一级指标', '得分', '满分'], firstLevelRows(r), [1, 2]));
  lines.push('');
  lines.push(`总分 ${p(r.total)} / ${p(r.maxTotal)}，等级：${r.grade.label}（${r.grade.name}）` +
    (r.nextGrade ? `；距「${r.nextGrade.label}」（≥ ${p(r.nextGrade.min)} 分）还差 ${p(r.nextGrade.pointsNeeded)} 分` : ''));
  if (r.rescale) lines.push(`（不适用项不计分：适用分值 ${p(r.rescale.applicableMax)}，原始得分 ${p(r.rescale.rawTotal)}，已折算为 ${p(r.maxTotal)} 分制）`);
  if (r.pointsLost.length > 0) {
    lines.push('', '失分（从多到少）：');
    r.pointsLost.forEach((l, n) => lines.push(`  ${n + 1}. ${l.name} −${p(l.lost)}：${l.reason}`));
  }
  if ('whatItWouldTake' in r && (r.whatItWouldTake.items.length > 0 || r.whatItWouldTake.nextGrade)) {
    lines.push('', '还差什么能拿回分数：');
    r.whatItWouldTake.items.forEach((i) => lines.push(`  · ${i.name}：${i.text}`));
    if (r.whatItWouldTake.nextGrade) lines.push(`  ${r.whatItWouldTake.nextGrade.text}`);
  }
  if (r.discrepancies.length > 0) {
    lines.push('', renderTable(['与自评不一致', '自评分', '复算分', '差额'], r.discrepancies.map((d) => [d.name, p(d.reported), p(d.recomputed), p(d.difference)]), [1, 2, 3]));
  }
  if (r.warnings.length > 0) {
    lines.push('', '提示：');
    r.warnings.forEach((w) => lines.push(`  · ${w}`));
  }
  return lines.join('\n');
}
