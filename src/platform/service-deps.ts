// The service's ports over one kysely database (better-sqlite3 on Node, D1 on Workers): the wiring both entries share.
import { DomainError } from '../domain/errors.js';
import type { GoldenCase } from '../engine/check/index.js';
import type { AppDeps } from '../http/env.js';
import { BundledAndPublishedRuleSets } from '../services/catalogue.js';
import type { EvaluationGroupCommit } from '../services/group-commit.js';
import type {
  BundledRuleSets,
  Clock,
  DraftStore,
  SessionStore,
  EvaluationStore,
  PublishedRuleSetStore,
  RescoreStore,
  ReviewStore,
  DisputeStore,
  EvidenceStore,
  BlobStore,
  RuleSetChecker,
} from '../services/ports.js';
import { checkInProcess } from '../services/publish.js';
import { authenticate } from '../services/tokens.js';
import type { DB } from '../storage/database.js';
import { findByIdempotencyKey, findEvaluation, insertEvaluation, listEvaluations } from '../storage/evaluations.js';
import { countEvaluations, evaluationsToRescore, insertRescoreRun, insertRescorings } from '../storage/rescorings.js';
import { findDispute, insertDispute, insertDisputeAnswer, listDisputes } from '../storage/disputes.js';
import { evidenceBytes, findEvidence, insertEvidence, listEvidence } from '../storage/evidence.js';
import { insertReview, listReviews } from '../storage/reviews.js';
import { findPublishedRuleSet, insertPublishedRuleSet, listPublishedRuleSets } from '../storage/rulesets.js';
import { countDrafts, deleteDraft, findDraft, listDrafts, upsertDraft } from '../storage/drafts.js';
import { deleteEndedSessions, deleteSession, findSessionWithToken, insertSession, touchSession } from '../storage/sessions.js';

export function evaluationStoreOver(db: DB, groupCommit?: EvaluationGroupCommit): EvaluationStore {
  return {
    // where submissions are written together (Node); without it each is its own INSERT (Workers)
    insert: groupCommit ? (row) => groupCommit.insert(row) : (row) => insertEvaluation(db, row),
    find: (id) => findEvaluation(db, id),
    findByIdempotencyKey: (submittedBy, key) => findByIdempotencyKey(db, submittedBy, key),
    list: (filter) => listEvaluations(db, filter),
  };
}

export function evidenceStoreOver(db: DB): EvidenceStore {
  return {
    insert: (row) => insertEvidence(db, row),
    listFor: (evaluationId) => listEvidence(db, evaluationId),
    find: (id) => findEvidence(db, id),
    bytesFor: (evaluationId) => evidenceBytes(db, evaluationId),
  };
}

/** Where no blob store is wired (some tests): evidence uploads are refused as storage unavailable, nothing half-written. */
const NO_BLOB_STORE: BlobStore = {
  put: async () => {
    throw new DomainError('STORAGE_UNAVAILABLE', '本服务未配置佐证材料的存储');
  },
  get: async () => null,
};

export function disputeStoreOver(db: DB): DisputeStore {
  return {
    listFor: (evaluationId) => listDisputes(db, evaluationId),
    find: (id) => findDispute(db, id),
    insert: (row) => insertDispute(db, row),
    answer: (row) => insertDisputeAnswer(db, row),
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

export function sessionStoreOver(db: DB): SessionStore {
  return {
    insert: (row) => insertSession(db, row),
    findWithToken: (id) => findSessionWithToken(db, id),
    touch: (id, lastSeenAt, idleExpiresAt) => touchSession(db, id, lastSeenAt, idleExpiresAt),
    delete: (id) => deleteSession(db, id),
    deleteEnded: (nowIso) => deleteEndedSessions(db, nowIso),
  };
}

export function draftStoreOver(db: DB): DraftStore {
  return {
    upsert: (row) => upsertDraft(db, row),
    find: (tokenId, id) => findDraft(db, tokenId, id),
    list: (tokenId, limit) => listDrafts(db, tokenId, limit),
    count: (tokenId) => countDrafts(db, tokenId),
    delete: (tokenId, id) => deleteDraft(db, tokenId, id),
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
  /** where 佐证材料 bytes go (a folder on Node, R2 on Workers) */
  readonly blobs?: BlobStore;
}

/** Every port the use-cases and the app need, over `db`. */
export function serviceDepsOver(db: DB, wiring: ServiceWiring): AppDeps {
  const publishedRuleSets = publishedRuleSetStoreOver(db);
  return {
    evaluations: evaluationStoreOver(db, wiring.groupCommit),
    reviews: reviewStoreOver(db),
    disputes: disputeStoreOver(db),
    evidence: evidenceStoreOver(db),
    blobs: wiring.blobs ?? NO_BLOB_STORE,
    publishedRuleSets,
    rescorings: rescoreStoreOver(db),
    ruleSets: new BundledAndPublishedRuleSets(wiring.bundled, publishedRuleSets),
    bundledCases: wiring.bundledCases,
    checkRuleSet: wiring.checkRuleSet ?? checkInProcess,
    clock: wiring.clock ?? (() => new Date()),
    authenticate: (token, now) => authenticate(db, token, now),
    sessions: sessionStoreOver(db),
    drafts: draftStoreOver(db),
    ...(wiring.readiness ? { readiness: wiring.readiness } : {}),
  };
}
