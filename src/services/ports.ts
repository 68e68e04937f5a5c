// The small interfaces (ports) the use-cases depend on. Each platform entry builds them — over better-sqlite3 or
// D1 (src/platform/service-deps.ts), a rules/ directory or a bundle — and no use-case knows which.
import type { GoldenCase, Diagnostic } from '../engine/check/index.js';
import type { CompiledRuleSet } from '../engine/compiled.js';
import type {
  EvaluationsTable,
  RescoreRunsTable,
  RescoringsTable,
  ReviewsTable,
  Role,
  RuleSetsTable,
} from '../storage/database.js';
import type { EvaluationFilter, EvaluationSummaryRow } from '../storage/evaluations.js';
import type { EvaluationForRescore, RescoreSelection } from '../storage/rescorings.js';

/** Who is asking: the token's id, its role, and for role unit the one unit it acts for. */
export interface Principal {
  readonly tokenId: string;
  readonly role: Role;
  /** set for role unit: the only unit it may submit for and read */
  readonly unitId: string | null;
}

/** Current time; injected so tests and replays are deterministic. */
export type Clock = () => Date;

/** Stored evaluations: written once, never updated. */
export interface EvaluationStore {
  /** Resolves once the row is durable: true when inserted, false when its idempotency key already holds a row. */
  insert(row: EvaluationsTable): Promise<boolean>;
  find(id: string): Promise<EvaluationsTable | undefined>;
  findByIdempotencyKey(submittedBy: string, key: string): Promise<EvaluationsTable | undefined>;
  /** Newest first; only the filter combinations of LIST_QUERIES. */
  list(filter: EvaluationFilter): Promise<EvaluationSummaryRow[]>;
}

/** Review layers over an evaluation, appended, never edited. */
/** Files by content hash (a folder on Node, an R2 bucket on Workers): written once, read back whole. */
export interface BlobStore {
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Uint8Array | null>;
}

/** 佐证材料 rows. */
export interface EvidenceStore {
  insert(row: import('../storage/evidence.js').EvidenceTable): Promise<void>;
  listFor(evaluationId: string): Promise<import('../storage/evidence.js').EvidenceTable[]>;
  find(id: string): Promise<import('../storage/evidence.js').EvidenceTable | undefined>;
  /** bytes already attached to the evaluation */
  bytesFor(evaluationId: string): Promise<number>;
}

/** 申诉 and their answers (appended; an accepted answer's review score is written with it). */
export interface DisputeStore {
  /** oldest first, each with its answer if any */
  listFor(evaluationId: string): Promise<import('../storage/disputes.js').DisputeWithAnswer[]>;
  find(id: string): Promise<import('../storage/disputes.js').DisputeWithAnswer | undefined>;
  insert(row: import('../storage/disputes.js').DisputesTable): Promise<void>;
  /** false when already answered */
  answer(row: import('../storage/disputes.js').DisputeAnswersTable): Promise<boolean>;
}

export interface ReviewStore {
  /** oldest first */
  listFor(evaluationId: string): Promise<ReviewsTable[]>;
  insert(row: ReviewsTable): Promise<void>;
}

/** Published rule-set versions as stored (bundled ones live in rules/ and are not stored). */
export interface PublishedRuleSetStore {
  find(id: string, version: string): Promise<RuleSetsTable | undefined>;
  /** without the documents (large); by id when given */
  list(id?: string): Promise<Omit<RuleSetsTable, 'document'>[]>;
  /** false when the version is already stored (a concurrent publisher won) */
  insert(row: RuleSetsTable): Promise<boolean>;
}

/** Re-scoring runs and their new result rows. */
export interface RescoreStore {
  count(selection: RescoreSelection): Promise<number>;
  /** in id order after `afterId` */
  page(selection: RescoreSelection, afterId: string, limit: number): Promise<EvaluationForRescore[]>;
  insertRun(row: RescoreRunsTable): Promise<void>;
  insertResults(rows: readonly RescoringsTable[]): Promise<void>;
}

/** The reads of RescoreStore only: an impact preview scores the same selection and can write nothing. */
export type ImpactStore = Pick<RescoreStore, 'count' | 'page'>;

/** The rule-set versions shipped with the code (rules/, or the Workers bundle), already checked. */
export interface BundledRuleSets {
  ids(): string[];
  /** newest first */
  versions(id: string): CompiledRuleSet[];
  get(id: string, version: string): CompiledRuleSet | undefined;
}

/** One rule-set version by id and version, wherever it comes from. */
export interface RuleSetLookup {
  get(id: string, version: string): Promise<CompiledRuleSet | undefined>;
}

/** Picks the version a submission is scored with: the one it names, or the newest covering its fiscal year. */
export interface RuleSetResolver {
  resolve(id: string, version: string | undefined, fiscalYear: number): CompiledRuleSet | Promise<CompiledRuleSet>;
}

/** What publishing needs from the checker: every pass and case run, diagnostics back (no compiled closures). */
export interface RuleSetCheckOutcome {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The rule-set checker: in-process on Workers (its own request isolate), in a worker thread on Node so a large rule
 * set being checked never holds up other requests.
 */
/** How a check is run: the publish gate on case coverage is on unless a caller (the impact preview) turns it off. */
export interface RuleSetCheckOptions {
  readonly requireCaseCoverage?: boolean;
}

export type RuleSetChecker = (document: unknown, cases: readonly GoldenCase[], options?: RuleSetCheckOptions) => Promise<RuleSetCheckOutcome>;

/** The principal a bearer token stands for, or null when it is unknown, revoked or expired at `now`. */
export type Authenticator = (bearerToken: string, now: Date) => Promise<Principal | null>;

/** Browser sessions (src/services/sessions.ts): rows by the sha256 of the cookie's secret, read with their token. */
export interface SessionStore {
  insert(row: import('../storage/sessions.js').SessionsTable): Promise<void>;
  findWithToken(id: string): Promise<import('../storage/sessions.js').SessionWithToken | undefined>;
  touch(id: string, lastSeenAt: string, idleExpiresAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  /** removes every session past its idle or absolute limit at `nowIso` */
  deleteEnded(nowIso: string): Promise<void>;
}

/** Form drafts, per token. */
export interface DraftStore {
  upsert(row: import('../storage/drafts.js').DraftsTable): Promise<void>;
  find(tokenId: string, id: string): Promise<import('../storage/drafts.js').DraftsTable | undefined>;
  list(tokenId: string, limit: number): Promise<import('../storage/drafts.js').DraftSummary[]>;
  count(tokenId: string): Promise<number>;
  delete(tokenId: string, id: string): Promise<void>;
}

/** One stored evaluation to re-score: its id and its stored submission as stored (JSON text). */
export interface RescoreInput {
  readonly id: string;
  readonly input: string;
}

/**
 * What the chosen version gives one stored input: the result as it is stored (JSON text, when asked for), its total
 * and grade code; or, when the version refuses the input (a DomainError), the reason as re-scoring reports it.
 */
export type RescoreOutcome =
  | { readonly ok: true; readonly resultText: string | null; readonly total: number; readonly gradeCode: string }
  | { readonly ok: false; readonly reason: string };

/** Scoring under one rule-set version, a page at a time; outcomes come back in the order of the rows. */
export interface RescoreScoring {
  /** rejects (scoring nothing of the page) on anything but a refusal: a bug, a lost thread */
  score(rows: readonly RescoreInput[]): Promise<RescoreOutcome[]>;
  /** the version is no longer needed (idempotent); pages not yet scored are refused */
  end(): void;
}

/**
 * Re-scoring's scorer: in-process by default (Workers, tests), a pool of worker threads on Node
 * (src/platform/rescore-pool.ts). The rule set is handed over once per run, not per row.
 */
export interface RescoreScorer {
  begin(ruleSet: CompiledRuleSet, options: { readonly resultText: boolean }): RescoreScoring;
}
