// API tokens: random, shown once, stored as sha256 only; optionally expiring; last use recorded at most hourly.
import { DomainError } from '../domain/errors.js';
import { sha256Hex } from '../engine/hash.js';
import type { DB, Role, TokensTable } from '../storage/database.js';
import {
  findTokenById,
  findUsableTokenByHash,
  insertToken,
  listTokens as listTokenRows,
  recordTokenUse,
  revokeToken as revokeTokenRow,
  type TokenSummary,
} from '../storage/tokens.js';
import { newId, randomHex, type Principal } from './deps.js';
import { ROLES } from './policy.js';

const TOKEN_PREFIX = 'jxzp_';
const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface TokenRequest {
  readonly role: Role;
  readonly unitId?: string;
  readonly label?: string;
  /** when the token stops working; absent = never */
  readonly expiresAt?: Date;
}

export type { TokenSummary };

const HOUR_MS = 3_600_000;
/** Longest lifetime `--expires` accepts: ten years. */
const MAX_LIFETIME_HOURS = 87_600;

/**
 * A token lifetime as the operator writes it: a whole number of hours (`12h`) or days (`90d`), at least 1 hour and
 * at most 3650 days. Returns milliseconds.
 */
export function parseTokenLifetime(text: string): number {
  const m = /^([1-9][0-9]{0,5})([hd])$/.exec(text.trim());
  const hours = m ? Number(m[1]) * (m[2] === 'd' ? 24 : 1) : NaN;
  if (!(hours >= 1 && hours <= MAX_LIFETIME_HOURS)) {
    throw new DomainError('BAD_REQUEST', `有效期应写成整数小时或天数，如 12h、90d（最长 3650d），不能是「${text}」`);
  }
  return hours * HOUR_MS;
}

/** A new random token and the row that stands for it (the token itself is not in the row). */
export function newToken(request: TokenRequest, now: Date): { token: string; row: TokensTable } {
  if (!ROLES.includes(request.role)) {
    throw new DomainError('BAD_REQUEST', `角色只能是 bureau、reviewer 或 unit，不能是「${request.role}」`);
  }
  if (request.role === 'unit' && (!request.unitId || !UNIT_ID.test(request.unitId))) {
    throw new DomainError('BAD_REQUEST', '预算单位（unit）令牌必须绑定一个单位编号（--unit），只能由字母、数字、. _ - 组成');
  }
  if (request.role !== 'unit' && request.unitId) {
    throw new DomainError('BAD_REQUEST', '只有预算单位（unit）令牌才绑定单位编号');
  }
  if (request.expiresAt !== undefined && !(request.expiresAt.getTime() > now.getTime())) {
    throw new DomainError('BAD_REQUEST', '令牌的到期时间必须晚于创建时间');
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
      expires_at: request.expiresAt?.toISOString() ?? null,
      last_used_at: null,
    },
  };
}

export async function createToken(
  db: DB,
  request: TokenRequest,
  now: Date,
): Promise<{ id: string; token: string; role: Role; unitId: string | null; expiresAt: string | null }> {
  const { token, row } = newToken(request, now);
  await insertToken(db, row);
  return { id: row.id, token, role: row.role, unitId: row.unit_id, expiresAt: row.expires_at };
}

/** The same row as one SQL statement, for databases this process cannot reach (D1: `wrangler d1 execute --file`). */
export function tokenInsertSql(row: TokensTable): string {
  const q = (v: string | null) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
  return `INSERT INTO tokens (id, token_hash, role, unit_id, label, created_at, revoked_at, expires_at, last_used_at) VALUES (${[
    row.id, row.token_hash, row.role, row.unit_id, row.label, row.created_at, row.revoked_at, row.expires_at, row.last_used_at,
  ].map(q).join(', ')});`;
}

/**
 * The principal a bearer token stands for, or null when it is unknown, revoked or expired at `now`.
 * Records the use when the last recorded one is an hour old or more — one conditional UPDATE, so a busy token costs
 * one write an hour, not one per request — and ignores a failure to record it (a read-only or full database must
 * not turn an authenticated read into an error).
 */
export async function authenticate(db: DB, token: string, now: Date = new Date()): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const nowIso = now.toISOString();
  const row = await findUsableTokenByHash(db, sha256Hex(token), nowIso);
  if (!row) return null;
  const staleBefore = new Date(now.getTime() - HOUR_MS).toISOString();
  if (row.last_used_at === null || row.last_used_at < staleBefore) {
    try {
      await recordTokenUse(db, row.id, nowIso, staleBefore);
    } catch {
      // recording use is bookkeeping; the request goes on
    }
  }
  return { tokenId: row.id, role: row.role, unitId: row.unit_id };
}

export async function listTokens(db: DB): Promise<TokenSummary[]> {
  return listTokenRows(db);
}

/** Revokes a token by its id (tok_…); revoking it again is not an error. Returns the token as it now stands. */
export async function revokeToken(db: DB, tokenId: string, now: Date): Promise<{ token: TokenSummary; alreadyRevoked: boolean }> {
  const revoked = await revokeTokenRow(db, tokenId, now.toISOString());
  const token = await findTokenById(db, tokenId);
  if (!token) throw new DomainError('NOT_FOUND', `没有编号为「${tokenId}」的令牌（用 token list 查看令牌编号）`);
  return { token, alreadyRevoked: !revoked };
}
