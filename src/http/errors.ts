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
  SCORING_INVARIANT_BROKEN: 500,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details: ErrorDetail[] };
}

export function errorResponse(c: Context, code: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  const body: ErrorBody = { error: { code, message, requestId, details: [...details] } };
  if (code === 'UNAUTHENTICATED') c.header('WWW-Authenticate', 'Bearer');
  return c.json(body, STATUS_OF[code]);
}

/** Hono onError: domain errors map by code; anything else is logged here and answered as a bare 500. */
export function handleError(err: Error, c: Context, log: (line: string) => void = console.error) {
  if (err instanceof DomainError) {
    if (STATUS_OF[err.code] >= 500) log(`[${c.get('requestId')}] ${err.code}: ${err.message}`);
    return errorResponse(c, err.code, err.message, err.details);
  }
  log(`[${c.get('requestId')}] unexpected error: ${err.stack ?? err.message}`);
  return errorResponse(c, 'INTERNAL', '服务器内部错误，请稍后重试；如持续出现请联系管理员并提供 requestId');
}
