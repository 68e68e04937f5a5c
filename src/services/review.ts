// Use-case: a reviewer records review points per item, each with a reason, as a layer over the machine result.
import { DomainError, type ErrorDetail } from '../domain/errors.js';
import type { ScoreResult } from '../domain/result.js';
import { reviewPointsProblem } from '../domain/review.js';
import { fromJsonText, toJsonText } from '../storage/json.js';
import { reviewShapeErrors } from '../validation/index.js';
import { newId } from './deps.js';
import { findEvaluationFor, viewOf, type EvaluationView, type StoredReviewItem, type ViewDeps } from './evaluation-view.js';
import type { Clock, Principal } from './ports.js';

export interface ReviewDeps extends ViewDeps {
  readonly clock: Clock;
}

export async function addReview(deps: ReviewDeps, principal: Principal, evaluationId: string, body: unknown): Promise<EvaluationView> {
  const row = await findEvaluationFor(deps, principal, 'reviewEvaluation', evaluationId);
  const shape = reviewShapeErrors(body);
  if (shape.length > 0) throw new DomainError('REVIEW_INVALID', '复核内容不符合格式要求', shape);
  const review = body as { items: StoredReviewItem[]; comment?: string };

  const result = fromJsonText<ScoreResult>(row.result);
  const compiled = await deps.ruleSets.get(row.ruleset_id, row.ruleset_version);
  const decimals = compiled?.document.rounding.decimals ?? 2;
  const items = new Map(result.items.map((i) => [i.id, i]));
  const seen = new Set<string>();
  const errors: ErrorDetail[] = [];
  review.items.forEach((r, i) => {
    const path = `$.items[${i}]`;
    const item = items.get(r.itemId);
    if (!item) errors.push({ path: `${path}.itemId`, message: `该评价中没有编号为「${r.itemId}」的指标项` });
    else if (!item.applicable) errors.push({ path: `${path}.itemId`, message: `指标「${item.name}」为不适用项，不评分，也不复核` });
    else {
      const problem = reviewPointsProblem(r.points, item.max, decimals);
      if (problem) errors.push({ path: `${path}.points`, message: problem });
    }
    if (seen.has(r.itemId)) errors.push({ path: `${path}.itemId`, message: `指标「${r.itemId}」在本次复核中重复出现` });
    seen.add(r.itemId);
  });
  if (errors.length > 0) throw new DomainError('REVIEW_INVALID', '复核内容有误，未保存', errors);

  await deps.reviews.insert({
    id: newId('rv'),
    evaluation_id: row.id,
    reviewer: principal.tokenId,
    items: toJsonText(review.items.map((r) => ({ itemId: r.itemId, points: r.points, reason: r.reason.trim() }))),
    comment: review.comment ?? null,
    created_at: deps.clock().toISOString(),
  });
  return viewOf(deps, row);
}
