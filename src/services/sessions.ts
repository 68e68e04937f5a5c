// Use-cases of the web pages' sign-in: a token entered once becomes a session (random secret in an HttpOnly cookie,
// its sha256 in the database) that lasts while the person keeps working, up to an absolute limit, and never outlives
// its token. Drafts of the unit's form are kept per token, bounded in size and number.
import { DomainError } from '../domain/errors.js';
import { sha256Hex } from '../engine/hash.js';
import type { DraftsTable, DraftSummary } from '../storage/drafts.js';
import { newId, randomHex } from './deps.js';
import { authorize } from './policy.js';
import type { Authenticator, DraftStore, Principal, SessionStore } from './ports.js';

export interface SessionPolicy {
  /** a session unused this long ends */
  readonly idleMs: number;
  /** and none lasts longer than this from sign-in */
  readonly absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
/** last_seen is written at most this often, so a busy page costs one write a minute, not one per request */
const TOUCH_EVERY_MS = 60_000;

export interface SessionDeps {
  readonly sessions: SessionStore;
  readonly authenticate: Authenticator;
}

export async function signIn(
  deps: SessionDeps,
  token: string,
  now: Date,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<{ secret: string; principal: Principal }> {
  const principal = await deps.authenticate(token.trim(), now);
  if (!principal) throw new DomainError('UNAUTHENTICATED', '令牌无效、已过期或已被吊销，请核对后重新输入');
  const secret = randomHex(32);
  await deps.sessions.deleteEnded(now.toISOString());
  await deps.sessions.insert({
    id: sha256Hex(secret),
    token_id: principal.tokenId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    idle_expires_at: new Date(now.getTime() + policy.idleMs).toISOString(),
    absolute_expires_at: new Date(now.getTime() + policy.absoluteMs).toISOString(),
  });
  return { secret, principal };
}

/** Who the session's cookie stands for, or null (unknown, idle or past its absolute limit, token revoked or expired). */
export async function sessionPrincipal(
  deps: Pick<SessionDeps, 'sessions'>,
  secret: string,
  now: Date,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<Principal | null> {
  if (!/^[0-9a-f]{64}$/.test(secret)) return null;
  const id = sha256Hex(secret);
  const row = await deps.sessions.findWithToken(id);
  if (!row) return null;
  const nowIso = now.toISOString();
  const ended =
    row.idle_expires_at <= nowIso ||
    row.absolute_expires_at <= nowIso ||
    row.token_revoked_at !== null ||
    (row.token_expires_at !== null && row.token_expires_at <= nowIso);
  if (ended) {
    await deps.sessions.delete(id);
    return null;
  }
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    try {
      await deps.sessions.touch(id, nowIso, new Date(now.getTime() + policy.idleMs).toISOString());
    } catch {
      // bookkeeping: a read-only database must not sign people out of reading
    }
  }
  return { tokenId: row.token_id, role: row.role, unitId: row.unit_id };
}

export async function signOut(deps: Pick<SessionDeps, 'sessions'>, secret: string): Promise<void> {
  if (/^[0-9a-f]{64}$/.test(secret)) await deps.sessions.delete(sha256Hex(secret));
}

// ---- drafts

export const MAX_DRAFT_BYTES = 512 * 1024;
export const MAX_DRAFTS_PER_TOKEN = 20;
export const MAX_DRAFT_FIELDS = 5000;

export interface DraftDeps {
  readonly drafts: DraftStore;
}

export type DraftFields = readonly (readonly [string, string])[];

export interface DraftContent {
  readonly rulesetId: string;
  readonly rulesetVersion: string;
  readonly fiscalYear: number;
  readonly title: string;
  readonly fields: DraftFields;
}

const DRAFT_ID = /^dr_[0-9a-f]{24}$/;

export function newDraftId(): string {
  return newId('dr');
}

/** Drafts belong to whoever may submit (a unit's token); they are its own and nobody else's. */
export async function saveDraft(deps: DraftDeps, principal: Principal, id: string, content: DraftContent, now: Date): Promise<void> {
  authorize(principal, 'submitEvaluation');
  if (!DRAFT_ID.test(id)) throw new DomainError('BAD_REQUEST', '草稿编号格式不对');
  if (content.fields.length > MAX_DRAFT_FIELDS) throw new DomainError('PAYLOAD_TOO_LARGE', `草稿的字段超过 ${MAX_DRAFT_FIELDS} 个，未保存`);
  const fields = JSON.stringify(content.fields);
  if (fields.length > MAX_DRAFT_BYTES) throw new DomainError('PAYLOAD_TOO_LARGE', `草稿超过 ${MAX_DRAFT_BYTES / 1024} KiB，未保存`);
  const existing = await deps.drafts.find(principal.tokenId, id);
  if (!existing && (await deps.drafts.count(principal.tokenId)) >= MAX_DRAFTS_PER_TOKEN) {
    throw new DomainError('BAD_REQUEST', `草稿已有 ${MAX_DRAFTS_PER_TOKEN} 份，请先删除不再需要的草稿`);
  }
  const row: DraftsTable = {
    id,
    token_id: principal.tokenId,
    ruleset_id: content.rulesetId,
    ruleset_version: content.rulesetVersion,
    fiscal_year: content.fiscalYear,
    title: content.title.slice(0, 200),
    fields,
    created_at: existing?.created_at ?? now.toISOString(),
    updated_at: now.toISOString(),
  };
  await deps.drafts.upsert(row);
}

export async function listDrafts(deps: DraftDeps, principal: Principal): Promise<DraftSummary[]> {
  authorize(principal, 'submitEvaluation');
  return deps.drafts.list(principal.tokenId, MAX_DRAFTS_PER_TOKEN);
}

export async function getDraft(deps: DraftDeps, principal: Principal, id: string): Promise<DraftContent & { id: string; updatedAt: string }> {
  authorize(principal, 'submitEvaluation');
  const row = DRAFT_ID.test(id) ? await deps.drafts.find(principal.tokenId, id) : undefined;
  if (!row) throw new DomainError('NOT_FOUND', `没有编号为「${id}」的草稿`);
  const parsed: unknown = JSON.parse(row.fields);
  const fields = Array.isArray(parsed)
    ? parsed.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string')
    : [];
  return { id: row.id, rulesetId: row.ruleset_id, rulesetVersion: row.ruleset_version, fiscalYear: row.fiscal_year, title: row.title, fields, updatedAt: row.updated_at };
}

export async function deleteDraft(deps: DraftDeps, principal: Principal, id: string): Promise<void> {
  authorize(principal, 'submitEvaluation');
  if (DRAFT_ID.test(id)) await deps.drafts.delete(principal.tokenId, id);
}
