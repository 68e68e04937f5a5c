// The one condition walker (src/engine/conditions.ts): which node is which, the order nodes are met in, their JSON
// paths and depths, fact conditions as the checker passes and evidence read them, and no recursion however deep.
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import type { Condition, FactCondition } from '../../src/domain/ruleset.js';
import { connectiveOf, factConditions, factConditionsInOrder, foldCondition, type ConditionFold, type ConditionTree } from '../../src/engine/conditions.js';

const fact = (name: string, value: unknown = 1): FactCondition => ({ fact: name, operator: 'equal', value });

/** all[a, any[b, not(c)], not(all[d])] */
const TREE: Condition = {
  all: [fact('a'), { any: [fact('b'), { not: fact('c') }] }, { not: { all: [fact('d')] } }],
};

/** A fold that writes each node as text with its site, to show order, paths and depths at once. */
const describeFold: ConditionFold<FactCondition, string> = {
  fact: (c, s) => `${c.fact}@${s.location}#${s.depth}`,
  all: (parts, s) => `all(${parts.join(' ')})@${s.location}#${s.depth}`,
  any: (parts, s) => `any(${parts.join(' ')})@${s.location}#${s.depth}`,
  not: (part, s) => `not(${part})@${s.location}#${s.depth}`,
};

describe('connectiveOf', () => {
  it('names the connective of a node, and null for a fact condition', () => {
    expect(connectiveOf({ all: [] })).toBe('all');
    expect(connectiveOf({ any: [] })).toBe('any');
    expect(connectiveOf({ not: fact('a') })).toBe('not');
    expect(connectiveOf(fact('a'))).toBeNull();
    expect(connectiveOf({ fact: 'all', operator: 'equal', value: 'any' })).toBeNull();
  });

  it("takes json-rules-engine's order when a node has several (any, then all, then not)", () => {
    expect(connectiveOf({ all: [], any: [], not: {} })).toBe('any');
    expect(connectiveOf({ not: {}, all: [] })).toBe('all');
    expect(connectiveOf({ not: {}, fact: 'x' })).toBe('not');
  });

  it('reads own properties only', () => {
    expect(connectiveOf(Object.create({ all: [], any: [], not: {} }) as object)).toBeNull();
  });
});

describe('foldCondition', () => {
  it('meets children before their parent, in document order, with the JSON path and depth of each', () => {
    expect(foldCondition(TREE, describeFold)).toBe(
      'all(' +
        'a@$.all[0]#1 ' +
        'any(b@$.all[1].any[0]#2 not(c@$.all[1].any[1].not#3)@$.all[1].any[1]#2)@$.all[1]#1 ' +
        'not(all(d@$.all[2].not.all[0]#3)@$.all[2].not#2)@$.all[2]#1' +
        ')@$#0',
    );
  });

  it('starts the paths at the location it is given', () => {
    expect(foldCondition({ not: { any: [fact('x'), fact('y')] } }, describeFold, '$.rules[3].conditions')).toBe(
      'not(any(x@$.rules[3].conditions.not.any[0]#2 y@$.rules[3].conditions.not.any[1]#2)@$.rules[3].conditions.not#1)@$.rules[3].conditions#0',
    );
  });

  it('folds into values, not only text: the number of fact conditions under each node', () => {
    const count: ConditionFold<FactCondition, number> = {
      fact: () => 1,
      all: (parts) => parts.reduce((a, b) => a + b, 0),
      any: (parts) => parts.reduce((a, b) => a + b, 0),
      not: (part) => part,
    };
    expect(foldCondition(TREE, count)).toBe(4);
  });

  it('walks trees far deeper than any stack would allow (it does not recurse)', () => {
    let tree: ConditionTree<FactCondition> = fact('deepest');
    for (let i = 0; i < 50_000; i++) tree = i % 3 === 0 ? { not: tree } : i % 3 === 1 ? { all: [tree] } : { any: [fact('side'), tree] };
    const depths: number[] = [];
    const seen = foldCondition(tree, {
      fact: (c, s) => {
        if (c.fact === 'deepest') depths.push(s.depth);
        return 1;
      },
      all: (parts) => parts[0]!,
      any: (parts) => parts[0]! + parts[1]!,
      not: (part) => part,
    });
    expect(depths).toEqual([50_000]);
    expect(seen).toBe(1 + Math.floor(50_000 / 3));
  });
});

describe('factConditions', () => {
  it('lists the fact conditions in document order with their paths (the default root is $)', () => {
    expect(factConditions(TREE)).toEqual([
      { condition: fact('a'), location: '$.all[0]' },
      { condition: fact('b'), location: '$.all[1].any[0]' },
      { condition: fact('c'), location: '$.all[1].any[1].not' },
      { condition: fact('d'), location: '$.all[2].not.all[0]' },
    ]);
    expect(factConditions({ any: [fact('x')] }, '$.rules[0].conditions')).toEqual([{ condition: fact('x'), location: '$.rules[0].conditions.any[0]' }]);
  });

  it('gives the very condition objects of the tree (passes report on them and evidence reads their results)', () => {
    const [first] = factConditions(TREE);
    expect(first!.condition).toBe((TREE as { all: Condition[] }).all[0]);
  });

  it("walks json-rules-engine's own evaluated tree (Condition objects carrying factResult and result) the same way", async () => {
    const engine = new Engine([], { allowUndefinedFacts: false });
    engine.addRule({ name: 'r', conditions: structuredClone(TREE) as never, event: { type: 'award' } });
    const facts = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: 2, c: 1, d: 3 });
    const { results, failureResults } = await engine.run(facts);
    type EvaluatedFact = FactCondition & { factResult: unknown; result: boolean };
    const evaluated = [...results, ...failureResults][0]!.conditions as unknown as ConditionTree<EvaluatedFact>;
    expect(factConditions<EvaluatedFact>(evaluated).map(({ condition: c, location }) => [location, c.fact, c.factResult, c.result])).toEqual([
      ['$.all[0]', 'a', 1, true],
      ['$.all[1].any[0]', 'b', 2, false],
      ['$.all[1].any[1].not', 'c', 1, true],
      ['$.all[2].not.all[0]', 'd', 3, false],
    ]);
  });
});

describe('factConditionsInOrder (the lean walk for evidence)', () => {
  it('gives the same condition objects in the same order as factConditions, on nested trees', () => {
    const trees: Condition[] = [
      TREE,
      fact('only'),
      { not: { not: fact('n') } },
      { any: [{ all: [fact('p'), { any: [fact('q'), fact('r')] }] }, { not: { any: [fact('s'), fact('t')] } }, fact('u')] },
      { all: [] },
    ];
    for (const tree of trees) {
      const lean = factConditionsInOrder(tree);
      expect(lean.map((c) => c.fact)).toEqual(factConditions(tree).map(({ condition }) => condition.fact));
      lean.forEach((c, i) => expect(c).toBe(factConditions(tree)[i]!.condition));
    }
    expect(factConditionsInOrder(TREE).map((c) => c.fact)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads own connectives only and needs no recursion however deep', () => {
    let deep: Condition = fact('bottom');
    for (let i = 0; i < 50_000; i++) deep = i % 2 === 0 ? { not: deep } : { all: [fact(`f${i}`), deep] };
    const lean = factConditionsInOrder(deep);
    expect(lean).toHaveLength(25_001);
    expect(lean.at(-1)!.fact).toBe('bottom');
    const inherited = Object.create({ all: [fact('hidden')] }) as Condition;
    expect(factConditionsInOrder(inherited)).toEqual([inherited]);
  });
});
