// `impact <candidate-file> [--years 2023,2024] [--format text|json]`: a dry run of a candidate rule-set version over
// the stored evaluations in DATABASE_PATH it would apply to — how many change grade, how totals move, which units
// most — storing nothing. The candidate (which may extend a published version) must first pass every check.
import { readFileSync } from 'node:fs';
import { checkRuleSet } from '../engine/check/index.js';
import { resolveRuleSet } from '../engine/resolve.js';
import { formatDiagnostic } from '../platform/rules-dir.js';
import { LOCAL_OPERATOR } from '../services/policy.js';
import { previewImpact, type GradeRef, type ImpactReport } from '../services/rescore.js';
import { CliError, exitOnDomainError, oneOf, parseCommandArgs, requireFile } from './args.js';
import { cliDatabase, openCliDeps, requireExistingStore } from './database.js';

const IMPACT = {
  usage: `用法：npm run cli -- impact <候选规则集文件.json> [--years <年度,年度…>] [--format text|json]
  试算候选规则集版本（未发布）对 DATABASE_PATH 数据库中已保存评价的影响：选取该规则集在候选版本适用财政年度内的评价，
  逐条用候选版本重新评分并与原总分、原等级比较，报告等级变化、总分变化分布和受影响最大的单位。不保存任何结果。
  候选版本须通过全部检查和 RULES_DIR（默认 rules/）中该规则集的测试用例；未通过时列出问题，退出码 1。
  --years    只选这些财政年度（逗号分隔的四位数字，须在候选版本适用的年度内）
  --format   text（默认，中文报告）或 json（报告对象）`,
  options: { years: { type: 'string' }, format: { type: 'string' } },
  positionals: { names: ['<候选规则集文件.json>'], required: 1 },
} as const;

function parseYears(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const bad = parts.find((p) => !/^\d{4}$/.test(p));
  if (bad !== undefined) throw new CliError(`--years 应为逗号分隔的四位数字财政年度，不能含「${bad}」`);
  return parts.map(Number);
}

function gradeText(g: GradeRef): string {
  if (g.name === null) return g.code;
  return g.label !== null && g.label !== g.name ? `${g.name}（${g.label}）` : g.name;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

export function formatImpact(r: ImpactReport): string {
  const years = `${r.selection.fiscalYearFrom}${r.selection.fiscalYearTo === null ? ' 年起' : `–${r.selection.fiscalYearTo} 年`}`;
  const lines = [
    `影响预览（试算，不保存）：候选规则集 ${r.candidate.id} ${r.candidate.version}，sha256 ${r.candidate.sha256.slice(0, 16)}…`,
    `  选取：规则集 ${r.selection.rulesetId} 的已保存评价，财政年度 ${years}${r.selection.years ? `，仅 ${r.selection.years.join('、')} 年` : ''}`,
    `  选中 ${r.selected} 条，试算 ${r.scored} 条，无法用候选版本评分 ${r.failed} 条`,
    `  总分变化 ${r.totalChanged} 条；等级变化 ${r.gradeChanged} 条`,
  ];
  for (const f of r.failures) lines.push(`  ✗ ${f.evaluationId}：${f.reason}`);
  if (r.gradeChanges.length > 0) {
    lines.push('等级变化（原 → 新）：');
    for (const c of r.gradeChanges) lines.push(`  ${gradeText(c.from)} → ${gradeText(c.to)}：${c.count} 条`);
  }
  lines.push('总分变化分布（新总分 − 原总分）：');
  for (const b of r.deltas.buckets) lines.push(`  ${b.range.padEnd(10)} ${String(b.count).padStart(6)} 条`);
  if (r.deltas.mean !== null) lines.push(`  最小 ${signed(r.deltas.min!)}，最大 ${signed(r.deltas.max!)}，平均 ${signed(r.deltas.mean)}`);
  if (r.unitsMostAffected.length > 0) {
    lines.push('受影响最大的单位（按总分变化绝对值合计）：');
    for (const u of r.unitsMostAffected) {
      lines.push(
        `  ${u.unitId}${u.unitName ? ` ${u.unitName}` : ''}：评价 ${u.evaluations} 条，等级变化 ${u.gradeChanges} 条，` +
          `变化合计 ${signed(u.sumDelta)}，绝对值合计 ${u.sumAbsDelta}，单条最大 ${u.maxAbsDelta}`,
      );
    }
  }
  return lines.join('\n');
}

export async function impactCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, IMPACT);
  const file = positionals[0]!;
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const years = values.years === undefined ? undefined : parseYears(values.years);
  requireFile(file, '候选规则集文件');
  requireExistingStore(cliDatabase());

  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`候选规则集文件 ${file} 未通过检查：`);
    console.error(formatDiagnostic({ pass: 'parse', code: 'JSON_PARSE', severity: 'error', message: `无法读取或解析 JSON：${(e as Error).message.split('\n')[0]}`, location: file }));
    return 1;
  }
  const { deps, close } = await openCliDeps({ mustExist: true });
  try {
    // resolved against the versions the service knows (rules/ and the database), then every check; the shipped
    // golden cases are not run: a candidate that changes scoring for their years would fail them, which is what is
    // being previewed (publishing needs its own cases)
    const resolution = await resolveRuleSet(document, async (id, version) => (await deps.ruleSets.get(id, version))?.document);
    const check = resolution.document === null ? null : await checkRuleSet(resolution.document, { requireCaseCoverage: false });
    if (!check?.compiled) {
      console.error(`候选规则集文件 ${file} 未通过检查，未试算：`);
      (check?.diagnostics ?? resolution.diagnostics).filter((d) => d.severity === 'error').forEach((d) => console.error(formatDiagnostic(d)));
      return 1;
    }
    const candidate = check.compiled;
    return await exitOnDomainError(async () => {
      const report = await previewImpact(deps, LOCAL_OPERATOR, { candidate, ...(years ? { years } : {}) });
      console.log(format === 'json' ? JSON.stringify(report, null, 2) : formatImpact(report));
      return 0;
    });
  } finally {
    await close();
  }
}
