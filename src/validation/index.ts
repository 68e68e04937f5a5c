// Structural validation of rule sets, submissions, results and golden cases with the generated (standalone) validators.
import type { ErrorDetail } from '../domain/errors.js';
import {
  validateGoldenCase,
  validatePublishRequest,
  validateResult,
  validateReview,
  validateRuleSet,
  validateSubmission,
  type ValidateFunction,
} from './generated/validators.js';
import { toErrorDetails } from './messages.js';
import { isSubmission } from './generated/quick-validators.js';

function run(validate: ValidateFunction, data: unknown): ErrorDetail[] {
  return validate(data) ? [] : toErrorDetails(validate.errors);
}

export const ruleSetShapeErrors = (data: unknown): ErrorDetail[] => run(validateRuleSet, data);
/** A valid submission passes the stop-at-first-error validator; only an invalid one pays for every message. */
export const submissionShapeErrors = (data: unknown): ErrorDetail[] => (isSubmission(data) ? [] : run(validateSubmission, data));
export const resultShapeErrors = (data: unknown): ErrorDetail[] => run(validateResult, data);
export const goldenCaseShapeErrors = (data: unknown): ErrorDetail[] => run(validateGoldenCase, data);
export const reviewShapeErrors = (data: unknown): ErrorDetail[] => run(validateReview, data);
export const publishRequestShapeErrors = (data: unknown): ErrorDetail[] => run(validatePublishRequest, data);

export { jsonPathFromPointer, toErrorDetails } from './messages.js';
