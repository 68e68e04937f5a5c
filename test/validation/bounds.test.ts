// The bounds pre-pass (finding 1: quadratic validation; finding 4: unbounded nesting) and the cap on error details.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  MAX_DETAILS,
  MAX_ITEMS,
  MAX_NODES,
  MAX_PROPERTIES,
  MAX_STRING_LENGTH,
  boundsErrors,
  capDetails,
  goldenCaseShapeErrors,
  publishRequestShapeErrors,
  ruleSetShapeErrors,
  submissionShapeErrors,
} from '../../src/validation/index.js';
import { ROOT, example, readJson, ruleSet } from '../support.js';

/** `depth` arrays nested in one another, a number at the bottom. */
function nestedArrays(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const emptyIndicators = (n: number) => ({ ...example('meizhou-2022.json'), indicators: Array.from({ length: n }, () => ({})) });

describe('finding 1: many empty indicator objects are refused by the schema cap, before the all-errors validator', () => {
  it.each([100_000, 16_000])('%i empty indicators: one detail naming $.indicators and the cap of 200', (n) => {
    const details = submissionShapeErrors(emptyIndicators(n));
    expect(details.length).toBeLessThanOrEqual(MAX_DETAILS);
    expect(details).toEqual([{ path: '$.indicators', message: `最多只能有 200 项（收到 ${n} 项）` }]);
  });

  it('200 empty indicators (within the cap) are explained, at most 100 details, the last counting the rest', () => {
    const details = submissionShapeErrors(emptyIndicators(200));
    expect(details).toHaveLength(MAX_DETAILS);
    // five required fields missing on each of 200 items: 1,000 details, 99 listed
    expect(details[0]).toEqual({ path: '$.indicators[0].id', message: '缺少必填项「id」' });
    expect(details[MAX_DETAILS - 1]).toEqual({ path: '$', message: '另有 901 处错误未列出' });
  });

  it('a fact value of the wrong type on every fact of 200 leaves: 100 details (anyOf summaries, linear grouping)', () => {
    const s = example('meizhou-2022.json');
    s.facts = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`leaf${i}`, Object.fromEntries(Array.from({ length: 30 }, (_, j) => [`f${j}`, null]))]),
    );
    const details = submissionShapeErrors(s);
    expect(details).toHaveLength(MAX_DETAILS);
    expect(details[0]).toEqual({ path: '$.facts.leaf0.f0', message: '类型错误：应为数值、字符串、布尔值（true/false）、对象之一' });
    expect(details[MAX_DETAILS - 1]).toEqual({ path: '$', message: `另有 ${6000 - 99} 处错误未列出` });
  });
});

describe('finding 4: nesting is limited, iteratively', () => {
  it('a remark nested 2,000 arrays deep: a detail naming the depth limit, no RangeError', () => {
    const s = example('meizhou-2022.json');
    s.remarks = { fundsArrival: nestedArrays(2000) };
    const details = submissionShapeErrors(s);
    expect(details).toHaveLength(1);
    expect(details[0]!.message).toBe(`嵌套层数不能超过 ${MAX_DEPTH} 层`);
    expect(details[0]!.path).toMatch(/^\$\.remarks\.fundsArrival(\[0\])+$/);
  });

  it('a fact value nested 2,000 objects deep: the depth limit', () => {
    const s = example('meizhou-2022.json');
    let v: unknown = true;
    for (let i = 0; i < 2000; i++) v = { inner: v };
    s.facts.fundsArrival.budget = v;
    const details = submissionShapeErrors(s);
    expect(details.map((d) => d.message)).toEqual([`嵌套层数不能超过 ${MAX_DEPTH} 层`]);
    expect(details[0]!.path.startsWith('$.facts.fundsArrival.budget.inner.inner')).toBe(true);
  });

  it('a rule set with conditions nested 2,000 deep: a depth diagnostic from ruleSetShapeErrors, no throw', () => {
    const doc = ruleSet('gd-meizhou-2022') as any;
    let condition: unknown = { fact: 'budget', operator: 'greaterThan', value: 0 };
    for (let i = 0; i < 2000; i++) condition = { all: [condition] };
    doc.rules[0].conditions = condition;
    let details: ReturnType<typeof ruleSetShapeErrors> = [];
    expect(() => (details = ruleSetShapeErrors(doc))).not.toThrow();
    expect(details).toHaveLength(1);
    expect(details[0]!.message).toBe(`嵌套层数不能超过 ${MAX_DEPTH} 层`);
    expect(details[0]!.path.startsWith('$.rules[0].conditions.all[0].all[0]')).toBe(true);
  });

  it('the same rule set inside a publish request is refused by publishRequestShapeErrors', () => {
    let condition: unknown = { fact: 'budget', operator: 'greaterThan', value: 0 };
    for (let i = 0; i < 2000; i++) condition = { any: [condition] };
    const doc = ruleSet('cn-mof-2020') as any;
    doc.rules[0].conditions = condition;
    const details = publishRequestShapeErrors({ ruleset: doc });
    expect(details.map((d) => d.message)).toEqual([`嵌套层数不能超过 ${MAX_DEPTH} 层`]);
    expect(details[0]!.path.startsWith('$.ruleset.rules[0].conditions.any[0]')).toBe(true);
  });

  it('exactly MAX_DEPTH levels pass the pre-pass; one more does not', () => {
    // the document is level 1: MAX_DEPTH arrays in all
    expect(boundsErrors(nestedArrays(MAX_DEPTH))).toEqual([]);
    expect(boundsErrors(nestedArrays(MAX_DEPTH + 1))).toEqual([{ path: `$${'[0]'.repeat(MAX_DEPTH)}`, message: `嵌套层数不能超过 ${MAX_DEPTH} 层` }]);
  });
});

describe('the schemas’ own caps, taken from the schemas (generated cap graph)', () => {
  it('rule set: more than 2,000 rules, more than 50 children deep in the tree, more than 30 conditions', () => {
    const doc = ruleSet('gd-meizhou-2022') as any;
    const rule = doc.rules[0];
    doc.rules = Array.from({ length: 2001 }, () => rule);
    expect(ruleSetShapeErrors(doc)).toEqual([{ path: '$.rules', message: '最多只能有 2000 项（收到 2001 项）' }]);

    const tree = ruleSet('gd-meizhou-2022') as any;
    const group = tree.indicators[0].children[0];
    group.children = Array.from({ length: 51 }, () => group.children[0]);
    expect(ruleSetShapeErrors(tree)).toEqual([{ path: '$.indicators[0].children[0].children', message: '最多只能有 50 项（收到 51 项）' }]);

    const wide = ruleSet('gd-meizhou-2022') as any;
    wide.rules[0].conditions = { all: Array.from({ length: 31 }, () => ({ fact: 'budget', operator: 'greaterThan', value: 0 })) };
    expect(ruleSetShapeErrors(wide)).toEqual([{ path: '$.rules[0].conditions.all', message: '最多只能有 30 项（收到 31 项）' }]);
  });

  it('submission: facts per leaf (30), leaves (200), self-assessed items (400)', () => {
    const s = example('meizhou-2022.json');
    s.facts.payment = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`f${i}`, 1]));
    s.selfAssessment = { items: Object.fromEntries(Array.from({ length: 401 }, (_, i) => [`i${i}`, 1])) };
    expect(submissionShapeErrors(s)).toEqual([
      { path: '$.facts.payment', message: '最多只能有 30 个属性（收到 31 个）' },
      { path: '$.selfAssessment.items', message: '最多只能有 400 个属性（收到 401 个）' },
    ]);
  });

  it('publish request: at most 200 cases', () => {
    expect(publishRequestShapeErrors({ ruleset: {}, cases: Array.from({ length: 201 }, () => ({})) })).toEqual([
      { path: '$.cases', message: '最多只能有 200 项（收到 201 项）' },
    ]);
  });
});

describe('generic limits', () => {
  it('strings, property names, properties, items and values', () => {
    expect(boundsErrors({ a: 'x'.repeat(MAX_STRING_LENGTH + 1) })).toEqual([
      { path: '$.a', message: `长度不能超过 ${MAX_STRING_LENGTH} 个字符（收到 ${MAX_STRING_LENGTH + 1} 个）` },
    ]);
    expect(boundsErrors({ a: { ['k'.repeat(MAX_STRING_LENGTH + 1)]: 1 } })).toEqual([
      { path: '$.a', message: `属性名长度不能超过 ${MAX_STRING_LENGTH} 个字符（收到 ${MAX_STRING_LENGTH + 1} 个）` },
    ]);
    expect(boundsErrors({ 'a-b': Object.fromEntries(Array.from({ length: MAX_PROPERTIES + 1 }, (_, i) => [`k${i}`, i])) })).toEqual([
      { path: '$["a-b"]', message: `最多只能有 ${MAX_PROPERTIES} 个属性（收到 ${MAX_PROPERTIES + 1} 个）` },
    ]);
    expect(boundsErrors([new Array(MAX_ITEMS + 1).fill(0)])).toEqual([{ path: '$[0]', message: `最多只能有 ${MAX_ITEMS} 项（收到 ${MAX_ITEMS + 1} 项）` }]);
    const many = Array.from({ length: 200 }, () => new Array(MAX_ITEMS).fill(0));
    expect(boundsErrors(many)).toEqual([{ path: '$', message: `数据项总数不能超过 ${MAX_NODES} 个` }]);
  });

  it('a golden case with an enormous expectation object is refused before validation', () => {
    const items = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`i${i}`, 1]));
    expect(goldenCaseShapeErrors({ name: 'x', submission: {}, expect: { total: 1, grade: 'a', items } })).toEqual([
      { path: '$.expect.items', message: `最多只能有 ${MAX_PROPERTIES} 个属性（收到 5000 个）` },
    ]);
  });

  it('many violations: 100 details, the last saying how many more', () => {
    const strings = Array.from({ length: 150 }, () => 'x'.repeat(MAX_STRING_LENGTH + 1));
    const details = boundsErrors(strings);
    expect(details).toHaveLength(MAX_DETAILS);
    expect(details[98]!.path).toBe('$[98]');
    expect(details[99]).toEqual({ path: '$', message: '另有 51 处错误未列出' });
  });

  it('every shipped rule set, example and golden case is within bounds (no false alarms)', () => {
    for (const id of ['gd-meizhou-2022', 'cn-mof-2020'] as const) {
      expect(boundsErrors(ruleSet(id), 'validateRuleSet')).toEqual([]);
      expect(boundsErrors({ ruleset: ruleSet(id) }, 'validatePublishRequest')).toEqual([]);
      for (const file of readdirSync(join(ROOT, 'rules', id, 'cases'))) {
        const c = readJson<{ submission: unknown }>(`rules/${id}/cases/${file}`);
        expect(boundsErrors(c, 'validateGoldenCase')).toEqual([]);
        expect(boundsErrors(c.submission, 'validateSubmission')).toEqual([]);
      }
    }
    for (const file of readdirSync(join(ROOT, 'examples'))) expect(boundsErrors(example(file), 'validateSubmission')).toEqual([]);
  });
});

describe('capDetails', () => {
  const d = (i: number) => ({ path: `$.a[${i}]`, message: 'x' });
  it('keeps 100 or fewer as they are; past that, 99 and a line counting the rest', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => d(i));
    expect(capDetails(hundred)).toEqual(hundred);
    const more = Array.from({ length: 101 }, (_, i) => d(i));
    expect(capDetails(more)).toEqual([...more.slice(0, 99), { path: '$', message: '另有 2 处错误未列出' }]);
    expect(capDetails(hundred, 500)).toEqual([...hundred.slice(0, 99), { path: '$', message: '另有 401 处错误未列出' }]);
  });
});
