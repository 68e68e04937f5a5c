// The one place domain error codes become HTTP statuses, and the one error body every response uses:
// {"error":{"code","message","requestId","details":[{"path","message"}]}}. No stack trace ever leaves the process.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors.js';

export const STATUS_OF: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  VERSION_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  SUBMISSION_INVALID: 422,
  RULESET_NOT_FOUND: 422,
  RULESET_INVALID: 422,
  REVIEW_INVALID: 422,
  TOO_MANY_REQUESTS: 429,
  SCORING_INVARIANT_BROKEN: 500,
  INTERNAL: 500,
  STORAGE_UNAVAILABLE: 503,
  STORAGE_FULL: 507,
};

/** Seconds a client should wait before retrying when storage is unavailable (a lock or a read-only period passes). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/**
 * A storage fault as a domain error, from SQLite's result code: better-sqlite3 sets `code` (SQLITE_FULL,
 * SQLITE_READONLY_*, SQLITE_BUSY_*); D1 puts the code in the message. Anything else is not a storage fault.
 */
export function storageFaultOf(err: unknown): DomainError | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  const text = `${typeof code === 'string' ? code : ''} ${err.message}`;
  const cause = { cause: err };
  if (/\bSQLITE_FULL\b/.test(text)) {
    return new DomainError('STORAGE_FULL', '存储空间已满，本次提交未保存；请联系管理员扩容后重试（已保存的评价仍可查询）', [], cause);
  }
  if (/\bSQLITE_READONLY/.test(text)) {
    return new DomainError('STORAGE_UNAVAILABLE', '数据库当前只读，本次提交未保存；请稍后重试（已保存的评价仍可查询）', [], cause);
  }
  if (/\bSQLITE_BUSY/.test(text)) {
    return new DomainError('STORAGE_UNAVAILABLE', '数据库繁忙（等待写锁超时），本次提交未保存；请稍后重试', [], cause);
  }
  return null;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details: ErrorDetail[] };
}

export function errorResponse(c: Context, code: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  const body: ErrorBody = { error: { code, message, requestId, details: [...details] } };
  if (code === 'UNAUTHENTICATED') c.header('WWW-Authenticate', 'Bearer');
  if (code === 'STORAGE_UNAVAILABLE') c.header('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
  return c.json(body, STATUS_OF[code]);
}

/** Hono onError: domain errors map by code, storage faults become theirs; anything else is logged here and answered as a bare 500. */
export function handleError(err: Error, c: Context, log: (line: string) => void = console.error) {
  const domain = err instanceof DomainError ? err : storageFaultOf(err);
  if (domain) {
    if (STATUS_OF[domain.code] >= 500) {
      const cause = domain.cause instanceof Error ? ` (${(domain.cause as { code?: string }).code ?? domain.cause.name}: ${domain.cause.message})` : '';
      log(`[${c.get('requestId')}] ${domain.code}: ${domain.message}${cause}`);
    }
    return errorResponse(c, domain.code, domain.message, domain.details);
  }
  log(`[${c.get('requestId')}] unexpected error: ${err.stack ?? err.message}`);
  return errorResponse(c, 'INTERNAL', '服务器内部错误，请稍后重试；如持续出现请联系管理员并提供 requestId');
}
