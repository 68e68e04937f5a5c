// Domain error codes. Messages are for people (Chinese); codes are stable and English. HTTP status is mapped elsewhere.

export type ErrorCode =
  | 'SUBMISSION_INVALID'
  | 'RULESET_NOT_FOUND'
  | 'RULESET_INVALID'
  | 'REVIEW_INVALID'
  | 'DISPUTE_INVALID'
  | 'DISPUTE_ALREADY_ANSWERED'
  | 'EVIDENCE_REFUSED'
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'IDEMPOTENCY_CONFLICT'
  | 'VERSION_CONFLICT'
  | 'SCORING_INVARIANT_BROKEN'
  /** one token has too many requests in flight: retry after the Retry-After seconds */
  | 'TOO_MANY_REQUESTS'
  /** the database cannot grow (disk or quota full): nothing was written */
  | 'STORAGE_FULL'
  /** the database cannot be written now (read-only, or still locked after the busy timeout): nothing was written */
  | 'STORAGE_UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorDetail {
  /** JSON path into the offending document, e.g. $.facts.fundsArrival.arrived */
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** `cause`: the underlying error, for the operator's log only (never sent to the client) */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DomainError';
  }
}

/** Appends a property or index to a JSON path the way people read it: $.a.b[2]. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}
