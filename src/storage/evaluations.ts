// Stored evaluations: written once, never updated.
import type { DB, EvaluationsTable } from './database.js';

export async function insertEvaluation(db: DB, row: EvaluationsTable): Promise<boolean> {
  const r = await db
    .insertInto('evaluations')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
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
  /** newest-first position to continue after */
  readonly after?: { readonly createdAt: string; readonly id: string };
  readonly limit: number;
}

export type EvaluationSummaryRow = Omit<EvaluationsTable, 'input' | 'result'>;

export async function listEvaluations(db: DB, f: EvaluationFilter): Promise<EvaluationSummaryRow[]> {
  let q = db
    .selectFrom('evaluations')
    .select([
      'id', 'unit_id', 'fiscal_year', 'project_name', 'ruleset_id', 'ruleset_version', 'ruleset_sha256',
      'engine_version', 'input_sha256', 'total', 'grade_code', 'submitted_by', 'idempotency_key', 'created_at',
    ]);
  if (f.unitId !== undefined) q = q.where('unit_id', '=', f.unitId);
  if (f.fiscalYear !== undefined) q = q.where('fiscal_year', '=', f.fiscalYear);
  if (f.rulesetId !== undefined) q = q.where('ruleset_id', '=', f.rulesetId);
  if (f.gradeCode !== undefined) q = q.where('grade_code', '=', f.gradeCode);
  if (f.after) {
    const { createdAt, id } = f.after;
    q = q.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
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
