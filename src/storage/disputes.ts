// 申诉 and their answers: rows appended, never edited. An accepted answer's review score is written by the
// dispute_accepted_review trigger (migrations/0006_disputes.sql) in the same statement.
import type { DB } from './database.js';

export interface DisputesTable {
  id: string;
  evaluation_id: string;
  unit_id: string;
  item_id: string;
  about: 'recomputed' | 'review';
  disputed_points: number;
  claimed_points: number | null;
  criterion: string;
  reason: string;
  raised_by: string;
  raised_at: string;
}

export interface DisputeAnswersTable {
  dispute_id: string;
  decision: 'accepted' | 'rejected';
  review_points: number | null;
  reason: string;
  answered_by: string;
  answered_at: string;
}

export type DisputeWithAnswer = DisputesTable & {
  decision: DisputeAnswersTable['decision'] | null;
  review_points: number | null;
  answer_reason: string | null;
  answered_by: string | null;
  answered_at: string | null;
};

export async function insertDispute(db: DB, row: DisputesTable): Promise<void> {
  await db.insertInto('disputes').values(row).execute();
}

/** false when the dispute was already answered (the first answer stands). */
export async function insertDisputeAnswer(db: DB, row: DisputeAnswersTable): Promise<boolean> {
  const result = await db.insertInto('dispute_answers').values(row).onConflict((oc) => oc.column('dispute_id').doNothing()).executeTakeFirst();
  // D1 counts the trigger's review row too: any row written means this answer was
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

const withAnswer = (db: DB) =>
  db
    .selectFrom('disputes')
    .leftJoin('dispute_answers', 'dispute_answers.dispute_id', 'disputes.id')
    .selectAll('disputes')
    .select([
      'dispute_answers.decision',
      'dispute_answers.review_points',
      'dispute_answers.reason as answer_reason',
      'dispute_answers.answered_by',
      'dispute_answers.answered_at',
    ]);

export async function listDisputes(db: DB, evaluationId: string): Promise<DisputeWithAnswer[]> {
  return (await withAnswer(db).where('disputes.evaluation_id', '=', evaluationId).orderBy('disputes.raised_at').orderBy('disputes.id').execute()) as DisputeWithAnswer[];
}

export async function findDispute(db: DB, id: string): Promise<DisputeWithAnswer | undefined> {
  return (await withAnswer(db).where('disputes.id', '=', id).executeTakeFirst()) as DisputeWithAnswer | undefined;
}
