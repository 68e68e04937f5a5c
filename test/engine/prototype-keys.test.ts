// Finding 3 (submission side and evaluation): names that are also Object.prototype's members (`constructor`,
// `valueOf`, `toString`, `hasOwnProperty`) are data like any other name, in submissions and in rule sets.
import { describe, expect, it } from 'vitest';
import type { RuleSetDocument } from '../../src/domain/ruleset.js';
import { DomainError } from '../../src/domain/errors.js';
import { compileChecked } from '../../src/engine/compiled.js';
import { evidenceOf } from '../../src/engine/evaluate.js';
import { compileRules } from '../../src/engine/fast.js';
import { findDerivedCycle, orderDerived } from '../../src/engine/facts.js';
import { buildEngine, fireRules, type IndexedRule } from '../../src/engine/model.js';
import { scoreWithReference, scoreWithRuleSet } from '../../src/engine/score.js';
import { ROOT, compiled, example } from '../support.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PROTOTYPE_NAMES = ['constructor', 'valueOf', 'toString', 'hasOwnProperty'] as const;

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('a submission naming Object.prototype members', () => {
  const gd = compiled('gd-meizhou-2022');

  it.each(PROTOTYPE_NAMES)('a leaf fact named %s is an unknown fact (SUBMISSION_INVALID), not a 500', (name) => {
    const s = example('meizhou-2022.json');
    s.facts.fundsArrival[name] = 1;
    const e = rejection(() => scoreWithRuleSet(gd, s));
    expect(e.code).toBe('SUBMISSION_INVALID');
    expect(e.details).toEqual([
      { path: `$.facts.fundsArrival.${name}`, message: `指标「资金到位」没有名为「${name}」的数据项（应为：budget、arrived）` },
    ]);
  });

  it.each(PROTOTYPE_NAMES)('a leaf, a not-applicable mark, a remark, a self-assessed item and a checklist answer named %s', (name) => {
    const s = example('meizhou-2022.json');
    s.facts[name] = { budget: 1 };
    s.notApplicable = { [name]: '不适用' };
    s.remarks = { [name]: '说明' };
    s.selfAssessment = { items: { [name]: 1 } };
    s.facts.decisionBasis.requirements[name] = true;
    const e = rejection(() => scoreWithRuleSet(gd, s));
    expect(e.code).toBe('SUBMISSION_INVALID');
    expect(e.details.map((d) => d.path).sort()).toEqual(
      [
        `$.facts.${name}`,
        `$.facts.decisionBasis.requirements.${name}`,
        `$.notApplicable.${name}`,
        `$.remarks.${name}`,
        `$.selfAssessment.items.${name}`,
      ].sort(),
    );
  });

  it('a checklist without an answer for a requirement named toString reports it missing', () => {
    const doc = JSON.parse(readFileSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), 'utf8').replaceAll('"dutyMatch"', '"toString"')) as RuleSetDocument;
    const rules = compileChecked(doc);
    const s = example('meizhou-2022.json');
    delete s.facts.decisionBasis.requirements.dutyMatch;
    const e = rejection(() => scoreWithRuleSet(rules, s));
    expect(e.details).toEqual([{ path: '$.facts.decisionBasis.requirements.toString', message: expect.stringContaining('缺少对要求') }]);
  });
});

/** gd-meizhou-2022 with the leaf fairness renamed valueOf and its fact satisfactionRate renamed constructor. */
function prototypeNamedRuleSet() {
  const text = readFileSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), 'utf8')
    .replaceAll('"fairness"', '"valueOf"')
    .replaceAll('satisfactionRate', 'constructor');
  return compileChecked(JSON.parse(text) as RuleSetDocument);
}

function prototypeNamedSubmission(rate: number) {
  const s = example('meizhou-2022.json');
  delete s.facts.fairness;
  s.facts.valueOf = { constructor: rate };
  s.remarks = {};
  s.selfAssessment = { items: {} };
  return s;
}

describe('a rule set whose leaf is named valueOf and whose fact is named constructor scores like any other', () => {
  const rules = prototypeNamedRuleSet();

  it.each([0.95, 0.45])('satisfaction %d: the leaf applies, its explanation shows the value, no discrepancy', async (rate) => {
    const s = prototypeNamedSubmission(rate);
    const fast = scoreWithRuleSet(rules, s);
    const item = fast.items.find((i) => i.id === 'valueOf')!;
    expect(item.applicable).toBe(true);
    expect(item.facts).toEqual({ constructor: rate });
    expect(item.explanation).toContain(`${(rate * 100).toFixed(2)}%`);
    expect(item.explanation).not.toContain('function');
    expect(item.remark).toBeUndefined();
    expect(fast.discrepancies).toEqual([]);
    expect(JSON.stringify(await scoreWithReference(rules, s))).toBe(JSON.stringify(fast));
  });
});

describe('fast path ≡ json-rules-engine for facts named after Object.prototype members', () => {
  const rulesOn = (fact: string): IndexedRule[] => [
    {
      index: 0,
      rule: {
        name: 'r',
        conditions: { all: [{ fact, operator: 'equal', value: 1 }] },
        event: { type: 'award', params: { appliesTo: 'x', case: 'c', award: { method: 'full' }, explanation: 'e' } },
      },
    },
  ];

  it.each(PROTOTYPE_NAMES)('a condition on %s with no such fact: both reject with "Undefined fact"', async (name) => {
    const rules = rulesOn(name);
    for (const facts of [{}, Object.create(null) as Record<string, unknown>]) {
      await expect(fireRules(buildEngine(rules), facts)).rejects.toThrow(`Undefined fact: ${name}`);
      expect(() => compileRules(rules)(facts)).toThrow(`Undefined fact: ${name}`);
    }
  });

  it.each(PROTOTYPE_NAMES)('a condition on %s with the fact supplied: both fire with the same evaluated tree', async (name) => {
    const rules = rulesOn(name);
    const facts = JSON.parse(`{"${name}": 1}`) as Record<string, unknown>;
    const reference = await fireRules(buildEngine(rules), facts);
    const fast = compileRules(rules)(facts);
    expect(reference.map((r) => r.name)).toEqual(['r']);
    expect(fast.map((r) => r.name)).toEqual(['r']);
    const scope = { facts: {}, derived: {}, checklist: [] };
    expect(evidenceOf(fast[0]!.conditions, scope)).toEqual(evidenceOf(reference[0]!.conditions, scope));
    expect(evidenceOf(fast[0]!.conditions, scope)).toEqual([{ fact: name, label: name, operator: 'equal', threshold: 1, actual: 1, passed: true }]);
  });
});

describe('derived facts built from facts named after Object.prototype members', () => {
  const derived = { rate: { label: '比率', op: 'ratio' as const, of: ['valueOf', 'toString'] } };
  it('are ordered and checked for cycles without mistaking the names for derived facts', () => {
    expect(orderDerived(derived)).toEqual([['rate', derived.rate]]);
    expect(findDerivedCycle(derived)).toBeNull();
  });
});
