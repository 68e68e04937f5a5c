// Scoring an untrusted submission with a given compiled rule set: shape, facts, then evaluation. All or nothing.
import { DomainError } from '../domain/errors.js';
import type { ScoreResult } from '../domain/result.js';
import type { Submission } from '../domain/submission.js';
import { submissionShapeErrors } from '../validation/index.js';
import type { CompiledRuleSet } from './compiled.js';
import { evaluate, evaluateWithReference } from './evaluate.js';
import { submissionFactErrors } from './submission-check.js';

/** Structural check only (before a rule set is chosen). */
export function assertSubmissionShape(input: unknown): asserts input is Submission {
  const errors = submissionShapeErrors(input);
  if (errors.length > 0) throw new DomainError('SUBMISSION_INVALID', '提交的数据不符合格式要求', errors);
}

function checkedSubmission(compiled: CompiledRuleSet, input: unknown): Submission {
  assertSubmissionShape(input);
  return checkedFacts(compiled, input);
}

function checkedFacts(compiled: CompiledRuleSet, input: Submission): Submission {
  const errors = submissionFactErrors(compiled.index, input);
  if (errors.length > 0) throw new DomainError('SUBMISSION_INVALID', '提交的数据与所用评分规则集不符', errors);
  return input;
}

/** Validates and scores with the fast path (synchronous). */
export function scoreWithRuleSet(compiled: CompiledRuleSet, input: unknown): ScoreResult {
  return evaluate(compiled, checkedSubmission(compiled, input));
}

/**
 * The same for a submission whose shape the caller has just asserted (assertSubmissionShape, to choose the rule set):
 * the facts are checked against the rule set and scored, without asserting the shape a second time.
 */
export function scoreShapeChecked(compiled: CompiledRuleSet, submission: Submission): ScoreResult {
  return evaluate(compiled, checkedFacts(compiled, submission));
}

/** Validates and scores with json-rules-engine deciding every case (the reference). */
export function scoreWithReference(compiled: CompiledRuleSet, input: unknown): Promise<ScoreResult> {
  return evaluateWithReference(compiled, checkedSubmission(compiled, input));
}
