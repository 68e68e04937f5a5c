// API tokens: only their sha256 is stored; listings never select it.
import type { CompiledQuery } from 'kysely';
import type { DB, TokensTable } from './database.js';

/** A token as the operator sees it: everything but the hash. */
export type TokenSummary = Omit<TokensTable, 'token_hash'>;

const SUMMARY_COLUMNS = ['id', 'role', 'unit_id', 'label', 'created_at', 'revoked_at', 'expires_at', 'last_used_at'] as const;

export async function insertToken(db: DB, row: TokensTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

function usableTokenQuery(db: DB, tokenHash: string, nowIso: string) {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowIso)]));
}

/** Stand-ins compiled into the query once; each request puts its own values in their places. */
const HASH_SLOT = '\u0000token-hash';
const NOW_SLOT = '\u0000now';
const compiledUsableTokenQuery = new WeakMap<DB, CompiledQuery<TokensTable>>();

/**
 * The token with this hash unless it is revoked or expired at `nowIso` (ISO strings in UTC compare as times).
 * Every request asks this: the query is compiled once per database (in its own dialect) and run with the request's
 * values, instead of being built and compiled anew each time.
 */
export async function findUsableTokenByHash(db: DB, tokenHash: string, nowIso: string): Promise<TokensTable | undefined> {
  let compiled = compiledUsableTokenQuery.get(db);
  if (!compiled) compiledUsableTokenQuery.set(db, (compiled = usableTokenQuery(db, HASH_SLOT, NOW_SLOT).compile()));
  const parameters = compiled.parameters.map((p) => (p === HASH_SLOT ? tokenHash : p === NOW_SLOT ? nowIso : p));
  const { rows } = await db.executeQuery<TokensTable>({ ...compiled, parameters });
  return rows[0];
}

/** One UPDATE: sets last_used_at unless it is already at or after `staleBeforeIso` (so at most one write per period). */
export async function recordTokenUse(db: DB, tokenId: string, nowIso: string, staleBeforeIso: string): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ last_used_at: nowIso })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBeforeIso)]))
    .execute();
}

export async function listTokens(db: DB): Promise<TokenSummary[]> {
  return db.selectFrom('tokens').select(SUMMARY_COLUMNS).orderBy('created_at').orderBy('id').execute();
}

export async function findTokenById(db: DB, tokenId: string): Promise<TokenSummary | undefined> {
  return db.selectFrom('tokens').select(SUMMARY_COLUMNS).where('id', '=', tokenId).executeTakeFirst();
}

/** Revokes the token if it is not revoked yet; true when this call revoked it. */
export async function revokeToken(db: DB, tokenId: string, nowIso: string): Promise<boolean> {
  const r = await db.updateTable('tokens').set({ revoked_at: nowIso }).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}
