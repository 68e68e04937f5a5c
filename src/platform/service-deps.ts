// The service's ports over one kysely database (better-sqlite3 on Node, D1 on Workers): the wiring both entries share.
import type { GoldenCase } from '../engine/check/index.js';
import type { AppDeps } from '../http/env.js';
import { BundledAndPublishedRuleSets } from '../services/catalogue.js';
import type { EvaluationGroupCommit } from '../services/group-commit.js';
import type {
  BundledRuleSets,
  Clock,
  EvaluationStore,
  PublishedRuleSetStore,
  RescoreStore,
  ReviewStore,
  RuleSetChecker,
} from '../services/ports.js';
import { checkInProcess } from '../services/publish.js';
import { authenticate } from '../services/tokens.js';
import type { DB } from '../storage/database.js';
import { findByIdempotencyKey, findEvaluation, insertEvaluation, listEvaluations } from '../storage/evaluations.js';
import { countEvaluations, evaluationsToRescore, insertRescoreRun, insertRescorings } from '../storage/rescorings.js';
import { insertReview, listReviews } from '../storage/reviews.js';
import { findPublishedRuleSet, insertPublishedRuleSet, listPublishedRuleSets } from '../storage/rulesets.js';

export function evaluationStoreOver(db: DB, groupCommit?: EvaluationGroupCommit): EvaluationStore {
  return {
    // where submissions are written together (Node); without it each is its own INSERT (Workers)
    insert: groupCommit ? (row) => groupCommit.insert(row) : (row) => insertEvaluation(db, row),
    find: (id) => findEvaluation(db, id),
    findByIdempotencyKey: (submittedBy, key) => findByIdempotencyKey(db, submittedBy, key),
    list: (filter) => listEvaluations(db, filter),
  };
}

export function reviewStoreOver(db: DB): ReviewStore {
  return { listFor: (evaluationId) => listReviews(db, evaluationId), insert: (row) => insertReview(db, row) };
}

export function publishedRuleSetStoreOver(db: DB): PublishedRuleSetStore {
  return {
    find: (id, version) => findPublishedRuleSet(db, id, version),
    list: (id) => listPublishedRuleSets(db, id),
    insert: (row) => insertPublishedRuleSet(db, row),
  };
}

export function rescoreStoreOver(db: DB): RescoreStore {
  return {
    count: (selection) => countEvaluations(db, selection),
    page: (selection, afterId, limit) => evaluationsToRescore(db, selection, afterId, limit),
    insertRun: (row) => insertRescoreRun(db, row),
    insertResults: (rows) => insertRescorings(db, rows),
  };
}

export interface ServiceWiring {
  /** rule sets shipped with the code, checked */
  readonly bundled: BundledRuleSets;
  /** their golden cases (a newly published version of the same id must pass them too) */
  readonly bundledCases: readonly GoldenCase[];
  readonly clock?: Clock;
  /** in-process unless given (Node passes a worker-thread checker) */
  readonly checkRuleSet?: RuleSetChecker;
  readonly groupCommit?: EvaluationGroupCommit;
  readonly readiness?: () => Promise<void>;
}

/** Every port the use-cases and the app need, over `db`. */
export function serviceDepsOver(db: DB, wiring: ServiceWiring): AppDeps {
  const publishedRuleSets = publishedRuleSetStoreOver(db);
  return {
    evaluations: evaluationStoreOver(db, wiring.groupCommit),
    reviews: reviewStoreOver(db),
    publishedRuleSets,
    rescorings: rescoreStoreOver(db),
    ruleSets: new BundledAndPublishedRuleSets(wiring.bundled, publishedRuleSets),
    bundledCases: wiring.bundledCases,
    checkRuleSet: wiring.checkRuleSet ?? checkInProcess,
    clock: wiring.clock ?? (() => new Date()),
    authenticate: (token, now) => authenticate(db, token, now),
    ...(wiring.readiness ? { readiness: wiring.readiness } : {}),
  };
}
