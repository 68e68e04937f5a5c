// The operator registry (src/engine/operators.ts): the schema's operator enum and the registry list the same names;
// each entry evaluates exactly as json-rules-engine 7.3.1's own operator of that name (its Operator objects, taken
// from an Engine), refuses the condition values the checker must refuse with the message the rule author reads, and
// gives band coverage the edges its condition can change at.
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { OPERATORS, operatorNamed, type FactKind } from '../../src/engine/operators.js';
import { operatorValueProblem } from '../../src/engine/check/passes/operator-values.js';
import { readJson } from '../support.js';

/** PROPERTY_NO_SHRINK=1 (npm run mutation): stop at the first counterexample without shrinking it; only pass / fail matters there. */
const NO_SHRINK = process.env.PROPERTY_NO_SHRINK === '1';

interface ReferenceOperator {
  evaluate(factValue: unknown, value: unknown): boolean;
}
/** json-rules-engine's own operator of that name (Engine#operators is not in its type declarations). */
const reference = (name: string): ReferenceOperator => {
  const operators = (new Engine() as unknown as { operators: { get(name: string): ReferenceOperator | undefined } }).operators;
  const op = operators.get(name);
  if (!op) throw new Error(`json-rules-engine has no operator ${name}`);
  return op;
};

const schemaOperators = (): string[] => {
  const schema = readJson<{ $defs: { factCondition: { properties: { operator: { enum: string[] } } } } }>('schemas/ruleset.schema.json');
  return schema.$defs.factCondition.properties.operator.enum;
};

type Outcome = { returned: unknown } | { threw: string };
function outcome(run: () => unknown): Outcome {
  try {
    return { returned: run() };
  } catch (e) {
    return { threw: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e) };
  }
}

const nullPrototype = Object.create(null) as object;
const label = (v: unknown) => (v === nullPrototype ? 'Object.create(null)' : typeof v === 'number' ? String(v) : JSON.stringify(v));
/** Fact values and condition values whose pairs reach every branch of every operator and of its number validator. */
const VALUES: readonly unknown[] = [
  0, -0, 1, -1, 2.5, 0.1, 1e21, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  '0', '1', '2.5', ' 1 ', '1abc', 'abc', 'a', '', 'Infinity', 'NaN', 'true', 'null',
  true, false, null, undefined,
  [], [1], [1, 2.5], ['a', 'abc'], [true], [null], ['1'],
  { requirements: { a: true } }, nullPrototype,
];

describe('the operator catalogue', () => {
  it('lists exactly the operators the schema allows, in both directions', () => {
    const schema = schemaOperators();
    const registry = [...OPERATORS.keys()];
    expect(schema.filter((name) => !OPERATORS.has(name)), 'in the schema, not in the registry').toEqual([]);
    expect(registry.filter((name) => !schema.includes(name)), 'in the registry, not in the schema').toEqual([]);
    expect(registry).toHaveLength(new Set(schema).size);
  });

  it('gives every entry its three parts: evaluation, value check and band edges', () => {
    for (const [name, definition] of OPERATORS) {
      expect(typeof definition.evaluate, name).toBe('function');
      expect(typeof definition.valueProblem, name).toBe('function');
      expect(typeof definition.bandEdges, name).toBe('function');
    }
  });

  it('finds an operator by name, and no member of Object.prototype as one', () => {
    expect(operatorNamed('notIn')).toBe(OPERATORS.get('notIn'));
    for (const name of [...Object.getOwnPropertyNames(Object.prototype), 'contains', 'doesNotContain', '']) {
      expect(() => operatorNamed(name), name).toThrow(`未知的运算符 ${name}`);
      expect(operatorValueProblem(name, 1, 'number'), name).toBe(`未知的运算符 ${name}`);
    }
  });
});

describe('evaluation ≡ json-rules-engine 7.3.1', () => {
  it.each(schemaOperators())('%s: every pair of the sample values (returns the same, or both throw the same error)', (name) => {
    const ours = operatorNamed(name);
    const theirs = reference(name);
    let held = 0;
    for (const factValue of VALUES) {
      for (const value of VALUES) {
        const expected = outcome(() => theirs.evaluate(factValue, value));
        expect(outcome(() => ours.evaluate(factValue, value)), `${name}(${label(factValue)}, ${label(value)})`).toEqual(expected);
        if ('returned' in expected && expected.returned === true) held++;
      }
    }
    // the sample is not vacuous: each operator holds for some pairs and fails for others
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(VALUES.length ** 2);
  });

  it.each(schemaOperators())('%s: generated JSON fact values against generated condition values', (name) => {
    const ours = operatorNamed(name);
    const theirs = reference(name);
    const scalar = fc.oneof(fc.double(), fc.integer({ min: -3, max: 3 }), fc.string({ maxLength: 4 }), fc.double().map(String), fc.boolean(), fc.constant(null));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
    fc.assert(
      fc.property(fc.oneof(value, fc.jsonValue({ maxDepth: 2 })), value, (factValue, conditionValue) => {
        expect(outcome(() => ours.evaluate(factValue, conditionValue))).toEqual(outcome(() => theirs.evaluate(factValue, conditionValue)));
      }),
      { numRuns: Number(process.env.OPERATOR_PROPERTY_RUNS ?? 2_000), endOnFailure: NO_SHRINK },
    );
  });

  it('order comparisons hold only for facts whose text starts with a number (the engine\'s number validator)', () => {
    const lessThan = operatorNamed('lessThan').evaluate;
    expect(lessThan(1, 2)).toBe(true);
    expect(lessThan('1', 2)).toBe(true);
    expect(lessThan(null, 1)).toBe(false); // null < 1 holds in JavaScript
    expect(lessThan(false, 1)).toBe(false);
    expect(lessThan('abc', 'b')).toBe(false); // 'abc' < 'b' holds as strings
    expect(lessThan('1abc', 'b')).toBe(true); // '1abc' < 'b' as strings, and its text starts with 1
    expect(operatorNamed('greaterThanInclusive').evaluate(2, 2)).toBe(true);
    expect(operatorNamed('greaterThan').evaluate(2, 2)).toBe(false);
    expect(operatorNamed('lessThanInclusive').evaluate(2, 2)).toBe(true);
  });

  it('in / notIn use the value\'s indexOf: strict membership in an array, substrings of a string, a TypeError for a number', () => {
    const isIn = operatorNamed('in').evaluate;
    const notIn = operatorNamed('notIn').evaluate;
    expect([isIn(1, [1, 2]), isIn(3, [1, 2]), isIn('1', [1, 2]), isIn(1, [0, 1])]).toEqual([true, false, false, true]);
    expect([notIn(1, [1, 2]), notIn(3, [1, 2]), notIn(1, [0, 1]), notIn(1, [])]).toEqual([false, true, false, true]);
    expect([isIn('bc', 'abc'), notIn('bc', 'abc'), notIn('x', 'abc')]).toEqual([true, false, true]);
    expect(() => isIn(1, 5)).toThrow(TypeError);
    expect(() => notIn(1, null)).toThrow(TypeError);
  });
});

describe('value checks (pass operatorValues)', () => {
  const cases: [string, unknown, FactKind, string | null][] = [
    // order comparisons: number facts, number values
    ['lessThan', 1, 'number', null],
    ['greaterThanInclusive', -0.5, 'number', null],
    ['lessThanInclusive', 0, 'number', null],
    ['greaterThan', 1e21, 'number', null],
    ['lessThan', 1, 'string', '运算符 lessThan 只能用于数值数据项，该数据项为文字'],
    ['greaterThan', 1, 'boolean', '运算符 greaterThan 只能用于数值数据项，该数据项为true/false'],
    ['lessThanInclusive', 1, 'checklist', '运算符 lessThanInclusive 只能用于数值数据项，该数据项为清单'],
    ['lessThan', '0.9', 'number', '比较值须为数值，不能是带引号的文字 "0.9"（应写作 0.9）'],
    ['greaterThan', ' 1e3 ', 'number', '比较值须为数值，不能是带引号的文字 " 1e3 "（应写作 1000）'],
    ['lessThan', '  ', 'number', '比较值须为数值，实际为文字 "  "'],
    ['lessThan', '', 'number', '比较值须为数值，实际为文字 ""'],
    ['lessThan', 'Infinity', 'number', '比较值须为数值，实际为文字 "Infinity"'],
    ['lessThan', '1abc', 'number', '比较值须为数值，实际为文字 "1abc"'],
    ['lessThan', true, 'number', '比较值须为数值，实际为true'],
    ['greaterThan', null, 'number', '比较值须为数值，实际为null'],
    ['greaterThanInclusive', '1', 'number', '比较值须为数值，不能是带引号的文字 "1"（应写作 1）'],
    ['greaterThan', [1, 2], 'number', '比较值须为数值，实际为数组 [1,2]'],
    // equality: one scalar of the fact's type, or null
    ['equal', 1, 'number', null],
    ['notEqual', 'a', 'string', null],
    ['equal', false, 'boolean', null],
    ['equal', null, 'number', null],
    ['notEqual', null, 'string', null],
    ['equal', '1', 'number', '比较值须为数值，实际为文字 "1"'],
    ['notEqual', 1, 'string', '比较值须为文字，实际为数值 1'],
    ['equal', 'true', 'boolean', '比较值须为true/false，实际为文字 "true"'],
    ['equal', 1, 'checklist', '运算符 equal 不能用于清单数据项'],
    ['notEqual', null, 'checklist', '运算符 notEqual 不能用于清单数据项'],
    ['equal', [1], 'number', '运算符 equal 的值不能是数组（数组从不与数据项相等；判断是否属于其中之一请用 in / notIn）'],
    ['notEqual', [], 'checklist', '运算符 notEqual 的值不能是数组（数组从不与数据项相等；判断是否属于其中之一请用 in / notIn）'],
    // membership: an array of scalars of the fact's type
    ['in', [1, 2], 'number', null],
    ['notIn', ['a'], 'string', null],
    ['in', [], 'boolean', null],
    ['in', 'abc', 'string', '运算符 in 的值须为数组（如 ["abc"]），实际为文字 "abc"'],
    ['notIn', 5, 'number', '运算符 notIn 的值须为数组（如 [5]），实际为数值 5'],
    ['in', null, 'number', '运算符 in 的值须为数组（如 [null]），实际为null'],
    ['notIn', true, 'boolean', '运算符 notIn 的值须为数组（如 [true]），实际为true'],
    ['in', [1], 'checklist', '运算符 in 不能用于清单数据项'],
    ['notIn', [1, '2', 3], 'number', '数组第 2 项须为数值，实际为文字 "2"'],
    ['in', ['a', 'b', 1], 'string', '数组第 3 项须为文字，实际为数值 1'],
    ['notIn', [true, 'false'], 'boolean', '数组第 2 项须为true/false，实际为文字 "false"'],
  ];

  it.each(cases)('%s with %j for a %s fact', (operator, value, kind, expected) => {
    expect(operatorNamed(operator).valueProblem(value, kind)).toBe(expected);
    expect(operatorValueProblem(operator, value, kind)).toBe(expected);
  });

  it('names the operator it refuses', () => {
    // a number for a checklist fact is wrong for every operator, and each family's first refusal names the operator
    for (const [name, definition] of OPERATORS) expect(definition.valueProblem(1, 'checklist'), name).toContain(`运算符 ${name} `);
  });

  it('covers every operator with an accepted and a refused value', () => {
    for (const name of OPERATORS.keys()) {
      expect(cases.some(([op, , , problem]) => op === name && problem === null), `${name} accepts`).toBe(true);
      expect(cases.some(([op, , , problem]) => op === name && problem !== null), `${name} refuses`).toBe(true);
    }
  });
});

describe('band edges (pass bandCoverage)', () => {
  it('an order comparison or an equality has its value as its one edge; a membership has each item', () => {
    for (const name of ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'equal', 'notEqual']) {
      expect(operatorNamed(name).bandEdges(0.9), name).toEqual([0.9]);
      expect(operatorNamed(name).bandEdges(null), name).toEqual([null]);
    }
    expect(operatorNamed('equal').bandEdges('achieved')).toEqual(['achieved']);
    for (const name of ['in', 'notIn']) {
      expect(operatorNamed(name).bandEdges([1, 2.5, 4]), name).toEqual([1, 2.5, 4]);
      expect(operatorNamed(name).bandEdges([]), name).toEqual([]);
    }
  });
});
