// The database as kysely sees it: one interface per table. JSON columns are text (see json.ts).
import type { Generated, Kysely } from 'kysely';

export interface RuleSetsTable {
  id: string;
  version: string;
  sha256: string;
  document: string;
  published_by: string;
  published_at: string;
}

export interface EvaluationsTable {
  id: string;
  unit_id: string;
  fiscal_year: number;
  project_name: string;
  ruleset_id: string;
  ruleset_version: string;
  ruleset_sha256: string;
  engine_version: string;
  input: string;
  input_sha256: string;
  result: string;
  total: number;
  grade_code: string;
  submitted_by: string;
  idempotency_key: string | null;
  created_at: string;
}

/** A copy of an evaluation's summary columns, written by a trigger on insert (migrations/0003); lists read only this. */
export type EvaluationSummariesTable = Pick<
  EvaluationsTable,
  'id' | 'created_at' | 'unit_id' | 'fiscal_year' | 'project_name' | 'ruleset_id' | 'ruleset_version' | 'ruleset_sha256' | 'total' | 'grade_code'
> & {
  /** 1 when the self-assessment differs from the recomputed points somewhere (set by the insert trigger) */
  has_discrepancies: Generated<number>;
  /** 1 once a review was recorded (set by the reviews trigger, migrations/0008_review_queue.sql) */
  reviewed: Generated<number>;
};

export interface ReviewsTable {
  id: string;
  evaluation_id: string;
  reviewer: string;
  items: string;
  comment: string | null;
  created_at: string;
}

export type Role = 'bureau' | 'reviewer' | 'unit';

export interface TokensTable {
  id: string;
  token_hash: string;
  role: Role;
  unit_id: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  /** ISO time after which the token is refused; null = no expiry (migration 0004) */
  expires_at: string | null;
  /** ISO time of the last authenticated request, recorded at most hourly (migration 0004) */
  last_used_at: string | null;
}

export interface RescoreRunsTable {
  id: string;
  ruleset_id: string;
  ruleset_version: string;
  ruleset_sha256: string;
  engine_version: string;
  selection: string;
  started_at: string;
  started_by: string;
}

export interface RescoringsTable {
  id: string;
  run_id: string;
  evaluation_id: string;
  result: string;
  total: number;
  grade_code: string;
  previous_total: number;
  previous_grade_code: string;
  created_at: string;
}

export interface Database {
  rulesets: RuleSetsTable;
  rescore_runs: RescoreRunsTable;
  rescorings: RescoringsTable;
  evaluations: EvaluationsTable;
  evaluation_summaries: EvaluationSummariesTable;
  reviews: ReviewsTable;
  tokens: TokensTable;
  sessions: import('./sessions.js').SessionsTable;
  drafts: import('./drafts.js').DraftsTable;
  disputes: import('./disputes.js').DisputesTable;
  dispute_answers: import('./disputes.js').DisputeAnswersTable;
  evidence: import('./evidence.js').EvidenceTable;
}

export type DB = Kysely<Database>;
