// Form drafts kept server-side, per token: the form's fields as JSON text, replaced whole on each save.
import type { DB } from './database.js';

export interface DraftsTable {
  id: string;
  token_id: string;
  ruleset_id: string;
  ruleset_version: string;
  fiscal_year: number;
  title: string;
  /** JSON array of [name, value] pairs */
  fields: string;
  created_at: string;
  updated_at: string;
}

export type DraftSummary = Omit<DraftsTable, 'fields'>;

/** One statement: inserts the draft, or replaces its content when the token already has one with this id. */
export async function upsertDraft(db: DB, row: DraftsTable): Promise<void> {
  await db
    .insertInto('drafts')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['token_id', 'id']).doUpdateSet({
        ruleset_id: row.ruleset_id,
        ruleset_version: row.ruleset_version,
        fiscal_year: row.fiscal_year,
        title: row.title,
        fields: row.fields,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

export async function findDraft(db: DB, tokenId: string, id: string): Promise<DraftsTable | undefined> {
  return db.selectFrom('drafts').selectAll().where('token_id', '=', tokenId).where('id', '=', id).executeTakeFirst();
}

export async function listDrafts(db: DB, tokenId: string, limit: number): Promise<DraftSummary[]> {
  return db
    .selectFrom('drafts')
    .select(['id', 'token_id', 'ruleset_id', 'ruleset_version', 'fiscal_year', 'title', 'created_at', 'updated_at'])
    .where('token_id', '=', tokenId)
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countDrafts(db: DB, tokenId: string): Promise<number> {
  const r = await db.selectFrom('drafts').select((eb) => eb.fn.countAll<number>().as('n')).where('token_id', '=', tokenId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function deleteDraft(db: DB, tokenId: string, id: string): Promise<void> {
  await db.deleteFrom('drafts').where('token_id', '=', tokenId).where('id', '=', id).execute();
}
