// Golden cases: a submission and the points, grade, cases and explanation phrases scoring it must give.
import { DomainError } from '../domain/errors.js';
import { coversFiscalYear } from '../domain/ruleset.js';
import type { CompiledRuleSet } from './compiled.js';
import type { Diagnostic, GoldenCase } from './check/diagnostics.js';
import { goldenCaseShapeErrors } from '../validation/index.js';
import { canonicalJson } from '../domain/canonical.js';
import { scoreWithReference, scoreWithRuleSet } from './score.js';
import type { Submission } from '../domain/submission.js';
import { whatItWouldTake, type WhatItWouldTake } from './what-it-would-take.js';

/** Whether a case is meant for this version: it names it, or names none and its fiscal year falls in it. */
export function caseAppliesTo(compiled: CompiledRuleSet, goldenCase: GoldenCase): boolean {
  const sub = goldenCase.submission as { ruleset?: { id?: unknown; version?: unknown }; project?: { fiscalYear?: unknown } };
  if (sub?.ruleset?.id !== compiled.document.id) return false;
  if (typeof sub.ruleset.version === 'string') return sub.ruleset.version === compiled.document.version;
  return typeof sub.project?.fiscalYear === 'number' && coversFiscalYear(compiled.document, sub.project.fiscalYear);
}

export interface GoldenOutcome {
  readonly failures: string[];
  /** rules that fired while scoring the case */
  readonly rulesFired: string[];
}

export async function runGoldenCase(compiled: CompiledRuleSet, goldenCase: GoldenCase): Promise<GoldenOutcome> {
  const failures: string[] = [];
  const expect = goldenCase.expect;
  let result;
  try {
    result = await scoreWithRuleSet(compiled, goldenCase.submission);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    if ('error' in expect) {
      if (e.code !== expect.error.code) failures.push(`错误代码为 ${e.code}，期望 ${expect.error.code}`);
      const paths = e.details.map((d) => d.path);
      for (const p of expect.error.paths) {
        if (!paths.includes(p)) failures.push(`错误中没有路径 ${p}（实际：${paths.join('、') || '无'}）`);
      }
      return { failures, rulesFired: [] };
    }
    return { failures: [`评分被拒绝：${e.message}；${e.details.map((d) => `${d.path} ${d.message}`).join('；')}`], rulesFired: [] };
  }
  if ('error' in expect) return { failures: [`期望被拒绝（${expect.error.code}），实际评分成功，总分 ${result.total}`], rulesFired: [] };
  // the fast path and json-rules-engine must agree to the last byte on every golden case
  if (canonicalJson(result) !== canonicalJson(await scoreWithReference(compiled, goldenCase.submission))) {
    failures.push('快速路径与 json-rules-engine 参考实现的评分结果不一致');
  }

  if (result.total !== expect.total) failures.push(`总分为 ${result.total}，期望 ${expect.total}`);
  if (result.grade.code !== expect.grade) failures.push(`等级为 ${result.grade.code}（${result.grade.label}），期望 ${expect.grade}`);
  const items = new Map(result.items.map((i) => [i.id, i]));
  for (const [id, points] of Object.entries(expect.items)) {
    const item = items.get(id);
    if (!item) failures.push(`结果中没有指标项 ${id}`);
    else if (item.points !== points) failures.push(`${id}（${item.name}）得分 ${item.points}，期望 ${points}`);
  }
  for (const [id, rule] of Object.entries(expect.cases ?? {})) {
    const item = items.get(id);
    if (item?.case?.rule !== rule) failures.push(`${id} 适用规则为 ${item?.case?.rule ?? '无'}，期望 ${rule}`);
  }
  const nodes = new Map(result.nodes.map((n) => [n.id, n]));
  for (const [id, points] of Object.entries(expect.subtotals ?? {})) {
    const node = nodes.get(id);
    if (node?.points !== points) failures.push(`${id} 小计为 ${node?.points ?? '无'}，期望 ${points}`);
  }
  const goals = new Map((result.goals ?? []).map((g) => [g.id, g]));
  for (const [id, points] of Object.entries(expect.goals ?? {})) {
    const goal = goals.get(id);
    if (goal?.points !== points) failures.push(`目标 ${id} 小计为 ${goal?.points ?? '无'}，期望 ${points}`);
  }
  for (const [id, phrases] of Object.entries(expect.explanationContains ?? {})) {
    const text = items.get(id)?.explanation ?? '';
    for (const phrase of phrases) {
      if (!text.includes(phrase)) failures.push(`${id} 的说明中没有「${phrase}」（实际：${text}）`);
    }
  }
  const wanted = (expect as { whatItWouldTake?: ExpectedWhatItWouldTake }).whatItWouldTake;
  if (wanted) failures.push(...whatItWouldTakeFailures(whatItWouldTake(compiled, result, goldenCase.submission as Submission), wanted));
  if (expect.discrepancies) {
    const actual = result.discrepancies.map((d) => d.itemId).sort();
    const wanted = [...expect.discrepancies].sort();
    if (actual.join(',') !== wanted.join(',')) failures.push(`差异项为 [${actual.join(', ')}]，期望 [${wanted.join(', ')}]`);
  }
  return { failures, rulesFired: result.items.flatMap((i) => (i.case ? [i.case.rule] : [])) };
}

/** `expect.whatItWouldTake` of a golden case (schemas/golden-case.schema.json). */
interface ExpectedWhatItWouldTake {
  readonly items?: Readonly<Record<string, readonly string[]>>;
  readonly nextGrade?: { readonly grade: string; readonly reachable?: boolean; readonly items: readonly string[] } | null;
}

function whatItWouldTakeFailures(actual: WhatItWouldTake, wanted: ExpectedWhatItWouldTake): string[] {
  const failures: string[] = [];
  const items = new Map(actual.items.map((i) => [i.itemId, i]));
  for (const [id, phrases] of Object.entries(wanted.items ?? {})) {
    const item = items.get(id);
    if (!item) {
      failures.push(`「还差什么」中没有指标项 ${id}`);
      continue;
    }
    for (const phrase of phrases) if (!item.text.includes(phrase)) failures.push(`${id} 的「还差什么」中没有「${phrase}」（实际：${item.text}）`);
  }
  if (wanted.nextGrade === null && actual.nextGrade !== null) failures.push(`「还差什么」给出了下一等级 ${actual.nextGrade.code}，期望没有`);
  if (wanted.nextGrade) {
    const next = actual.nextGrade;
    const ids = next?.items.map((i) => i.itemId) ?? [];
    if (next?.code !== wanted.nextGrade.grade) failures.push(`「还差什么」的下一等级为 ${next?.code ?? '无'}，期望 ${wanted.nextGrade.grade}`);
    if (ids.join(',') !== wanted.nextGrade.items.join(',')) failures.push(`达到下一等级需挽回的指标为 [${ids.join(', ')}]，期望 [${wanted.nextGrade.items.join(', ')}]`);
    if (wanted.nextGrade.reachable !== undefined && next?.reachable !== wanted.nextGrade.reachable) {
      failures.push(`下一等级${wanted.nextGrade.reachable ? '应' : '不应'}可以达到（实际：${next?.text ?? '无'}）`);
    }
  }
  return failures;
}

/** Golden cases from parsed case files; shape problems are reported as diagnostics, not thrown. */
export function toGoldenCases(files: readonly { source: string; data: unknown }[], problems: Diagnostic[]): GoldenCase[] {
  const out: GoldenCase[] = [];
  for (const { source, data } of files) {
    const errors = goldenCaseShapeErrors(data);
    if (errors.length > 0) {
      for (const e of errors) problems.push({ pass: 'goldenCases', code: 'CASE_INVALID', severity: 'error', message: `${e.path}：${e.message}`, location: source });
      continue;
    }
    out.push({ ...(data as Omit<GoldenCase, 'source'>), source });
  }
  return out;
}
