// A rule-set version ready to score with: document, content hash, tree index and engines.
import type { Engine } from 'json-rules-engine';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { contentHash } from './hash.js';
import { compileRules, type FastRunner } from './fast.js';
import { buildEngines, indexRuleSet, type RuleSetIndex } from './model.js';
import { compileTemplate, type CompiledTemplate } from './template.js';

export const ENGINE_NAME = 'jxzp-engine';
/** Bumped whenever scoring behaviour changes, so stored results say which engine produced them. */
export const ENGINE_VERSION = '0.1.0';

export interface CompiledRuleSet {
  readonly document: RuleSetDocument;
  readonly sha256: string;
  readonly index: RuleSetIndex;
  /** json-rules-engine, one per scoring target: the reference semantics */
  readonly engines: ReadonlyMap<string, Engine>;
  /** the same rules compiled into closures: the fast path used for scoring */
  readonly runners: ReadonlyMap<string, FastRunner>;
  /** explanation templates by rule name, split once */
  readonly templates: ReadonlyMap<string, CompiledTemplate>;
}

/** Assumes the document passed the checker (see check.ts); use checkRuleSet to get one from untrusted input. */
export function compileChecked(document: RuleSetDocument): CompiledRuleSet {
  const index = indexRuleSet(document);
  const runners = new Map([...index.targets.values()].map((t) => [t.id, compileRules(t.rules)] as const));
  const templates = new Map(document.rules.map((r) => [r.name, compileTemplate(r.event.params.explanation)] as const));
  return { document, sha256: contentHash(document), index, engines: buildEngines(index), runners, templates };
}
