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
  const errors = submissionFactErrors(compiled.index, input);
  if (errors.length > 0) throw new DomainError('SUBMISSION_INVALID', '提交的数据与所用评分规则集不符', errors);
  return input;
}

/** Validates and scores with the fast path (synchronous). */
export function scoreWithRuleSet(compiled: CompiledRuleSet, input: unknown): ScoreResult {
  return evaluate(compiled, checkedSubmission(compiled, input));
}

/** Validates and scores with json-rules-engine deciding every case (the reference). */
export function scoreWithReference(compiled: CompiledRuleSet, input: unknown): Promise<ScoreResult> {
  return evaluateWithReference(compiled, checkedSubmission(compiled, input));
}
