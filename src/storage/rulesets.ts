// Published rule-set versions (bundled ones live in rules/ and are not stored).
import type { DB, RuleSetsTable } from './database.js';

export async function findPublishedRuleSet(db: DB, id: string, version: string): Promise<RuleSetsTable | undefined> {
  return db.selectFrom('rulesets').selectAll().where('id', '=', id).where('version', '=', version).executeTakeFirst();
}

/** Published versions without their documents (which are large); see findPublishedRuleSet for one in full. */
export async function listPublishedRuleSets(db: DB, id?: string): Promise<Omit<RuleSetsTable, 'document'>[]> {
  let q = db.selectFrom('rulesets').select(['id', 'version', 'sha256', 'published_by', 'published_at']);
  if (id !== undefined) q = q.where('id', '=', id);
  return q.orderBy('id').orderBy('version').execute();
}

/** Single statement; a concurrent publisher of the same version loses on the primary key and is told by the caller. */
export async function insertPublishedRuleSet(db: DB, row: RuleSetsTable): Promise<boolean> {
  const r = await db.insertInto('rulesets').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}
