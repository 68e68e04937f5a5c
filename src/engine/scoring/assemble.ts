// Assembling the result document: each item in one fixed shape, then the whole result (schemas/result.schema.json).
import type { GradeOutcome, NextGrade } from '../../domain/grades.js';
import type { Discrepancy, GoalResult, ItemResult, NodeResult, PointsLost, ScoreResult } from '../../domain/result.js';
import type { Submission } from '../../domain/submission.js';
import { ENGINE_NAME, ENGINE_VERSION, type CompiledRuleSet } from '../compiled.js';
import type { LeafNode } from './instance-tree.js';

/** What scoring decided for an applicable item; the rest comes from its leaf. */
export type ScoredFields = Pick<ItemResult, 'points' | 'max' | 'case' | 'evidence' | 'facts' | 'explanation'>;

/**
 * One item of the result. Built field by field (no spreads), in the same key order for every item: one object shape
 * keeps this hot path fast, and stored results serialise their keys in this order.
 */
function item(leaf: LeafNode, remark: string | undefined, applicable: boolean, f: ScoredFields, notApplicableReason: string | undefined): ItemResult {
  const out: { -readonly [K in keyof ItemResult]: ItemResult[K] } = {
    id: leaf.id,
    name: leaf.name,
    path: leaf.namePath,
    parentId: leaf.parentId,
    source: leaf.source.source,
    applicable,
    points: f.points,
    max: f.max,
    declaredMax: leaf.declaredMax,
    case: f.case,
    evidence: f.evidence,
    facts: f.facts,
    explanation: f.explanation,
  };
  if (notApplicableReason !== undefined) out.notApplicableReason = notApplicableReason;
  if (remark !== undefined) out.remark = remark;
  return out;
}

export function scoredItem(leaf: LeafNode, remark: string | undefined, fields: ScoredFields): ItemResult {
  return item(leaf, remark, true, fields, undefined);
}

export function notApplicableItem(leaf: LeafNode, reason: string, remark: string | undefined, explanation: string): ItemResult {
  return item(leaf, remark, false, { points: 0, max: 0, case: null, evidence: [], facts: {}, explanation }, reason);
}

export interface Aggregates {
  readonly items: readonly ItemResult[];
  readonly nodes: readonly NodeResult[];
  /** undefined unless the rule set groups unit indicators by goal (the field is then left out) */
  readonly goals: readonly GoalResult[] | undefined;
  readonly total: number;
  readonly rescale: ScoreResult['rescale'];
  readonly grade: GradeOutcome;
  readonly nextGrade: NextGrade | null;
  readonly pointsLost: readonly PointsLost[];
  readonly selfReported: ScoreResult['selfReported'];
  readonly discrepancies: readonly Discrepancy[];
  readonly warnings: readonly string[];
}

export function assembleResult(compiled: CompiledRuleSet, submission: Submission, a: Aggregates): ScoreResult {
  const doc = compiled.document;
  return {
    ruleset: { id: doc.id, version: doc.version, sha256: compiled.sha256, title: doc.title, provisional: doc.provisional },
    engine: { name: ENGINE_NAME, version: ENGINE_VERSION },
    project: {
      name: submission.project.name,
      ...(submission.project.code !== undefined ? { code: submission.project.code } : {}),
      unitId: submission.project.unitId,
      unitName: submission.project.unitName,
      fiscalYear: submission.project.fiscalYear,
    },
    items: a.items,
    nodes: a.nodes,
    ...(a.goals !== undefined ? { goals: a.goals } : {}),
    total: a.total,
    maxTotal: doc.total,
    rescale: a.rescale,
    grade: a.grade,
    nextGrade: a.nextGrade,
    pointsLost: a.pointsLost,
    selfReported: a.selfReported,
    discrepancies: a.discrepancies,
    warnings: a.warnings,
  };
}
