// The one place domain error codes become HTTP statuses, and the one error body every response uses:
// {"error":{"code","message","requestId","details":[{"path","message"}]}}. No stack trace ever leaves the process.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors.js';

/** Seconds a client should wait before retrying when storage is unavailable (a lock or a read-only period passes). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;
/** Seconds a token past its share of concurrent requests should wait. */
export const BUSY_TOKEN_RETRY_AFTER_SECONDS = 1;

/** Every error code's HTTP status, what it means for a client, and the headers it is answered with. */
export const ERROR_CODES: Readonly<Record<ErrorCode, { status: ContentfulStatusCode; meaning: string; headers?: Readonly<Record<string, string>> }>> = {
  MALFORMED_JSON: { status: 400, meaning: '请求体为空或不是合法的 JSON' },
  BAD_REQUEST: { status: 400, meaning: '参数有误，或请求体未能完整接收（客户端中断）' },
  UNAUTHENTICATED: { status: 401, meaning: '缺少令牌，或令牌无效、已过期、已吊销', headers: { 'WWW-Authenticate': 'Bearer' } },
  FORBIDDEN: { status: 403, meaning: '令牌的角色或单位无权进行此操作' },
  NOT_FOUND: { status: 404, meaning: '没有该对象（预算单位看不到其他单位的评价，如同不存在）' },
  IDEMPOTENCY_CONFLICT: { status: 409, meaning: 'Idempotency-Key 已用于内容不同的提交' },
  VERSION_CONFLICT: { status: 409, meaning: '该版本已发布且内容不同' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: '请求体超过大小上限' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'Content-Type 不是 application/json' },
  SUBMISSION_INVALID: { status: 422, meaning: '提交数据有误（details 逐处指明路径）' },
  RULESET_NOT_FOUND: { status: 422, meaning: '提交所指的规则集或版本不存在，或没有适用于该财政年度的版本' },
  RULESET_INVALID: { status: 422, meaning: '规则集或随附的测试用例未通过检查（details 为各项诊断）' },
  REVIEW_INVALID: { status: 422, meaning: '复核内容有误' },
  DISPUTE_INVALID: { status: 422, meaning: '申诉或申诉答复有误' },
  DISPUTE_ALREADY_ANSWERED: { status: 409, meaning: '该申诉已答复，答复不可更改' },
  EVIDENCE_REFUSED: { status: 422, meaning: '佐证材料的类型、名称或大小不被接受' },
  TOO_MANY_REQUESTS: { status: 429, meaning: '同一令牌同时进行的请求过多', headers: { 'Retry-After': String(BUSY_TOKEN_RETRY_AFTER_SECONDS) } },
  SCORING_INVARIANT_BROKEN: { status: 500, meaning: '评分结果违反不变式（程序错误）' },
  INTERNAL: { status: 500, meaning: '服务器内部错误' },
  STORAGE_UNAVAILABLE: {
    status: 503,
    meaning: '数据库只读或写锁等待超时，未保存',
    headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_SECONDS) },
  },
  STORAGE_FULL: { status: 507, meaning: '存储空间已满，未保存' },
};

/** The one map from error code to HTTP status. */
export const STATUS_OF: Readonly<Record<ErrorCode, ContentfulStatusCode>> = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, e]) => [code, e.status]),
) as Record<ErrorCode, ContentfulStatusCode>;

export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

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
  const { status, headers } = ERROR_CODES[code];
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  return c.json(body, status);
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
