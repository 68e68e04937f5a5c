// Structural validation of rule sets, submissions, results and golden cases with the generated (standalone) validators.
import type { ErrorDetail } from '../domain/errors.js';
import {
  validateDispute,
  validateDisputeAnswer,
  validateGoldenCase,
  validatePublishRequest,
  validateResult,
  validateReview,
  validateRuleSet,
  validateSubmission,
  type ValidateFunction,
} from './generated/validators.js';
import { boundsErrors, type BoundedDocument } from './bounds.js';
import { toErrorDetails } from './messages.js';
import { isSubmission } from './generated/quick-validators.js';

function run(validate: ValidateFunction, data: unknown): ErrorDetail[] {
  return validate(data) ? [] : toErrorDetails(validate.errors);
}

/** Bounds first: the all-errors validator's work grows with the input, the pre-pass's never exceeds its limits. */
function bounded(kind: BoundedDocument, validate: ValidateFunction, data: unknown): ErrorDetail[] {
  const outOfBounds = boundsErrors(data, kind);
  return outOfBounds.length > 0 ? outOfBounds : run(validate, data);
}

export const ruleSetShapeErrors = (data: unknown): ErrorDetail[] => bounded('validateRuleSet', validateRuleSet, data);
/**
 * A valid submission passes the stop-at-first-error validator (the schema has no recursion, so it meets no deep
 * stack; and what it accepts is within every bound); only an invalid one pays for the bounds pass and every message.
 */
export const submissionShapeErrors = (data: unknown): ErrorDetail[] =>
  isSubmission(data) ? [] : bounded('validateSubmission', validateSubmission, data);
export const resultShapeErrors = (data: unknown): ErrorDetail[] => run(validateResult, data);
export const goldenCaseShapeErrors = (data: unknown): ErrorDetail[] => bounded('validateGoldenCase', validateGoldenCase, data);
export const reviewShapeErrors = (data: unknown): ErrorDetail[] => bounded('validateReview', validateReview, data);
export const publishRequestShapeErrors = (data: unknown): ErrorDetail[] => bounded('validatePublishRequest', validatePublishRequest, data);
export const disputeShapeErrors = (data: unknown): ErrorDetail[] => bounded('validateDispute', validateDispute, data);
export const disputeAnswerShapeErrors = (data: unknown): ErrorDetail[] => bounded('validateDisputeAnswer', validateDisputeAnswer, data);

export { jsonPathFromPointer, toErrorDetails, capDetails, MAX_DETAILS } from './messages.js';
export { boundsErrors, MAX_DEPTH, MAX_ITEMS, MAX_NODES, MAX_PROPERTIES, MAX_STRING_LENGTH, type BoundedDocument } from './bounds.js';
