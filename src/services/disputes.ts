// Use-case: 申诉. A unit disputes one item's recomputed or review points of its own evaluation, citing the criterion
// and its reason; a reviewer accepts it (which records a review score for the item, with the reason) or rejects it
// with a reason. Both sides are kept; a dispute is answered once.
import { DomainError, type ErrorDetail } from '../domain/errors.js';
import type { ScoreResult } from '../domain/result.js';
import { reviewPointsProblem } from '../domain/review.js';
import type { DisputeWithAnswer } from '../storage/disputes.js';
import { fromJsonText } from '../storage/json.js';
import { disputeAnswerShapeErrors, disputeShapeErrors } from '../validation/index.js';
import { newId } from './deps.js';
import { findEvaluationFor, type StoredReviewItem, type ViewDeps } from './evaluation-view.js';
import type { Clock, DisputeStore, Principal } from './ports.js';

export interface DisputeDeps extends ViewDeps {
  readonly disputes: DisputeStore;
  readonly clock: Clock;
}

export interface Dispute {
  readonly id: string;
  readonly evaluationId: string;
  readonly itemId: string;
  readonly itemName: string;
  readonly about: 'recomputed' | 'review';
  /** the points disputed, as they stood when the dispute was raised */
  readonly disputedPoints: number;
  readonly claimedPoints: number | null;
  readonly criterion: string;
  readonly reason: string;
  readonly raisedBy: string;
  readonly raisedAt: string;
  readonly status: 'open' | 'accepted' | 'rejected';
  readonly answer: { readonly decision: 'accepted' | 'rejected'; readonly points: number | null; readonly reason: string; readonly answeredBy: string; readonly answeredAt: string } | null;
}

function disputeOf(row: DisputeWithAnswer, names: ReadonlyMap<string, string>): Dispute {
  return {
    id: row.id,
    evaluationId: row.evaluation_id,
    itemId: row.item_id,
    itemName: names.get(row.item_id) ?? row.item_id,
    about: row.about,
    disputedPoints: row.disputed_points,
    claimedPoints: row.claimed_points,
    criterion: row.criterion,
    reason: row.reason,
    raisedBy: row.raised_by,
    raisedAt: row.raised_at,
    status: row.decision ?? 'open',
    answer:
      row.decision === null
        ? null
        : { decision: row.decision, points: row.review_points, reason: row.answer_reason ?? '', answeredBy: row.answered_by ?? '', answeredAt: row.answered_at ?? '' },
  };
}

const itemNames = (result: ScoreResult) => new Map(result.items.map((i) => [i.id, i.name]));

export async function listDisputes(deps: DisputeDeps, principal: Principal, evaluationId: string): Promise<Dispute[]> {
  const row = await findEvaluationFor(deps, principal, 'readEvaluation', evaluationId);
  const names = itemNames(fromJsonText<ScoreResult>(row.result));
  return (await deps.disputes.listFor(row.id)).map((d) => disputeOf(d, names));
}

export async function raiseDispute(deps: DisputeDeps, principal: Principal, evaluationId: string, body: unknown): Promise<Dispute> {
  const row = await findEvaluationFor(deps, principal, 'raiseDispute', evaluationId);
  const shape = disputeShapeErrors(body);
  if (shape.length > 0) throw new DomainError('DISPUTE_INVALID', '申诉内容不符合格式要求', shape);
  const request = body as { itemId: string; about: 'recomputed' | 'review'; claimedPoints?: number; criterion: string; reason: string };
  const result = fromJsonText<ScoreResult>(row.result);
  const item = result.items.find((i) => i.id === request.itemId);
  const errors: ErrorDetail[] = [];
  let disputed: number | null = null;
  if (!item) errors.push({ path: '$.itemId', message: `该评价中没有编号为「${request.itemId}」的指标项` });
  else if (!item.applicable) errors.push({ path: '$.itemId', message: `指标「${item.name}」为不适用项，不评分，无可申诉的分数` });
  else if (request.about === 'recomputed') disputed = item.points;
  else {
    // the latest review of the item counts, as on the evaluation page
    const reviews = await deps.reviews.listFor(row.id);
    for (const r of reviews) for (const ri of fromJsonText<StoredReviewItem[]>(r.items)) if (ri.itemId === item.id) disputed = ri.points;
    if (disputed === null) errors.push({ path: '$.about', message: `指标「${item.name}」还没有复核分，只能对复算分申诉` });
  }
  if (item && request.claimedPoints !== undefined) {
    const compiled = await deps.ruleSets.get(row.ruleset_id, row.ruleset_version);
    const problem = reviewPointsProblem(request.claimedPoints, item.max, compiled?.document.rounding.decimals ?? 2);
    if (problem) errors.push({ path: '$.claimedPoints', message: problem });
  }
  if (errors.length > 0 || disputed === null) throw new DomainError('DISPUTE_INVALID', '申诉内容有误，未保存', errors);
  const stored = {
    id: newId('dp'),
    evaluation_id: row.id,
    unit_id: row.unit_id,
    item_id: request.itemId,
    about: request.about,
    disputed_points: disputed,
    claimed_points: request.claimedPoints ?? null,
    criterion: request.criterion.trim(),
    reason: request.reason.trim(),
    raised_by: principal.tokenId,
    raised_at: deps.clock().toISOString(),
  };
  await deps.disputes.insert(stored);
  return disputeOf({ ...stored, decision: null, review_points: null, answer_reason: null, answered_by: null, answered_at: null }, itemNames(result));
}

export async function answerDispute(deps: DisputeDeps, principal: Principal, evaluationId: string, disputeId: string, body: unknown): Promise<Dispute> {
  const row = await findEvaluationFor(deps, principal, 'answerDispute', evaluationId);
  const dispute = await deps.disputes.find(disputeId);
  if (!dispute || dispute.evaluation_id !== row.id) throw new DomainError('NOT_FOUND', `评价「${row.id}」没有编号为「${disputeId}」的申诉`);
  const shape = disputeAnswerShapeErrors(body);
  if (shape.length > 0) throw new DomainError('DISPUTE_INVALID', '申诉答复不符合格式要求', shape);
  const answer = body as { decision: 'accepted' | 'rejected'; points?: number; reason: string };
  const result = fromJsonText<ScoreResult>(row.result);
  const item = result.items.find((i) => i.id === dispute.item_id);
  if (answer.decision === 'accepted' && item) {
    const compiled = await deps.ruleSets.get(row.ruleset_id, row.ruleset_version);
    const problem = reviewPointsProblem(answer.points ?? -1, item.max, compiled?.document.rounding.decimals ?? 2);
    if (problem) throw new DomainError('DISPUTE_INVALID', '申诉答复有误，未保存', [{ path: '$.points', message: problem }]);
  }
  if (answer.decision === 'rejected' && answer.points !== undefined) {
    throw new DomainError('DISPUTE_INVALID', '申诉答复有误，未保存', [{ path: '$.points', message: '驳回申诉时不给分（分数维持不变）' }]);
  }
  const answered = await deps.disputes.answer({
    dispute_id: dispute.id,
    decision: answer.decision,
    review_points: answer.decision === 'accepted' ? (answer.points ?? null) : null,
    reason: answer.reason.trim(),
    answered_by: principal.tokenId,
    answered_at: deps.clock().toISOString(),
  });
  if (!answered) throw new DomainError('DISPUTE_ALREADY_ANSWERED', `申诉「${dispute.id}」已经答复过，答复不可更改`);
  const now = await deps.disputes.find(dispute.id);
  return disputeOf(now!, itemNames(result));
}
