// 佐证材料 rows (which evaluation and item a stored file belongs to); appended, never edited.
import type { DB } from './database.js';

export interface EvidenceTable {
  id: string;
  evaluation_id: string;
  item_id: string;
  sha256: string;
  file_name: string;
  size: number;
  media_type: string;
  uploaded_by: string;
  uploaded_at: string;
}

export async function insertEvidence(db: DB, row: EvidenceTable): Promise<void> {
  await db.insertInto('evidence').values(row).execute();
}

export async function listEvidence(db: DB, evaluationId: string): Promise<EvidenceTable[]> {
  return db.selectFrom('evidence').selectAll().where('evaluation_id', '=', evaluationId).orderBy('item_id').orderBy('uploaded_at').orderBy('id').execute();
}

export async function findEvidence(db: DB, id: string): Promise<EvidenceTable | undefined> {
  return db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Bytes already attached to an evaluation (its 100 MB budget). */
export async function evidenceBytes(db: DB, evaluationId: string): Promise<number> {
  const row = await db
    .selectFrom('evidence')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
    .where('evaluation_id', '=', evaluationId)
    .executeTakeFirstOrThrow();
  return Number(row.bytes);
}
