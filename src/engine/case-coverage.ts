// Which scoring rules and grade bands a rule set's golden cases exercise: the data behind `cli test --coverage`
// and the publish gate (a version is published only when every rule and every band is exercised).
//
// Pure: it reads the rule-set document and the outcomes of cases already run (see golden.ts) and returns a
// structural report; renderCaseCoverage and coverageGapDetails turn it into Chinese lines and error details.
import type { GoldenCase } from './check/diagnostics.js';
import type { GoldenOutcome } from './golden.js';

/** The parts of a rule-set document this module reads (a RuleSetDocument has them all). */
export interface CoverageRuleSet {
  readonly id: string;
  readonly version: string;
  readonly total: number;
  readonly grades: readonly { readonly code: string; readonly name: string; readonly label: string; readonly min: number }[];
  readonly indicators: readonly CoverageIndicator[];
  readonly ruleGroups?: Readonly<Record<string, { readonly name: string }>>;
  readonly rules: readonly { readonly name: string; readonly event: { readonly params: { readonly appliesTo: string; readonly case: string } } }[];
}

interface CoverageIndicator {
  readonly id: string;
  readonly name: string;
  readonly children?: readonly CoverageIndicator[];
}

/** What one golden case showed, as far as coverage is concerned. */
export interface CaseOutcome {
  readonly name: string;
  readonly source: string;
  /** every expectation of the case held */
  readonly passed: boolean;
  /** the rule applied to each scored item (`item.case.rule`); empty when the submission was rejected */
  readonly rulesApplied: readonly string[];
  /** grade code of the scored result; null for a case that expects (or got) a rejection */
  readonly grade: string | null;
}

/**
 * A golden case and what running it gave. The grade is the case's expected grade: when the case passed, the
 * result's grade equals it (runGoldenCase compares them), and a case that did not pass counts for nothing.
 */
export function caseOutcome(goldenCase: GoldenCase, outcome: GoldenOutcome): CaseOutcome {
  const expect = goldenCase.expect;
  return {
    name: goldenCase.name,
    source: goldenCase.source,
    passed: outcome.failures.length === 0,
    rulesApplied: outcome.rulesFired,
    grade: 'error' in expect ? null : expect.grade,
  };
}

export interface RuleCoverage {
  readonly rule: string;
  /** JSON path of the rule in the rule-set document */
  readonly location: string;
  /** the leaf indicator or rule group the rule scores */
  readonly appliesTo: string;
  /** its Chinese name: the indicator's name, or the rule group's name (e.g. 单位自设三级指标) */
  readonly indicatorName: string;
  /** names from the first level down to the indicator; empty for a rule group */
  readonly indicatorPath: readonly string[];
  /** the rule's case label (情形) */
  readonly caseLabel: string;
  /** names of the passing cases in which the rule was applied to some item */
  readonly exercisedBy: readonly string[];
  readonly exercised: boolean;
}

export interface BandCoverage {
  readonly code: string;
  readonly name: string;
  readonly label: string;
  /** JSON path of the band in the rule-set document */
  readonly location: string;
  /** inclusive lower bound */
  readonly min: number;
  /** upper bound: the next band's lower bound (exclusive), or the rule set's total (inclusive) for the top band */
  readonly max: number;
  readonly maxInclusive: boolean;
  /** names of the passing, scored cases whose grade is this band */
  readonly exercisedBy: readonly string[];
  readonly exercised: boolean;
}

export interface CaseCoverageReport {
  readonly ruleset: { readonly id: string; readonly version: string };
  /** cases run against this version, and how many of them passed (only those count) */
  readonly cases: { readonly run: number; readonly passed: number; readonly scored: number };
  readonly rules: readonly RuleCoverage[];
  /** from the highest band down */
  readonly bands: readonly BandCoverage[];
  readonly unexercisedRules: readonly RuleCoverage[];
  readonly unexercisedBands: readonly BandCoverage[];
  /** every scoring rule and every grade band is exercised */
  readonly complete: boolean;
}

/**
 * Coverage of a rule-set version by the outcomes of the golden cases meant for it (the caller chooses them, e.g.
 * with caseAppliesTo). A scoring rule is exercised when a passing case applied it to an item; a grade band when a
 * passing case was scored into it. Cases that did not pass count for nothing.
 */
export function caseCoverage(compiled: { readonly document: CoverageRuleSet }, outcomes: readonly CaseOutcome[]): CaseCoverageReport {
  const doc = compiled.document;
  const passing = outcomes.filter((o) => o.passed);
  const casesByRule = new Map<string, string[]>();
  const casesByBand = new Map<string, string[]>();
  for (const o of passing) {
    for (const rule of new Set(o.rulesApplied)) push(casesByRule, rule, o.name);
    if (o.grade !== null) push(casesByBand, o.grade, o.name);
  }

  const indicators = indicatorPaths(doc.indicators);
  const rules: RuleCoverage[] = doc.rules.map((rule, i) => {
    const appliesTo = rule.event.params.appliesTo;
    const path = indicators.get(appliesTo);
    const group = doc.ruleGroups && Object.hasOwn(doc.ruleGroups, appliesTo) ? doc.ruleGroups[appliesTo] : undefined;
    const exercisedBy = casesByRule.get(rule.name) ?? [];
    return {
      rule: rule.name,
      location: `$.rules[${i}]`,
      appliesTo,
      indicatorName: path ? path[path.length - 1]! : (group?.name ?? appliesTo),
      indicatorPath: path ?? [],
      caseLabel: rule.event.params.case,
      exercisedBy,
      exercised: exercisedBy.length > 0,
    };
  });

  const ordered = doc.grades.map((band, i) => ({ band, i })).sort((a, b) => b.band.min - a.band.min);
  const bands: BandCoverage[] = ordered.map(({ band, i }, k) => {
    const exercisedBy = casesByBand.get(band.code) ?? [];
    const above = k > 0 ? ordered[k - 1]!.band : undefined;
    return {
      code: band.code,
      name: band.name,
      label: band.label,
      location: `$.grades[${i}]`,
      min: band.min,
      max: above ? above.min : doc.total,
      maxInclusive: above === undefined,
      exercisedBy,
      exercised: exercisedBy.length > 0,
    };
  });

  const unexercisedRules = rules.filter((r) => !r.exercised);
  const unexercisedBands = bands.filter((b) => !b.exercised);
  return {
    ruleset: { id: doc.id, version: doc.version },
    cases: { run: outcomes.length, passed: passing.length, scored: passing.filter((o) => o.grade !== null).length },
    rules,
    bands,
    unexercisedRules,
    unexercisedBands,
    complete: unexercisedRules.length === 0 && unexercisedBands.length === 0,
  };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indicatorPaths(nodes: readonly CoverageIndicator[]): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const visit = (list: readonly CoverageIndicator[], names: readonly string[]) => {
    for (const node of list) {
      const path = [...names, node.name];
      if (!out.has(node.id)) out.set(node.id, path);
      if (node.children) visit(node.children, path);
    }
  };
  visit(nodes, []);
  return out;
}

const POINTS = (n: number) => String(Math.round(n * 10000) / 10000);

/** 「safeguards.deduct　保障措施（决策 / 项目立项）：有要求未满足，逐项扣分」; a rule group by its name (单位自设三级指标). */
export function ruleLabel(r: RuleCoverage): string {
  const parents = r.indicatorPath.slice(0, -1);
  const where = parents.length > 0 ? `${r.indicatorName}（${parents.join(' / ')}）` : r.indicatorName;
  return `${r.rule}　${where}：${r.caseLabel}`;
}

/** 「良（良好，80 ≤ 总分 < 90）」; 「中（60 ≤ 总分 < 80）」 when the label is the name. */
export function bandLabel(b: BandCoverage): string {
  const range = `${POINTS(b.min)} ≤ 总分 ${b.maxInclusive ? '≤' : '<'} ${POINTS(b.max)}`;
  return b.label === b.name ? `${b.name}（${range}）` : `${b.name}（${b.label}，${range}）`;
}

/** Chinese lines: every scoring rule and grade band with ✓ or ✗, then what is not exercised. */
export function renderCaseCoverage(report: CaseCoverageReport): string[] {
  const { id, version } = report.ruleset;
  const lines: string[] = [];
  lines.push(`${id} ${version} 用例覆盖（运行 ${report.cases.run} 个用例，通过 ${report.cases.passed} 个，其中评分成功 ${report.cases.scored} 个；未通过的用例不计）：`);
  const exercisedRules = report.rules.length - report.unexercisedRules.length;
  lines.push(`  计分规则 ${report.rules.length} 条，有用例覆盖 ${exercisedRules} 条：`);
  for (const r of report.rules) lines.push(`    ${r.exercised ? '✓' : '✗'} ${ruleLabel(r)}${r.exercised ? `　${r.exercisedBy.length} 个用例` : ''}`);
  const exercisedBands = report.bands.length - report.unexercisedBands.length;
  lines.push(`  等级 ${report.bands.length} 档，有用例覆盖 ${exercisedBands} 档：`);
  for (const b of report.bands) lines.push(`    ${b.exercised ? '✓' : '✗'} ${bandLabel(b)}${b.exercised ? `　${b.exercisedBy.length} 个用例` : ''}`);
  lines.push(...summarizeCaseCoverage(report).map((l) => `  ${l}`));
  return lines;
}

/** What is not exercised, one line per kind (rules, bands), or one line saying everything is. */
export function summarizeCaseCoverage(report: CaseCoverageReport): string[] {
  const { id, version } = report.ruleset;
  if (report.complete) return [`${id} ${version}：全部 ${report.rules.length} 条计分规则和 ${report.bands.length} 档等级都有用例覆盖`];
  const lines: string[] = [];
  if (report.unexercisedRules.length > 0) {
    const names = report.unexercisedRules.map((r) => `${r.rule}（${r.indicatorName}：${r.caseLabel}）`);
    lines.push(`${id} ${version}：没有用例覆盖的计分规则（${names.length} 条）：${names.join('、')}`);
  }
  if (report.unexercisedBands.length > 0) {
    const names = report.unexercisedBands.map((b) => bandLabel(b));
    lines.push(`${id} ${version}：没有用例覆盖的等级（${names.length} 档）：${names.join('；')}`);
  }
  return lines;
}

/** The gaps as error details pointing into the rule-set document (for a 422 from the publish gate). */
export function coverageGapDetails(report: CaseCoverageReport, base = '$'): { path: string; message: string }[] {
  const at = (location: string) => base + location.slice(1);
  return [
    ...report.unexercisedRules.map((r) => ({
      path: at(r.location),
      message: `没有测试用例覆盖计分规则 ${r.rule}（${r.indicatorName}：${r.caseLabel}）；请增加一个适用该情形的用例`,
    })),
    ...report.unexercisedBands.map((b) => ({
      path: at(b.location),
      message: `没有测试用例的总分落在等级 ${bandLabel(b)} 内；请增加一个该等级的用例`,
    })),
  ];
}
