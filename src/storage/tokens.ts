// API tokens: only their sha256 is stored.
import type { DB, TokensTable } from './database.js';

export async function insertToken(db: DB, row: TokensTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

export async function findActiveTokenByHash(db: DB, tokenHash: string): Promise<TokensTable | undefined> {
  return db.selectFrom('tokens').selectAll().where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).executeTakeFirst();
}
