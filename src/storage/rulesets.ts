// Published rule-set versions (bundled ones live in rules/ and are not stored).
import type { CompiledQuery } from 'kysely';
import type { DB, RuleSetsTable } from './database.js';

export async function findPublishedRuleSet(db: DB, id: string, version: string): Promise<RuleSetsTable | undefined> {
  return db.selectFrom('rulesets').selectAll().where('id', '=', id).where('version', '=', version).executeTakeFirst();
}

type ListedRuleSet = Omit<RuleSetsTable, 'document'>;

function listQuery(db: DB, id?: string) {
  let q = db.selectFrom('rulesets').select(['id', 'version', 'sha256', 'published_by', 'published_at']);
  if (id !== undefined) q = q.where('id', '=', id);
  return q.orderBy('id').orderBy('version');
}

/** A stand-in compiled into the query once; each call puts its id in its place. */
const ID_SLOT = '\u0000ruleset-id';
const compiledListOfOne = new WeakMap<DB, CompiledQuery<ListedRuleSet>>();

/**
 * Published versions without their documents (which are large); see findPublishedRuleSet for one in full. The versions
 * of one id are asked for on every submission chosen by fiscal year: that query is compiled once per database.
 */
export async function listPublishedRuleSets(db: DB, id?: string): Promise<ListedRuleSet[]> {
  if (id === undefined) return listQuery(db).execute();
  let compiled = compiledListOfOne.get(db);
  if (!compiled) compiledListOfOne.set(db, (compiled = listQuery(db, ID_SLOT).compile()));
  const parameters = compiled.parameters.map((p) => (p === ID_SLOT ? id : p));
  return (await db.executeQuery<ListedRuleSet>({ ...compiled, parameters })).rows;
}

/** Single statement; a concurrent publisher of the same version loses on the primary key and is told by the caller. */
export async function insertPublishedRuleSet(db: DB, row: RuleSetsTable): Promise<boolean> {
  const r = await db.insertInto('rulesets').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}
