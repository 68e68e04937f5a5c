// Use-case: score a submission (choose the rule-set version it names or its fiscal year falls in, then score).
import type { ScoreResult } from '../domain/result.js';
import type { RuleSetRegistry } from '../engine/registry.js';
import { assertSubmissionShape, scoreWithRuleSet } from '../engine/score.js';

export async function scoreSubmission(registry: RuleSetRegistry, input: unknown): Promise<ScoreResult> {
  assertSubmissionShape(input);
  const compiled = registry.resolve(input.ruleset.id, input.ruleset.version, input.project.fiscalYear);
  return scoreWithRuleSet(compiled, input);
}
