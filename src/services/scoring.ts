// Use-case: score a submission without storing it (choose the rule-set version it names or its fiscal year falls
// in, then score). The CLI scores with a rules/ directory; the service with its catalogue, for any signed-in role.
import type { ScoreResult } from '../domain/result.js';
import { assertSubmissionShape, scoreShapeChecked } from '../engine/score.js';
import { whatItWouldTake, type WhatItWouldTake } from '../engine/what-it-would-take.js';
import { authorize } from './policy.js';
import type { Principal, RuleSetResolver } from './ports.js';

export type { RuleSetResolver };

export async function scoreSubmission(rules: RuleSetResolver, input: unknown): Promise<ScoreResult> {
  assertSubmissionShape(input);
  const compiled = await rules.resolve(input.ruleset.id, input.ruleset.version, input.project.fiscalYear);
  return scoreShapeChecked(compiled, input);
}

/** A result as shown: the result document's fields and, beside them, what it would take (computed, never stored). */
export type ShownResult = ScoreResult & { readonly whatItWouldTake: WhatItWouldTake };

/** Scores a submission and adds what it would take to earn the lost points back. */
export async function scoreAndShow(rules: RuleSetResolver, input: unknown): Promise<ShownResult> {
  assertSubmissionShape(input);
  const compiled = await rules.resolve(input.ruleset.id, input.ruleset.version, input.project.fiscalYear);
  const result = scoreShapeChecked(compiled, input);
  return { ...result, whatItWouldTake: whatItWouldTake(compiled, result, input) };
}

/** Trial scoring over the service: nothing is stored. */
export async function trialScore(deps: { readonly ruleSets: RuleSetResolver }, principal: Principal, input: unknown): Promise<ShownResult> {
  authorize(principal, 'score');
  return scoreAndShow(deps.ruleSets, input);
}
