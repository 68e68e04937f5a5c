// A rule-set version ready to score with: document, content hash, tree index, and per scoring target its
// json-rules-engine Engine, its fast-path runner and its rules with their explanation templates split once.
import type { Engine } from 'json-rules-engine';
import type { RuleSetDocument, ScoringRule } from '../domain/ruleset.js';
import { contentHash } from './hash.js';
import { compileLeanRules, compileRules, type FastRunner, type LeanRunner } from './fast.js';
import { ownValue } from '../domain/submission.js';
import { buildEngine, indexRuleSet, type RuleSetIndex, type ScoringTarget } from './model.js';
import { compileExplanation, type CompiledExplanation } from './scoring/explain.js';

export const ENGINE_NAME = 'jxzp-engine';
/** Bumped whenever scoring behaviour changes, so stored results say which engine produced them. */
export const ENGINE_VERSION = '0.1.0';

export interface CompiledRule {
  readonly rule: ScoringRule;
  readonly explanation: CompiledExplanation;
}

export interface CompiledTarget {
  readonly target: ScoringTarget;
  /** json-rules-engine: the reference semantics */
  readonly engine: Engine;
  /** the same rules compiled into closures: the fast path used for scoring */
  readonly runner: FastRunner;
  /** the same again building no condition trees, giving the evidence of the rule that fired: what scoring runs */
  readonly lean: LeanRunner;
  /** the target's rules by name (the name is what both paths report for a rule that fired) */
  readonly rules: ReadonlyMap<string, CompiledRule>;
}

export interface CompiledRuleSet {
  readonly document: RuleSetDocument;
  readonly sha256: string;
  readonly index: RuleSetIndex;
  /** by scoring-target id (a leaf id, or a rule-group name) */
  readonly targets: ReadonlyMap<string, CompiledTarget>;
  /** json-rules-engine, one per scoring target (the same engines as in `targets`) */
  readonly engines: ReadonlyMap<string, Engine>;
  /** fast-path runners, one per scoring target (the same runners as in `targets`) */
  readonly runners: ReadonlyMap<string, FastRunner>;
}

function compileTarget(target: ScoringTarget): CompiledTarget {
  const rules = new Map<string, CompiledRule>();
  for (const { rule } of target.rules) {
    // the first of a duplicated name, as json-rules-engine's results are matched (the checker refuses duplicates)
    if (!rules.has(rule.name)) rules.set(rule.name, { rule, explanation: compileExplanation(rule.event.params.explanation) });
  }
  const { scope } = target;
  // the evidence label of a fact, as evidenceOf gives it
  const label = (fact: string) => ownValue(scope.facts, fact)?.label ?? ownValue(scope.derived, fact)?.label ?? fact;
  return { target, engine: buildEngine(target.rules), runner: compileRules(target.rules), lean: compileLeanRules(target.rules, label), rules };
}

/** Assumes the document passed the checker (see check.ts); use checkRuleSet to get one from untrusted input. */
export function compileChecked(document: RuleSetDocument): CompiledRuleSet {
  const index = indexRuleSet(document);
  const targets = new Map([...index.targets.values()].map((t) => [t.id, compileTarget(t)] as const));
  const engines = new Map([...targets].map(([id, t]) => [id, t.engine] as const));
  const runners = new Map([...targets].map(([id, t]) => [id, t.runner] as const));
  return { document, sha256: contentHash(document), index, targets, engines, runners };
}
