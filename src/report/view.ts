// The one report view of an evaluation (design habit 14): every output — the web page, the 自评表 workbook, the Word
// 自评报告 draft, the CLI table — renders these rows and paragraphs and computes no figure of its own.
import type { GradeOutcome } from '../domain/grades.js';
import type { ItemResult, ScoreResult } from '../domain/result.js';
import type { Submission } from '../domain/submission.js';
import type { WhatItWouldTake } from '../engine/what-it-would-take.js';
import type { EvaluationView } from '../services/evaluation-view.js';

/** What a report is made from: a stored evaluation (with reviews), or a trial score (result, input, what it would take). */
export interface ReportSource {
  readonly result: ScoreResult;
  readonly input: Submission;
  readonly whatItWouldTake: WhatItWouldTake | null;
  /** for a stored evaluation */
  readonly evaluation?: Pick<EvaluationView, 'id' | 'createdAt' | 'comparison' | 'reviews'>;
}

export interface ReportEvidence {
  readonly label: string;
  /** ≥, >, ≤, <, =, ≠, 属于, 不属于 */
  readonly operator: string;
  readonly threshold: string;
  readonly actual: string;
  readonly passed: boolean;
}

/** A group (一级/二级 indicator) in table order, before its children. */
export interface ReportGroupRow {
  readonly kind: 'group';
  readonly id: string;
  readonly name: string;
  /** 1 for 一级 */
  readonly level: number;
  readonly levelName: string;
  readonly max: number;
  readonly recomputed: number;
  readonly review: number | null;
  readonly applicable: boolean;
}

/** A scored item (a leaf of the table or one of the unit's own indicators). */
export interface ReportItemRow {
  readonly kind: 'item';
  readonly id: string;
  readonly name: string;
  readonly level: number;
  readonly levelName: string;
  /** names from the first level down */
  readonly path: readonly string[];
  readonly source: 'table' | 'unit';
  readonly applicable: boolean;
  readonly notApplicableReason: string | null;
  readonly max: number;
  readonly declaredMax: number;
  readonly recomputed: number;
  readonly selfReported: number | null;
  readonly review: { readonly points: number; readonly reason: string; readonly reviewer: string; readonly reviewedAt: string } | null;
  /** the points that count: the review's when there is one, else the recomputed */
  readonly final: number;
  /** self-reported ≠ recomputed */
  readonly discrepancy: boolean;
  /** recomputed − self-reported (null without a self-reported score) */
  readonly difference: number | null;
  readonly caseLabel: string | null;
  readonly rule: string | null;
  readonly method: string | null;
  readonly explanation: string;
  readonly evidence: readonly ReportEvidence[];
  /** max − recomputed */
  readonly lost: number;
  /** what it would take to earn the points back, in Chinese (null when nothing was lost) */
  readonly recovery: string | null;
  /** the unit's remark or deviation reason */
  readonly remark: string | null;
  /** for the unit's own indicators: what the unit wrote */
  readonly unitIndicator: {
    readonly direction: string;
    readonly unitOfMeasure: string | null;
    readonly target: string;
    readonly actual: string;
    readonly goal: string | null;
  } | null;
}

export type ReportRow = ReportGroupRow | ReportItemRow;

export interface ReportView {
  readonly evaluation: { readonly id: string; readonly createdAt: string } | null;
  readonly project: {
    readonly name: string;
    readonly code: string | null;
    readonly unitId: string;
    readonly unitName: string;
    readonly fiscalYear: number;
    readonly budgetTotal: number | null;
  };
  readonly ruleset: { readonly id: string; readonly version: string; readonly sha256: string; readonly title: string; readonly provisional: boolean };
  readonly summary: {
    readonly total: number;
    readonly maxTotal: number;
    readonly grade: GradeOutcome;
    readonly selfReported: { readonly total: number | null; readonly grade: string | null } | null;
    readonly review: { readonly total: number; readonly grade: GradeOutcome } | null;
    /** the points that count: the review's total when reviewed */
    readonly final: { readonly total: number; readonly grade: GradeOutcome };
    /** "距『优秀』（≥ 90 分）还差 …" or null at the top band */
    readonly nextGrade: string | null;
    readonly discrepancies: number;
  };
  /** 一级 … 三级 indicators in table order */
  readonly rows: readonly ReportRow[];
  /** first-level indicators (the Word draft writes a paragraph for each) */
  readonly firstLevel: readonly (ReportGroupRow | ReportItemRow)[];
  /** items that lost points, most first */
  readonly pointsLost: readonly { readonly itemId: string; readonly name: string; readonly path: readonly string[]; readonly lost: number; readonly reason: string; readonly recovery: string | null }[];
  /** per performance goal, for rule sets that group the unit's indicators by goal */
  readonly goals: readonly { readonly id: string; readonly name: string; readonly points: number; readonly max: number }[];
  readonly reviews: readonly { readonly reviewer: string; readonly createdAt: string; readonly comment: string | null }[];
  readonly warnings: readonly string[];
}

const LEVEL_NAMES = ['一级指标', '二级指标', '三级指标', '四级指标', '五级指标'];
const OPERATOR_SIGNS = new Map([
  ['greaterThanInclusive', '≥'],
  ['greaterThan', '>'],
  ['lessThanInclusive', '≤'],
  ['lessThan', '<'],
  ['equal', '='],
  ['notEqual', '≠'],
  ['in', '属于'],
  ['notIn', '不属于'],
]);
const DIRECTIONS = new Map([
  ['gte', '正向（≥）'],
  ['lte', '反向（≤）'],
  ['eq', '等于（=）'],
  ['qualitative', '定性'],
]);

const levelName = (level: number) => LEVEL_NAMES[level - 1] ?? `${level}级指标`;
/** Two-decimal points arithmetic without float drift (points have at most 4 decimals). */
const sub = (a: number, b: number) => Math.round((a - b) * 10000) / 10000;

function shown(value: unknown): string {
  if (value === null || value === undefined) return '（未填）';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 10000) / 10000);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map(shown).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function evidenceOf(item: ItemResult): ReportEvidence[] {
  return item.evidence.map((e) => ({
    label: e.label,
    operator: OPERATOR_SIGNS.get(e.operator) ?? e.operator,
    threshold: shown(e.threshold),
    actual: shown(e.actual),
    passed: e.passed,
  }));
}

export function reportView(source: ReportSource): ReportView {
  const { result, input } = source;
  const comparison = source.evaluation?.comparison;
  const byItem = new Map((comparison?.items ?? []).map((c) => [c.itemId, c]));
  const selfItems = input.selfAssessment?.items;
  const recoveries = new Map((source.whatItWouldTake?.items ?? []).map((r) => [r.itemId, r.text]));
  const lostReasons = new Map(result.pointsLost.map((p) => [p.itemId, p.reason]));
  const unitIndicators = new Map((input.indicators ?? []).map((i) => [i.id, i]));
  const goals = new Map((input.goals ?? []).map((g) => [g.id, g.name]));

  const itemRows = new Map<string, ReportItemRow>();
  for (const item of result.items) {
    const compared = byItem.get(item.id);
    const selfReported =
      compared?.selfReported ?? (selfItems !== undefined && Object.hasOwn(selfItems, item.id) ? (selfItems[item.id] ?? null) : null);
    const review = compared?.review ?? null;
    const unit = item.source === 'unit' ? unitIndicators.get(item.id) : undefined;
    const lost = item.applicable ? sub(item.max, item.points) : 0;
    itemRows.set(item.id, {
      kind: 'item',
      id: item.id,
      name: item.name,
      level: item.path.length,
      levelName: levelName(item.path.length),
      path: item.path,
      source: item.source,
      applicable: item.applicable,
      notApplicableReason: item.notApplicableReason ?? null,
      max: item.max,
      declaredMax: item.declaredMax,
      recomputed: item.points,
      selfReported,
      review,
      final: review?.points ?? item.points,
      discrepancy: selfReported !== null && selfReported !== item.points,
      difference: selfReported === null ? null : sub(item.points, selfReported),
      caseLabel: item.case?.label ?? null,
      rule: item.case?.rule ?? null,
      method: item.case?.method ?? null,
      explanation: item.explanation,
      evidence: evidenceOf(item),
      lost,
      recovery: recoveries.get(item.id) ?? null,
      remark: item.remark ?? unit?.deviationReason ?? null,
      unitIndicator: unit
        ? {
            direction: DIRECTIONS.get(unit.direction) ?? unit.direction,
            unitOfMeasure: unit.unitOfMeasure ?? null,
            target: shown(unit.target),
            actual: shown(unit.actual),
            goal: unit.goal !== undefined ? (goals.get(unit.goal) ?? unit.goal) : null,
          }
        : null,
    });
  }

  // groups carry the review subtotal: their items' final points where any was reviewed
  const reviewed = [...itemRows.values()].some((r) => r.review !== null);
  const nodes = new Map(result.nodes.map((n) => [n.id, n]));
  const finalOf = (id: string): number => {
    const item = itemRows.get(id);
    if (item) return item.applicable ? item.final : 0;
    const node = nodes.get(id);
    return node ? node.children.reduce((sum, c) => Math.round((sum + finalOf(c)) * 10000) / 10000, 0) : 0;
  };
  const rows: ReportRow[] = [];
  const firstLevel: (ReportGroupRow | ReportItemRow)[] = [];
  const visit = (id: string) => {
    const node = nodes.get(id);
    if (node) {
      const row: ReportGroupRow = {
        kind: 'group',
        id: node.id,
        name: node.name,
        level: node.level,
        levelName: levelName(node.level),
        max: node.max,
        recomputed: node.points,
        review: reviewed ? finalOf(node.id) : null,
        applicable: node.applicable,
      };
      rows.push(row);
      if (node.level === 1) firstLevel.push(row);
      node.children.forEach(visit);
      return;
    }
    const item = itemRows.get(id);
    if (item) {
      rows.push(item);
      if (item.level === 1) firstLevel.push(item);
    }
  };
  // first-level entries in the table's order: the order of their first items (items are in table order)
  firstLevelOrder(result).forEach(visit);

  const review = comparison?.grade.review && comparison.total.review !== null ? { total: comparison.total.review, grade: comparison.grade.review } : null;
  const pointsLost = [...itemRows.values()]
    .filter((r) => r.lost > 0)
    .sort((a, b) => b.lost - a.lost || rows.indexOf(a) - rows.indexOf(b))
    .map((r) => ({ itemId: r.id, name: r.name, path: r.path, lost: r.lost, reason: lostReasons.get(r.id) ?? r.explanation, recovery: r.recovery }));

  return {
    evaluation: source.evaluation ? { id: source.evaluation.id, createdAt: source.evaluation.createdAt } : null,
    project: {
      name: result.project.name,
      code: result.project.code ?? null,
      unitId: result.project.unitId,
      unitName: result.project.unitName,
      fiscalYear: result.project.fiscalYear,
      budgetTotal: input.project.budgetTotal ?? null,
    },
    ruleset: { ...result.ruleset },
    summary: {
      total: result.total,
      maxTotal: result.maxTotal,
      grade: result.grade,
      selfReported: result.selfReported,
      review,
      final: review ?? { total: result.total, grade: result.grade },
      nextGrade: source.whatItWouldTake?.nextGrade?.text ?? null,
      discrepancies: [...itemRows.values()].filter((r) => r.discrepancy).length,
    },
    rows,
    firstLevel,
    pointsLost,
    goals: (result.goals ?? []).map((g) => ({ id: g.id, name: g.name, points: g.points, max: g.max })),
    reviews: (source.evaluation?.reviews ?? []).map((r) => ({ reviewer: r.reviewer, createdAt: r.createdAt, comment: r.comment })),
    warnings: result.warnings,
  };
}

/** First-level ids in the table's order: items by their position in result.items, groups by their first item. */
function firstLevelOrder(result: ScoreResult): string[] {
  const nodes = new Map(result.nodes.map((n) => [n.id, n]));
  const order: string[] = [];
  for (const item of result.items) {
    let top = item.id;
    for (let node = nodes.get(item.parentId); node; node = nodes.get(node.parentId ?? '')) top = node.id;
    if (!order.includes(top)) order.push(top);
  }
  return order;
}
