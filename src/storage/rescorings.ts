// Re-scoring runs and their result rows (new rows only; evaluations are never updated).
import type { DB, EvaluationsTable, RescoreRunsTable, RescoringsTable } from './database.js';

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
}

export type EvaluationForRescore = Pick<EvaluationsTable, 'id' | 'input' | 'total' | 'grade_code'>;

/** A page of evaluations in id order after `afterId`, for keyset pagination over any number of rows. */
export async function evaluationsToRescore(db: DB, selection: RescoreSelection, afterId: string, limit: number): Promise<EvaluationForRescore[]> {
  let q = db.selectFrom('evaluations').select(['id', 'input', 'total', 'grade_code']).where('id', '>', afterId);
  if (selection.fiscalYear !== undefined) q = q.where('fiscal_year', '=', selection.fiscalYear);
  if (selection.rulesetId !== undefined) q = q.where('ruleset_id', '=', selection.rulesetId);
  return q.orderBy('id').limit(limit).execute();
}

export async function countEvaluations(db: DB, selection: RescoreSelection): Promise<number> {
  let q = db.selectFrom('evaluations').select((eb) => eb.fn.countAll<number>().as('n'));
  if (selection.fiscalYear !== undefined) q = q.where('fiscal_year', '=', selection.fiscalYear);
  if (selection.rulesetId !== undefined) q = q.where('ruleset_id', '=', selection.rulesetId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}
