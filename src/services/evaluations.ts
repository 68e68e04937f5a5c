// Use-cases around stored evaluations: submit (validate, score, store), read with reviews side by side,
// list, and verify (re-score the stored input with the stored rule-set version).
import { canonicalJson } from '../domain/canonical.js';
import { DomainError } from '../domain/errors.js';
import type { GradeOutcome } from '../domain/grades.js';
import type { ScoreResult } from '../domain/result.js';
import { reviewTotal } from '../domain/review.js';
import type { Submission } from '../domain/submission.js';
import { ENGINE_VERSION } from '../engine/compiled.js';
import { contentHash } from '../engine/hash.js';
import { assertSubmissionShape, scoreWithReference, scoreWithRuleSet } from '../engine/score.js';
import type { EvaluationsTable, ReviewsTable } from '../storage/database.js';
import {
  findByIdempotencyKey,
  findEvaluation,
  insertEvaluation,
  isOfferedListQuery,
  LIST_QUERIES,
  listEvaluations,
  listFiltersOf,
  type EvaluationSummaryRow,
  type ListFilterName,
} from '../storage/evaluations.js';
import { fromJsonText, toJsonText } from '../storage/json.js';
import { listReviews } from '../storage/reviews.js';
import { newId, type Principal, type ServiceDeps } from './deps.js';

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

/** Units see only their own unit's evaluations; for others it is as if the evaluation did not exist. */
export async function findVisibleEvaluation(deps: ServiceDeps, principal: Principal, id: string): Promise<EvaluationsTable> {
  const row = await findEvaluation(deps.db, id);
  if (!row || (principal.role === 'unit' && row.unit_id !== principal.unitId)) throw notFound(id);
  return row;
}

export async function submitEvaluation(
  deps: ServiceDeps,
  principal: Principal,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<{ evaluation: EvaluationView; replayed: boolean }> {
  if (principal.role !== 'unit') throw new DomainError('FORBIDDEN', '只有预算单位可以提交自评评价');
  assertSubmissionShape(body);
  if (body.project.unitId !== principal.unitId) {
    throw new DomainError('FORBIDDEN', `只能为本单位（${principal.unitId}）提交评价`, [
      { path: '$.project.unitId', message: `令牌绑定的单位为「${principal.unitId}」，不能提交「${body.project.unitId}」的评价` },
    ]);
  }
  const inputSha256 = contentHash(body);
  if (idempotencyKey !== undefined) {
    const previous = await findByIdempotencyKey(deps.db, principal.tokenId, idempotencyKey);
    if (previous) return { evaluation: await replay(deps, previous, inputSha256), replayed: true };
  }

  const compiled = await deps.catalog.resolve(body.ruleset.id, body.ruleset.version, body.project.fiscalYear);
  const result = await scoreWithRuleSet(compiled, body);
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
  const inserted = deps.groupCommit ? await deps.groupCommit.insert(row) : await insertEvaluation(deps.db, row);
  if (!inserted) {
    const winner = idempotencyKey !== undefined ? await findByIdempotencyKey(deps.db, principal.tokenId, idempotencyKey) : undefined;
    if (!winner) throw new DomainError('INTERNAL', '评价记录写入失败');
    return { evaluation: await replay(deps, winner, inputSha256), replayed: true };
  }
  return { evaluation: await viewOf(deps, row, { reviews: [], result, input: body }), replayed: false };
}

async function replay(deps: ServiceDeps, previous: EvaluationsTable, inputSha256: string): Promise<EvaluationView> {
  if (previous.input_sha256 !== inputSha256) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', '该 Idempotency-Key 已用于内容不同的提交；重试请发送相同内容，新提交请换一个键', [
      { path: '$', message: `该键对应的评价为 ${previous.id}，其提交内容的 sha256 为 ${previous.input_sha256}` },
    ]);
  }
  return viewOf(deps, previous);
}

export async function getEvaluation(deps: ServiceDeps, principal: Principal, id: string): Promise<EvaluationView> {
  return viewOf(deps, await findVisibleEvaluation(deps, principal, id));
}

/** `known` spares parsing and querying what the caller already has (for an evaluation just stored: everything). */
export async function viewOf(
  deps: ServiceDeps,
  row: EvaluationsTable,
  known: { reviews?: readonly ReviewsTable[]; result?: ScoreResult; input?: Submission } = {},
): Promise<EvaluationView> {
  const result = known.result ?? fromJsonText<ScoreResult>(row.result);
  const input = known.input ?? fromJsonText<Submission>(row.input);
  const reviews = known.reviews ?? (await listReviews(deps.db, row.id));
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
  deps: ServiceDeps,
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
    const compiled = await deps.catalog.get(row.ruleset_id, row.ruleset_version);
    if (!compiled) throw new DomainError('INTERNAL', `评价所用规则集 ${row.ruleset_id} ${row.ruleset_version} 已不可用`);
    review = reviewTotal(
      result,
      new Map([...latest].map(([id, r]) => [id, r.points])),
      compiled.document.grades,
      compiled.document.rounding.decimals,
    );
  }
  return {
    items: result.items.map((i) => ({
      itemId: i.id,
      name: i.name,
      max: i.max,
      selfReported: input.selfAssessment?.items?.[i.id] ?? null,
      recomputed: i.points,
      review: latest.get(i.id) ?? null,
    })),
    total: { selfReported: input.selfAssessment?.total ?? null, recomputed: result.total, review: review?.total ?? null },
    grade: { recomputed: result.grade, review: review?.grade ?? null },
  };
}

export interface EvaluationListQuery {
  readonly unit?: string;
  readonly year?: number;
  readonly ruleset?: string;
  readonly grade?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface EvaluationSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly unitId: string;
  readonly fiscalYear: number;
  readonly projectName: string;
  readonly ruleset: { readonly id: string; readonly version: string; readonly sha256: string };
  readonly total: number;
  readonly gradeCode: string;
}

const summaryOf = (r: EvaluationSummaryRow): EvaluationSummary => ({
  id: r.id,
  createdAt: r.created_at,
  unitId: r.unit_id,
  fiscalYear: r.fiscal_year,
  projectName: r.project_name,
  ruleset: { id: r.ruleset_id, version: r.ruleset_version, sha256: r.ruleset_sha256 },
  total: r.total,
  gradeCode: r.grade_code,
});

function encodeCursor(createdAt: string, id: string): string {
  return btoa(`${createdAt}|${id}`).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const [createdAt, id, ...rest] = text.split('|');
    if (!createdAt || !id || rest.length > 0 || Number.isNaN(Date.parse(createdAt))) throw new Error('shape');
    return { createdAt, id };
  } catch {
    throw new DomainError('BAD_REQUEST', '分页游标 cursor 无效', [{ path: 'cursor', message: '请使用上一页返回的 nextCursor' }]);
  }
}

const FILTER_LABEL: Readonly<Record<ListFilterName, string>> = { unit: '单位', year: '年度', ruleset: '规则集', grade: '等级' };

/** Newest first. Units are limited to their own unit whatever they ask for. Only the combinations of LIST_QUERIES. */
export async function listVisibleEvaluations(
  deps: ServiceDeps,
  principal: Principal,
  q: EvaluationListQuery,
): Promise<{ evaluations: EvaluationSummary[]; nextCursor: string | null }> {
  const limit = q.limit ?? 20;
  const filter = {
    unitId: principal.role === 'unit' ? principal.unitId! : q.unit,
    fiscalYear: q.year,
    rulesetId: q.ruleset,
    gradeCode: q.grade,
  };
  const filters = listFiltersOf(filter);
  if (!isOfferedListQuery(filters)) throw notOffered(principal, filters);
  if (principal.role === 'unit' && q.unit !== undefined && q.unit !== principal.unitId) {
    return { evaluations: [], nextCursor: null };
  }
  const rows = await listEvaluations(deps.db, {
    ...filter,
    after: q.cursor !== undefined ? decodeCursor(q.cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    evaluations: page.map(summaryOf),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** Each list is served from an index in its order; a combination without one would scan and sort, so it is refused. */
function notOffered(principal: Principal, filters: readonly ListFilterName[]): DomainError {
  const offered = LIST_QUERIES.map((c) => (c.length === 0 ? '不筛选' : c.join('+'))).join('、');
  const asked = filters.map((f) => `${FILTER_LABEL[f]}（${f}）`).join(' + ');
  const unitNote = principal.role === 'unit' ? '；预算单位令牌只能查看本单位的评价，即总是按单位筛选，可再按 year 筛选' : '';
  return new DomainError('BAD_REQUEST', `不支持按 ${asked} 组合筛选评价列表；可用的组合：${offered}${unitNote}`, filters
    .filter((f) => f !== 'unit' || principal.role !== 'unit')
    .map((f) => ({ path: `query.${f}`, message: `不能与 ${filters.filter((o) => o !== f).join('、')} 同时使用` })));
}

export interface Difference {
  readonly path: string;
  readonly stored: unknown;
  readonly recomputed: unknown;
}

export interface VerifyReport {
  readonly evaluationId: string;
  readonly identical: boolean;
  readonly ruleset: { readonly id: string; readonly version: string; readonly storedSha256: string; readonly currentSha256: string | null };
  readonly inputSha256Matches: boolean;
  readonly differences: readonly Difference[];
}

/**
 * Re-scores the stored input with the stored rule-set version, with json-rules-engine itself deciding every case
 * (the reference; stored results come from the compiled fast path), and compares with the stored result.
 */
export async function verifyEvaluation(deps: ServiceDeps, principal: Principal, id: string): Promise<VerifyReport> {
  const row = await findVisibleEvaluation(deps, principal, id);
  const compiled = await deps.catalog.get(row.ruleset_id, row.ruleset_version);
  const input = fromJsonText<unknown>(row.input);
  const inputSha256Matches = contentHash(input) === row.input_sha256;
  const base = {
    evaluationId: row.id,
    ruleset: { id: row.ruleset_id, version: row.ruleset_version, storedSha256: row.ruleset_sha256, currentSha256: compiled?.sha256 ?? null },
    inputSha256Matches,
  };
  if (!compiled) {
    return { ...base, identical: false, differences: [{ path: '$.ruleset', stored: `${row.ruleset_id} ${row.ruleset_version}`, recomputed: null }] };
  }
  const stored = fromJsonText<unknown>(row.result);
  let recomputed: unknown;
  try {
    recomputed = await scoreWithReference(compiled, input);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ...base, identical: false, differences: [{ path: '$', stored: 'result', recomputed: `${e.code}: ${e.message}` }] };
  }
  const differences = diff(stored, recomputed, '$');
  if (compiled.sha256 !== row.ruleset_sha256) {
    differences.unshift({ path: '$.ruleset.sha256', stored: row.ruleset_sha256, recomputed: compiled.sha256 });
  }
  return { ...base, identical: differences.length === 0 && inputSha256Matches, differences };
}

/** Leaf-level differences between two JSON values, with JSON paths. */
export function diff(a: unknown, b: unknown, path: string, out: Difference[] = [], limit = 200): Difference[] {
  if (out.length >= limit) return out;
  const isObj = (x: unknown) => x !== null && typeof x === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) diff(a[i], b[i], `${path}[${i}]`, out, limit);
    } else {
      const ra = a as Record<string, unknown>;
      const rb = b as Record<string, unknown>;
      for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) diff(ra[k], rb[k], `${path}.${k}`, out, limit);
    }
    return out;
  }
  if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) out.push({ path, stored: a ?? null, recomputed: b ?? null });
  return out;
}
