// The scoring-method registry against everything else that names methods: the schema's award list and fields (both
// directions), each method's default explanation and placeholders, and the golden cases under rules/*/cases. Each
// check is a function run on the real registry (must find nothing) and on a doctored one (must find the fault).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FactDeclaration } from '../../src/domain/ruleset.js';
import type { GoldenCase } from '../../src/engine/check/index.js';
import type { FactScope } from '../../src/engine/facts.js';
import { caseAppliesTo } from '../../src/engine/golden.js';
import { fieldsOf, type AwardField, type ScoringMethod } from '../../src/engine/methods/method.js';
import { SCORING_METHODS, awardFactReferences } from '../../src/engine/methods/registry.js';
import type { ScoringTarget } from '../../src/engine/model.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { availablePlaceholders, placeholderValue } from '../../src/engine/scoring/explain.js';
import { compileTemplate, placeholders } from '../../src/engine/template.js';
import { ruleSetShapeErrors } from '../../src/validation/index.js';
import { ROOT, readJson, ruleSet, shippedRegistry } from '../support.js';

type Json = Record<string, any>;
type Methods = ReadonlyMap<string, ScoringMethod>;

const SCHEMA: Json = readJson('schemas/ruleset.schema.json');

/** Where the registry and the schema's award definition disagree (empty when they agree both ways). */
function schemaDisagreements(methods: Methods, schema: Json): string[] {
  const award = schema.$defs.award;
  const out: string[] = [];
  if (award.discriminator?.propertyName !== 'method') out.push('the award definition is not discriminated by method');
  const branches = new Map<string, Json>();
  for (const branch of award.oneOf as Json[]) {
    const name = branch.properties?.method?.const;
    if (typeof name !== 'string') out.push(`a oneOf branch without a method const: ${JSON.stringify(branch)}`);
    else branches.set(name, branch);
  }
  for (const name of branches.keys()) if (!methods.has(name)) out.push(`schema method ${name} is not registered`);
  for (const [name, method] of methods) {
    const branch = branches.get(name);
    if (!branch) {
      out.push(`registered method ${name} is not in the schema`);
      continue;
    }
    if (branch.additionalProperties !== false) out.push(`${name}: the schema branch admits other properties`);
    const schemaFields = Object.keys(branch.properties).filter((f) => f !== 'method');
    const fields = new Map(fieldsOf(method));
    for (const f of schemaFields) if (!fields.has(f)) out.push(`${name}.${f} is in the schema, not in the registry`);
    for (const [f, spec] of fields) {
      const property = branch.properties[f];
      if (!property) {
        out.push(`${name}.${f} is in the registry, not in the schema`);
        continue;
      }
      if (!fieldMatches(spec, property)) out.push(`${name}.${f}: registry says ${JSON.stringify(spec)}, schema says ${JSON.stringify(property)}`);
      if (spec.required !== (branch.required as string[]).includes(f)) out.push(`${name}.${f}: required differs`);
    }
  }
  return out;
}

function fieldMatches(spec: AwardField, property: Json): boolean {
  switch (spec.kind) {
    case 'fact':
      return property.$ref === '#/$defs/factRef';
    case 'number':
      return property.type === 'number';
    case 'choice':
      return Array.isArray(property.enum) && JSON.stringify([...property.enum].sort()) === JSON.stringify([...spec.values].sort());
    case 'object':
      return property.type === 'object';
  }
}

/** A leaf declaring the facts a method's example names, of the kinds its fields accept. */
function exampleTarget(method: ScoringMethod): ScoringTarget {
  const facts: Record<string, FactDeclaration> = Object.create(null);
  for (const { fact, accepts } of awardFactReferences(method.example.award)) {
    const value = method.example.facts[fact];
    facts[fact] = accepts === 'string' ? { label: fact, type: 'string', enum: [String(value)] } : { label: fact, type: accepts };
  }
  const scope: FactScope = { facts, derived: Object.create(null), checklist: method.example.checklist ?? [] };
  return { id: 'leaf', kind: 'leaf', name: '示例指标', scope, rules: [], location: '$.indicators[0]' };
}

/** Why a method's default explanation or placeholders do not work on its own example (empty when they do). */
function explanationProblems(method: ScoringMethod): string[] {
  const out: string[] = [];
  const template = method.defaultExplanation(method.example.award);
  if (template.trim() === '') return [`${method.name}: empty default explanation`];
  const target = exampleTarget(method);
  const available = availablePlaceholders(target, method.name);
  for (const p of placeholders(template)) if (!available.has(p.name)) out.push(`${method.name}: {${p.name}} does not resolve`);
  const facts = Object.assign(Object.create(null), method.example.facts);
  const outcome = method.award(method.example.award, { facts, w: 10, declaredMax: 10, scope: target.scope });
  const values = Object.keys(outcome.values).sort();
  if (JSON.stringify(values) !== JSON.stringify([...method.placeholders].sort())) {
    out.push(`${method.name}: declares placeholders ${method.placeholders.join(',')} but computes ${values.join(',')}`);
  }
  const ctx = { points: outcome.points, max: 10, declaredMax: 10, name: '示例指标', caseLabel: '示例', facts, indicator: undefined, values: outcome.values };
  const text = compileTemplate(template)((name) => placeholderValue(ctx, name));
  if (text.includes('—') || /[{}]/.test(text)) out.push(`${method.name}: renders as ${text}`);
  return out;
}

const cases: GoldenCase[] = readdirSync(join(ROOT, 'rules')).flatMap((id) =>
  readdirSync(join(ROOT, 'rules', id, 'cases')).map((f) => ({ ...readJson<Omit<GoldenCase, 'source'>>(`rules/${id}/cases/${f}`), source: `rules/${id}/cases/${f}` })),
);

/** The methods of the cases that fired while scoring every golden case with every shipped version it applies to. */
function methodsExercisedByGoldenCases(): Set<string> {
  const registry = shippedRegistry();
  const exercised = new Set<string>();
  for (const c of cases) {
    for (const version of registry.ids().flatMap((id) => registry.versions(id)).filter((v) => caseAppliesTo(v, c))) {
      if ('error' in c.expect) continue;
      for (const item of scoreWithRuleSet(version, c.submission).items) if (item.case) exercised.add(item.case.method);
    }
  }
  return exercised;
}

const uncovered = (methods: Methods, exercised: ReadonlySet<string>) => [...methods.keys()].filter((m) => !exercised.has(m));

/** A copy of the registry with one more method (a copy of `like` under another name). */
function withExtra(name: string, like: string, change: Partial<ScoringMethod> = {}): Methods {
  const base = SCORING_METHODS.get(like)!;
  return new Map([...SCORING_METHODS, [name, { ...base, name, ...change } as ScoringMethod]]);
}

describe('scoring-method registry ↔ schemas/ruleset.schema.json', () => {
  it('lists the same methods with the same fields, kinds and required fields, both ways', () => {
    expect(schemaDisagreements(SCORING_METHODS, SCHEMA)).toEqual([]);
    expect(SCORING_METHODS.size).toBe((SCHEMA.$defs.award.oneOf as unknown[]).length);
  });

  it('finds a registered method the schema lacks, and a schema method nobody registered', () => {
    expect(schemaDisagreements(withExtra('bogus', 'positive'), SCHEMA)).toEqual(['registered method bogus is not in the schema']);
    const fewer = structuredClone(SCHEMA);
    fewer.$defs.award.oneOf = fewer.$defs.award.oneOf.filter((b: Json) => b.properties.method.const !== 'equal');
    expect(schemaDisagreements(SCORING_METHODS, fewer)).toEqual(['registered method equal is not in the schema']);
    const more = structuredClone(SCHEMA);
    more.$defs.award.oneOf.push({ additionalProperties: false, required: ['method'], properties: { method: { const: 'extra' } } });
    expect(schemaDisagreements(SCORING_METHODS, more)).toEqual(['schema method extra is not registered']);
  });

  it('finds a field the registry lacks, one the schema lacks, a wrong kind and a wrong required flag', () => {
    const positiveFields = new Map(fieldsOf(SCORING_METHODS.get('positive')!));
    const renamed = withExtra('positive', 'positive', { fields: { actual: positiveFields.get('actual'), goal: positiveFields.get('target') } as never });
    expect(schemaDisagreements(renamed, SCHEMA)).toEqual(['positive.target is in the schema, not in the registry', 'positive.goal is in the registry, not in the schema']);
    const wrongKind = withExtra('thresholdRate', 'thresholdRate', {
      fields: { rate: { kind: 'fact', accepts: 'number', required: true, label: '' }, threshold: { kind: 'fact', accepts: 'number', required: true, label: '' } } as never,
    });
    expect(schemaDisagreements(wrongKind, SCHEMA)).toHaveLength(1);
    const optional = withExtra('negative', 'negative', { fields: { ...SCORING_METHODS.get('negative')!.fields, variant: { kind: 'choice', values: ['ratio', 'linear'], required: false, label: '' } } as never });
    expect(schemaDisagreements(optional, SCHEMA)).toEqual(['negative.variant: required differs']);
  });

  it("each method's example award is valid under the schema (the generated validator)", () => {
    for (const method of SCORING_METHODS.values()) {
      const doc: Json = ruleSet('gd-meizhou-2022');
      doc.rules[0].event.params.award = method.example.award;
      expect(ruleSetShapeErrors(doc), method.name).toEqual([]);
    }
    const doc: Json = ruleSet('gd-meizhou-2022');
    doc.rules[0].event.params.award = { method: 'positive', actual: 'spent' };
    expect(ruleSetShapeErrors(doc).map((e) => e.path)).toContain('$.rules[0].event.params.award.target');
  });
});

describe('default explanations and placeholders', () => {
  it("every method's default explanation resolves on its example, and it computes exactly the placeholders it declares", () => {
    for (const method of SCORING_METHODS.values()) expect(explanationProblems(method), method.name).toEqual([]);
  });

  it("every method's own checks pass its example", () => {
    for (const method of SCORING_METHODS.values()) {
      expect(method.check?.(method.example.award, exampleTarget(method).scope) ?? [], method.name).toEqual([]);
    }
  });

  it('finds a default explanation naming a value the method does not give, and undeclared placeholders', () => {
    const positive = SCORING_METHODS.get('positive')!;
    expect(explanationProblems({ ...positive, defaultExplanation: () => '得 {points} 分，超出 {overrun|percent}' })).toEqual([
      'positive: {overrun} does not resolve',
      'positive: renders as 得 8 分，超出 —',
    ]);
    expect(explanationProblems({ ...positive, defaultExplanation: () => ' ' })).toEqual(['positive: empty default explanation']);
    expect(explanationProblems({ ...positive, placeholders: ['ratio'] })).toEqual([
      'positive: declares placeholders ratio but computes overAchieved,ratio',
    ]);
  });
});

describe('golden-case coverage', () => {
  const exercised = methodsExercisedByGoldenCases();

  it('every registered method is exercised by some golden case under rules/*/cases', () => {
    expect(uncovered(SCORING_METHODS, exercised)).toEqual([]);
  });

  it('a registered method no golden case exercises is reported', () => {
    expect(uncovered(withExtra('bogus', 'full'), exercised)).toEqual(['bogus']);
    const without = new Set(exercised);
    without.delete('fraction');
    expect(uncovered(SCORING_METHODS, without)).toEqual(['fraction']);
  });
});
