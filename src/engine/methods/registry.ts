// The scoring-method registry every consumer reads: evaluation, the references and templates passes, band coverage.
import type { Award } from '../../domain/ruleset.js';
import type { FactKind } from '../facts.js';
import * as catalogue from './catalogue.js';
import { awardField, fieldsOf, type ScoringMethod } from './method.js';

function register(methods: readonly ScoringMethod[]): ReadonlyMap<string, ScoringMethod> {
  const byName = new Map<string, ScoringMethod>();
  for (const m of methods) {
    if (byName.has(m.name)) throw new Error(`scoring method ${m.name} is registered twice`);
    byName.set(m.name, m);
  }
  return byName;
}

/** Method name (the `method` of an award in a rule file) → method. A Map: the name is data from the rule set. */
export const SCORING_METHODS: ReadonlyMap<string, ScoringMethod> = register(Object.values(catalogue));

/** The method of an award; the schema admits only registered names, so a miss is a broken invariant. */
export function methodOf(award: Award): ScoringMethod {
  const method = SCORING_METHODS.get(award.method);
  if (!method) throw new Error(`unknown scoring method ${award.method}`);
  return method;
}

export interface AwardFactReference {
  /** the award field */
  readonly field: string;
  /** the fact it names */
  readonly fact: string;
  readonly accepts: Exclude<FactKind, 'boolean'>;
}

/** The facts an award computes with, field by field in the method's order (fields the award leaves out are skipped). */
export function awardFactReferences(award: Award): AwardFactReference[] {
  const method = SCORING_METHODS.get(award.method);
  if (!method) return [];
  const out: AwardFactReference[] = [];
  for (const [field, spec] of fieldsOf(method)) {
    if (spec.kind !== 'fact') continue;
    const fact = awardField(award, field);
    if (typeof fact === 'string') out.push({ field, fact, accepts: spec.accepts });
  }
  return out;
}
