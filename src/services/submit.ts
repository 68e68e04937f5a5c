// Use-case: a unit submits an evaluation — validated, scored with the version it names or its fiscal year falls in,
// and stored before the answer. An Idempotency-Key makes retries safe.
import { DomainError } from '../domain/errors.js';
import { ENGINE_VERSION } from '../engine/compiled.js';
import { contentHash } from '../engine/hash.js';
import { assertSubmissionShape, scoreShapeChecked } from '../engine/score.js';
import type { EvaluationsTable } from '../storage/database.js';
import { toJsonText } from '../storage/json.js';
import { newId } from './deps.js';
import { viewOf, type EvaluationView, type ViewDeps } from './evaluation-view.js';
import { authorize } from './policy.js';
import type { Clock, Principal, RuleSetResolver } from './ports.js';

export interface SubmitDeps extends ViewDeps {
  readonly ruleSets: ViewDeps['ruleSets'] & RuleSetResolver;
  readonly clock: Clock;
}

export async function submitEvaluation(
  deps: SubmitDeps,
  principal: Principal,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<{ evaluation: EvaluationView; replayed: boolean }> {
  authorize(principal, 'submitEvaluation');
  assertSubmissionShape(body);
  authorize(principal, 'submitEvaluation', { unitId: body.project.unitId, path: '$.project.unitId' });
  const inputSha256 = contentHash(body);
  if (idempotencyKey !== undefined) {
    const previous = await deps.evaluations.findByIdempotencyKey(principal.tokenId, idempotencyKey);
    if (previous) return { evaluation: await replay(deps, previous, inputSha256), replayed: true };
  }

  const compiled = await deps.ruleSets.resolve(body.ruleset.id, body.ruleset.version, body.project.fiscalYear);
  const result = scoreShapeChecked(compiled, body);
  const row: EvaluationsTable = {
    id: newId('ev'),
    unit_id: body.project.unitId,
    fiscal_year: body.project.fiscalYear,
    project_name: body.project.name,
    ruleset_id: compiled.document.id,
    ruleset_version: compiled.document.version,
    ruleset_sha256: compiled.sha256,
    engine_version: ENGINE_VERSION,
    input: toJsonText(body),
    input_sha256: inputSha256,
    result: toJsonText(result),
    total: result.total,
    grade_code: result.grade.code,
    submitted_by: principal.tokenId,
    idempotency_key: idempotencyKey ?? null,
    created_at: deps.clock().toISOString(),
  };
  // One statement: the row is durable before we answer. A concurrent retry with the same key loses on the
  // unique index and is answered from the winner's row.
  if (!(await deps.evaluations.insert(row))) {
    const winner = idempotencyKey !== undefined ? await deps.evaluations.findByIdempotencyKey(principal.tokenId, idempotencyKey) : undefined;
    if (!winner) throw new DomainError('INTERNAL', '评价记录写入失败');
    return { evaluation: await replay(deps, winner, inputSha256), replayed: true };
  }
  return { evaluation: await viewOf(deps, row, { reviews: [], result, input: body }), replayed: false };
}

async function replay(deps: ViewDeps, previous: EvaluationsTable, inputSha256: string): Promise<EvaluationView> {
  if (previous.input_sha256 !== inputSha256) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', '该 Idempotency-Key 已用于内容不同的提交；重试请发送相同内容，新提交请换一个键', [
      { path: '$', message: `该键对应的评价为 ${previous.id}，其提交内容的 sha256 为 ${previous.input_sha256}` },
    ]);
  }
  return viewOf(deps, previous);
}
