// Use-case: score a submission (choose the rule-set version it names or its fiscal year falls in, then score).
import type { ScoreResult } from '../domain/result.js';
import type { CompiledRuleSet } from '../engine/compiled.js';
import { assertSubmissionShape, scoreWithRuleSet } from '../engine/score.js';

/** What picks the version: a RuleSetRegistry (files) or the service's RuleSetCatalog (files and database). */
export interface RuleSetResolver {
  resolve(id: string, version: string | undefined, fiscalYear: number): CompiledRuleSet | Promise<CompiledRuleSet>;
}

export async function scoreSubmission(rules: RuleSetResolver, input: unknown): Promise<ScoreResult> {
  assertSubmissionShape(input);
  const compiled = await rules.resolve(input.ruleset.id, input.ruleset.version, input.project.fiscalYear);
  return scoreWithRuleSet(compiled, input);
}
