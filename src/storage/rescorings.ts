// Re-scoring runs and their result rows (new rows only; evaluations are never updated).
import type { SelectQueryBuilder } from 'kysely';
import type { Database, DB, EvaluationsTable, RescoreRunsTable, RescoringsTable } from './database.js';

export async function insertRescoreRun(db: DB, row: RescoreRunsTable): Promise<void> {
  await db.insertInto('rescore_runs').values(row).execute();
}

/**
 * One multi-row INSERT per batch: a single statement, so it needs no interactive transaction. SQLite takes up to
 * 32,766 bound values (500 rows × 9); D1 takes 100 per statement, so a D1 caller passes at most 11 rows.
 */
export async function insertRescorings(db: DB, rows: readonly RescoringsTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('rescorings').values([...rows]).execute();
}

export interface RescoreSelection {
  readonly fiscalYear?: number;
  readonly rulesetId?: string;
  /** fiscal years from (inclusive), e.g. a candidate rule set's fiscalYears.from */
  readonly fiscalYearFrom?: number;
  /** fiscal years to (inclusive); absent: open-ended */
  readonly fiscalYearTo?: number;
  /** only these fiscal years; an empty list selects nothing */
  readonly fiscalYears?: readonly number[];
}

export type EvaluationForRescore = Pick<EvaluationsTable, 'id' | 'unit_id' | 'ruleset_version' | 'input' | 'total' | 'grade_code'>;

type EvaluationsQuery = SelectQueryBuilder<Database, 'evaluations', object>;

/** The selection as WHERE clauses, shared by the page and the count so both see the same rows. */
function whereSelected<Q extends EvaluationsQuery>(q: Q, selection: RescoreSelection): Q {
  let r = q;
  if (selection.fiscalYear !== undefined) r = r.where('fiscal_year', '=', selection.fiscalYear) as Q;
  if (selection.rulesetId !== undefined) r = r.where('ruleset_id', '=', selection.rulesetId) as Q;
  if (selection.fiscalYearFrom !== undefined) r = r.where('fiscal_year', '>=', selection.fiscalYearFrom) as Q;
  if (selection.fiscalYearTo !== undefined) r = r.where('fiscal_year', '<=', selection.fiscalYearTo) as Q;
  if (selection.fiscalYears !== undefined) r = r.where('fiscal_year', 'in', [...selection.fiscalYears]) as Q;
  return r;
}

/** A page of evaluations in id order after `afterId`, for keyset pagination over any number of rows. */
export async function evaluationsToRescore(db: DB, selection: RescoreSelection, afterId: string, limit: number): Promise<EvaluationForRescore[]> {
  if (selection.fiscalYears?.length === 0) return []; // `IN ()` is not SQL
  const q = db.selectFrom('evaluations').select(['id', 'unit_id', 'ruleset_version', 'input', 'total', 'grade_code']).where('id', '>', afterId);
  return whereSelected(q, selection).orderBy('id').limit(limit).execute();
}

export async function countEvaluations(db: DB, selection: RescoreSelection): Promise<number> {
  if (selection.fiscalYears?.length === 0) return 0;
  const q = db.selectFrom('evaluations').select((eb) => eb.fn.countAll<number>().as('n'));
  const row = await whereSelected(q, selection).executeTakeFirstOrThrow();
  return Number(row.n);
}
