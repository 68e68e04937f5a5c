// Use-case: list stored evaluations, newest first, a page at a time. Only the filter combinations an index serves in
// list order (LIST_QUERIES) are offered; a unit sees its own unit's evaluations only, whatever it asks for.
import { DomainError } from '../domain/errors.js';
import { isOfferedListQuery, LIST_QUERIES, listFiltersOf, type EvaluationSummaryRow, type ListFilterName } from '../storage/evaluations.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { authorize, decide, unitScope } from './policy.js';
import type { EvaluationStore, Principal } from './ports.js';

export interface ListDeps {
  readonly evaluations: EvaluationStore;
}

export interface EvaluationListQuery {
  readonly unit?: string;
  readonly year?: number;
  readonly ruleset?: string;
  readonly grade?: string;
  /** the reviewer's queue: not yet reviewed */
  readonly pending?: true;
  /** the self-assessment differs from the recomputed points */
  readonly discrepancies?: true;
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
  readonly hasDiscrepancies: boolean;
  readonly reviewed: boolean;
}

export const DEFAULT_PAGE_SIZE = 20;

const summaryOf = (r: EvaluationSummaryRow): EvaluationSummary => ({
  id: r.id,
  createdAt: r.created_at,
  unitId: r.unit_id,
  fiscalYear: r.fiscal_year,
  projectName: r.project_name,
  ruleset: { id: r.ruleset_id, version: r.ruleset_version, sha256: r.ruleset_sha256 },
  total: r.total,
  gradeCode: r.grade_code,
  hasDiscrepancies: r.has_discrepancies === 1,
  reviewed: r.reviewed === 1,
});

const FILTER_LABEL: Readonly<Record<ListFilterName, string>> = {
  unit: '单位',
  year: '年度',
  ruleset: '规则集',
  grade: '等级',
  pending: '未复核',
  discrepancies: '有差异',
};

export async function listEvaluations(
  deps: ListDeps,
  principal: Principal,
  q: EvaluationListQuery,
): Promise<{ evaluations: EvaluationSummary[]; nextCursor: string | null }> {
  authorize(principal, 'listEvaluations');
  const scope = unitScope(principal, 'listEvaluations');
  const limit = q.limit ?? DEFAULT_PAGE_SIZE;
  const filter = {
    unitId: scope ?? q.unit,
    fiscalYear: q.year,
    rulesetId: q.ruleset,
    gradeCode: q.grade,
    ...(q.pending ? { pending: true as const } : {}),
    ...(q.discrepancies ? { discrepancies: true as const } : {}),
  };
  const filters = listFiltersOf(filter);
  if (!isOfferedListQuery(filters)) throw notOffered(scope !== null, filters);
  // asking for another unit than one's own shows nothing (as if that unit had no evaluations)
  if (q.unit !== undefined && decide(principal, 'listEvaluations', q.unit) === 'leftOut') return { evaluations: [], nextCursor: null };
  const rows = await deps.evaluations.list({
    ...filter,
    after: q.cursor !== undefined ? decodeCursor(q.cursor) : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    evaluations: page.map(summaryOf),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

/** Each list is served from an index in its order; a combination without one would scan and sort, so it is refused. */
function notOffered(confinedToUnit: boolean, filters: readonly ListFilterName[]): DomainError {
  const offered = LIST_QUERIES.map((c) => (c.length === 0 ? '不筛选' : c.join('+'))).join('、');
  const asked = filters.map((f) => `${FILTER_LABEL[f]}（${f}）`).join(' + ');
  const unitNote = confinedToUnit ? '；预算单位令牌只能查看本单位的评价，即总是按单位筛选，可再按 year 筛选' : '';
  return new DomainError('BAD_REQUEST', `不支持按 ${asked} 组合筛选评价列表；可用的组合：${offered}${unitNote}`, filters
    .filter((f) => f !== 'unit' || !confinedToUnit)
    .map((f) => ({ path: `query.${f}`, message: `不能与 ${filters.filter((o) => o !== f).join('、')} 同时使用` })));
}
