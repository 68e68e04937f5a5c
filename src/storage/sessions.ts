// Browser sessions: one row per signed-in browser, found by the sha256 of the cookie's secret, read with its token.
import type { DB, Role } from './database.js';

export interface SessionsTable {
  /** sha256 of the session secret (the cookie holds the secret only) */
  id: string;
  token_id: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
}

/** A session with the token it stands for, as one read. */
export interface SessionWithToken extends SessionsTable {
  role: Role;
  unit_id: string | null;
  token_revoked_at: string | null;
  token_expires_at: string | null;
}

export async function insertSession(db: DB, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSessionWithToken(db: DB, id: string): Promise<SessionWithToken | undefined> {
  return db
    .selectFrom('sessions')
    .innerJoin('tokens', 'tokens.id', 'sessions.token_id')
    .select([
      'sessions.id',
      'sessions.token_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.idle_expires_at',
      'sessions.absolute_expires_at',
      'tokens.role',
      'tokens.unit_id',
      'tokens.revoked_at as token_revoked_at',
      'tokens.expires_at as token_expires_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: DB, id: string, lastSeenAt: string, idleExpiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: DB, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Sessions past either limit, whoever they belonged to (run at each sign-in, so abandoned rows do not pile up). */
export async function deleteEndedSessions(db: DB, nowIso: string): Promise<void> {
  await db.deleteFrom('sessions').where((eb) => eb.or([eb('idle_expires_at', '<=', nowIso), eb('absolute_expires_at', '<=', nowIso)])).execute();
}
