// Use-case: read one stored evaluation with its reviews side by side (self-reported, recomputed and review points).
import { DomainError } from '../domain/errors.js';
import type { GradeOutcome } from '../domain/grades.js';
import type { ScoreResult } from '../domain/result.js';
import { reviewTotal } from '../domain/review.js';
import type { Submission } from '../domain/submission.js';
import { whatItWouldTake, type WhatItWouldTake } from '../engine/what-it-would-take.js';
import type { EvaluationsTable, ReviewsTable } from '../storage/database.js';
import { fromJsonText } from '../storage/json.js';
import { authorize, type Action } from './policy.js';
import type { EvaluationStore, Principal, ReviewStore, RuleSetLookup } from './ports.js';

export interface ViewDeps {
  readonly evaluations: EvaluationStore;
  readonly reviews: ReviewStore;
  readonly ruleSets: RuleSetLookup;
}

export interface StoredReviewItem {
  readonly itemId: string;
  readonly points: number;
  readonly reason: string;
}

export interface EvaluationView {
  readonly id: string;
  readonly createdAt: string;
  readonly unitId: string;
  readonly fiscalYear: number;
  readonly projectName: string;
  readonly submittedBy: string;
  readonly ruleset: { readonly id: string; readonly version: string; readonly sha256: string };
  readonly engineVersion: string;
  readonly inputSha256: string;
  readonly input: Submission;
  readonly result: ScoreResult;
  /** computed from the stored result when shown, never stored (so verify still compares the stored result alone); null
   * when the evaluation's rule-set version is no longer available */
  readonly whatItWouldTake: WhatItWouldTake | null;
  readonly comparison: {
    readonly items: readonly {
      readonly itemId: string;
      readonly name: string;
      readonly max: number;
      readonly selfReported: number | null;
      readonly recomputed: number;
      readonly review: { readonly points: number; readonly reason: string; readonly reviewer: string; readonly reviewedAt: string } | null;
    }[];
    readonly total: { readonly selfReported: number | null; readonly recomputed: number; readonly review: number | null };
    readonly grade: { readonly recomputed: GradeOutcome; readonly review: GradeOutcome | null };
  };
  readonly reviews: readonly {
    readonly id: string;
    readonly reviewer: string;
    readonly createdAt: string;
    readonly comment: string | null;
    readonly items: readonly StoredReviewItem[];
  }[];
}

function notFound(id: string): DomainError {
  return new DomainError('NOT_FOUND', `没有编号为「${id}」的评价记录`);
}

/**
 * The stored evaluation `action` is about, once the policy allows it. Another unit's evaluation is answered exactly
 * like one that does not exist.
 */
export async function findEvaluationFor(
  deps: Pick<ViewDeps, 'evaluations'>,
  principal: Principal,
  action: Action,
  id: string,
): Promise<EvaluationsTable> {
  authorize(principal, action); // role first: a refused role learns nothing about which ids exist
  const row = await deps.evaluations.find(id);
  if (!row) throw notFound(id);
  authorize(principal, action, { unitId: row.unit_id, notFound: () => notFound(id) });
  return row;
}

export async function getEvaluation(deps: ViewDeps, principal: Principal, id: string): Promise<EvaluationView> {
  return viewOf(deps, await findEvaluationFor(deps, principal, 'readEvaluation', id));
}

/** `known` spares parsing and querying what the caller already has (for an evaluation just stored: everything). */
export async function viewOf(
  deps: ViewDeps,
  row: EvaluationsTable,
  known: { reviews?: readonly ReviewsTable[]; result?: ScoreResult; input?: Submission } = {},
): Promise<EvaluationView> {
  const result = known.result ?? fromJsonText<ScoreResult>(row.result);
  const input = known.input ?? fromJsonText<Submission>(row.input);
  const reviews = known.reviews ?? (await deps.reviews.listFor(row.id));
  const compiled = await deps.ruleSets.get(row.ruleset_id, row.ruleset_version);
  return {
    id: row.id,
    createdAt: row.created_at,
    unitId: row.unit_id,
    fiscalYear: row.fiscal_year,
    projectName: row.project_name,
    submittedBy: row.submitted_by,
    ruleset: { id: row.ruleset_id, version: row.ruleset_version, sha256: row.ruleset_sha256 },
    engineVersion: row.engine_version,
    inputSha256: row.input_sha256,
    input,
    result,
    whatItWouldTake: compiled ? whatItWouldTake(compiled, result, input) : null,
    comparison: await compare(deps, row, result, input, reviews),
    reviews: reviews.map((r) => ({
      id: r.id,
      reviewer: r.reviewer,
      createdAt: r.created_at,
      comment: r.comment,
      items: fromJsonText<StoredReviewItem[]>(r.items),
    })),
  };
}

async function compare(
  deps: Pick<ViewDeps, 'ruleSets'>,
  row: EvaluationsTable,
  result: ScoreResult,
  input: Submission,
  reviews: readonly ReviewsTable[],
): Promise<EvaluationView['comparison']> {
  // the latest review of each item counts
  const latest = new Map<string, { points: number; reason: string; reviewer: string; reviewedAt: string }>();
  for (const r of reviews) {
    for (const item of fromJsonText<StoredReviewItem[]>(r.items)) {
      latest.set(item.itemId, { points: item.points, reason: item.reason, reviewer: r.reviewer, reviewedAt: r.created_at });
    }
  }
  let review: { total: number; grade: GradeOutcome } | null = null;
  if (latest.size > 0) {
    const compiled = await deps.ruleSets.get(row.ruleset_id, row.ruleset_version);
    if (!compiled) throw new DomainError('INTERNAL', `评价所用规则集 ${row.ruleset_id} ${row.ruleset_version} 已不可用`);
    review = reviewTotal(
      result,
      new Map([...latest].map(([id, r]) => [id, r.points])),
      compiled.document.grades,
      compiled.document.rounding.decimals,
    );
  }
  const selfReported = input.selfAssessment?.items;
  return {
    items: result.items.map((i) => ({
      itemId: i.id,
      name: i.name,
      max: i.max,
      // item ids are names from the rule set: looked up as own properties only
      selfReported: selfReported !== undefined && Object.hasOwn(selfReported, i.id) ? (selfReported[i.id] ?? null) : null,
      recomputed: i.points,
      review: latest.get(i.id) ?? null,
    })),
    total: { selfReported: input.selfAssessment?.total ?? null, recomputed: result.total, review: review?.total ?? null },
    grade: { recomputed: result.grade, review: review?.grade ?? null },
  };
}
