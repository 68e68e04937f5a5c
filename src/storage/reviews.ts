// Reviews: a layer over an evaluation's machine result, appended, never edited.
import type { DB, ReviewsTable } from './database.js';

export async function insertReview(db: DB, row: ReviewsTable): Promise<void> {
  await db.insertInto('reviews').values(row).execute();
}

export async function listReviews(db: DB, evaluationId: string): Promise<ReviewsTable[]> {
  return db.selectFrom('reviews').selectAll().where('evaluation_id', '=', evaluationId).orderBy('created_at').orderBy('id').execute();
}
