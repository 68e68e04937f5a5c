// Use-case: score a submission without storing it (choose the rule-set version it names or its fiscal year falls
// in, then score). The CLI scores with a rules/ directory; the service with its catalogue, for any signed-in role.
import type { ScoreResult } from '../domain/result.js';
import { assertSubmissionShape, scoreWithRuleSet } from '../engine/score.js';
import { authorize } from './policy.js';
import type { Principal, RuleSetResolver } from './ports.js';

export type { RuleSetResolver };

export async function scoreSubmission(rules: RuleSetResolver, input: unknown): Promise<ScoreResult> {
  assertSubmissionShape(input);
  const compiled = await rules.resolve(input.ruleset.id, input.ruleset.version, input.project.fiscalYear);
  return scoreWithRuleSet(compiled, input);
}

/** Trial scoring over the service: nothing is stored. */
export async function trialScore(deps: { readonly ruleSets: RuleSetResolver }, principal: Principal, input: unknown): Promise<ScoreResult> {
  authorize(principal, 'score');
  return scoreSubmission(deps.ruleSets, input);
}
