// Stored evaluations: written once, never updated.
import type { DB, EvaluationSummariesTable, EvaluationsTable } from './database.js';

export async function insertEvaluation(db: DB, row: EvaluationsTable): Promise<boolean> {
  const r = await db
    .insertInto('evaluations')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  // > 0, not === 1: D1 counts the summary row its trigger writes (migration 0003) in `changes`, SQLite does not
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function findEvaluation(db: DB, id: string): Promise<EvaluationsTable | undefined> {
  return db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findByIdempotencyKey(db: DB, submittedBy: string, key: string): Promise<EvaluationsTable | undefined> {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where('submitted_by', '=', submittedBy)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export interface EvaluationFilter {
  readonly unitId?: string;
  readonly fiscalYear?: number;
  readonly rulesetId?: string;
  readonly gradeCode?: string;
  /** the reviewer's queue: only evaluations not yet reviewed */
  readonly pending?: true;
  /** only evaluations whose self-assessment differs from the recomputed points */
  readonly discrepancies?: true;
  /** newest-first position to continue after */
  readonly after?: { readonly createdAt: string; readonly id: string };
  readonly limit: number;
}

export type ListFilterName = 'unit' | 'year' | 'ruleset' | 'grade' | 'pending' | 'discrepancies';

/**
 * The list queries offered, by the filters they combine. Each has an index in migrations/0003 whose columns are its
 * equality filters followed by (created_at, id), so its page is read in list order and stops at LIMIT. Any other
 * combination would scan or sort, and is refused.
 */
export const LIST_QUERIES: readonly (readonly ListFilterName[])[] = [
  [],
  ['unit'],
  ['unit', 'year'],
  ['year'],
  ['ruleset'],
  ['ruleset', 'year'],
  ['grade'],
  ['grade', 'year'],
  // the reviewer's queue (migrations/0008_review_queue.sql)
  ['pending'],
  ['pending', 'year'],
  ['discrepancies'],
  ['discrepancies', 'year'],
  ['pending', 'discrepancies'],
];

/** The filters a list query combines, in LIST_QUERIES' order. */
export function listFiltersOf(f: Omit<EvaluationFilter, 'limit' | 'after'>): ListFilterName[] {
  const used: ListFilterName[] = [];
  if (f.unitId !== undefined) used.push('unit');
  if (f.rulesetId !== undefined) used.push('ruleset');
  if (f.gradeCode !== undefined) used.push('grade');
  if (f.pending) used.push('pending');
  if (f.discrepancies) used.push('discrepancies');
  if (f.fiscalYear !== undefined) used.push('year');
  return used;
}

export function isOfferedListQuery(filters: readonly ListFilterName[]): boolean {
  return LIST_QUERIES.some((q) => q.length === filters.length && q.every((name, i) => filters[i] === name));
}

export type EvaluationSummaryRow = Omit<EvaluationSummariesTable, 'has_discrepancies' | 'reviewed'> & { has_discrepancies: number; reviewed: number };

/** Newest first, from evaluation_summaries (never the wide evaluations rows). Only LIST_QUERIES' combinations. */
export function listEvaluationsQuery(db: DB, f: EvaluationFilter) {
  if (!isOfferedListQuery(listFiltersOf(f))) throw new Error(`list query not offered: ${listFiltersOf(f).join('+')}`);
  let q = db
    .selectFrom('evaluation_summaries')
    .select(['id', 'created_at', 'unit_id', 'fiscal_year', 'project_name', 'ruleset_id', 'ruleset_version', 'ruleset_sha256', 'total', 'grade_code', 'has_discrepancies', 'reviewed']);
  if (f.pending) q = q.where('reviewed', '=', 0);
  if (f.discrepancies) q = q.where('has_discrepancies', '=', 1);
  if (f.unitId !== undefined) q = q.where('unit_id', '=', f.unitId);
  if (f.fiscalYear !== undefined) q = q.where('fiscal_year', '=', f.fiscalYear);
  if (f.rulesetId !== undefined) q = q.where('ruleset_id', '=', f.rulesetId);
  if (f.gradeCode !== undefined) q = q.where('grade_code', '=', f.gradeCode);
  if (f.after) {
    // a row value, so the position is a range on the index (an OR of two comparisons would be filtered row by row)
    const { createdAt, id } = f.after;
    q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, id)));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit);
}

export async function listEvaluations(db: DB, f: EvaluationFilter): Promise<EvaluationSummaryRow[]> {
  return listEvaluationsQuery(db, f).execute();
}

/** Several rows in one statement (one commit); returns the ids actually inserted (conflicts are skipped). */
export async function insertEvaluationsReturningIds(db: DB, rows: readonly EvaluationsTable[]): Promise<Set<string>> {
  const inserted = await db
    .insertInto('evaluations')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((r) => r.id));
}
