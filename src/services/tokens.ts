// API tokens: random, shown once, stored as sha256 only.
import { DomainError } from '../domain/errors.js';
import { sha256Hex } from '../engine/hash.js';
import type { DB, Role, TokensTable } from '../storage/database.js';
import { findActiveTokenByHash, insertToken } from '../storage/tokens.js';
import { newId, randomHex, type Principal } from './deps.js';

const TOKEN_PREFIX = 'jxzp_';
const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface TokenRequest {
  readonly role: Role;
  readonly unitId?: string;
  readonly label?: string;
}

/** A new random token and the row that stands for it (the token itself is not in the row). */
export function newToken(request: TokenRequest, now: Date): { token: string; row: TokensTable } {
  if (!['bureau', 'reviewer', 'unit'].includes(request.role)) {
    throw new DomainError('BAD_REQUEST', `角色只能是 bureau、reviewer 或 unit，不能是「${request.role}」`);
  }
  if (request.role === 'unit' && (!request.unitId || !UNIT_ID.test(request.unitId))) {
    throw new DomainError('BAD_REQUEST', '预算单位（unit）令牌必须绑定一个单位编号（--unit），只能由字母、数字、. _ - 组成');
  }
  if (request.role !== 'unit' && request.unitId) {
    throw new DomainError('BAD_REQUEST', '只有预算单位（unit）令牌才绑定单位编号');
  }
  const token = `${TOKEN_PREFIX}${randomHex(32)}`;
  return {
    token,
    row: {
      id: newId('tok'),
      token_hash: sha256Hex(token),
      role: request.role,
      unit_id: request.role === 'unit' ? request.unitId! : null,
      label: request.label ?? null,
      created_at: now.toISOString(),
      revoked_at: null,
    },
  };
}

export async function createToken(
  db: DB,
  request: TokenRequest,
  now: Date,
): Promise<{ id: string; token: string; role: Role; unitId: string | null }> {
  const { token, row } = newToken(request, now);
  await insertToken(db, row);
  return { id: row.id, token, role: row.role, unitId: row.unit_id };
}

/** The same row as one SQL statement, for databases this process cannot reach (D1: `wrangler d1 execute --file`). */
export function tokenInsertSql(row: TokensTable): string {
  const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
  return `INSERT INTO tokens (id, token_hash, role, unit_id, label, created_at, revoked_at) VALUES (${[
    row.id, row.token_hash, row.role, row.unit_id, row.label, row.created_at, row.revoked_at,
  ].map(q).join(', ')});`;
}

/** The principal a bearer token stands for, or null when it is unknown or revoked. */
export async function authenticate(db: DB, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await findActiveTokenByHash(db, sha256Hex(token));
  return row ? { tokenId: row.id, role: row.role, unitId: row.unit_id } : null;
}
