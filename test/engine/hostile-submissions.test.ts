// Fuzz (fast-check): submissions whose keys — leaf ids, fact names, checklist answers, not-applicable marks,
// self-assessed item ids, remarks, indicator ids and categories — are drawn from Object.prototype's own names and
// `__proto__`, mixed with the rule set's real ids. Scoring either returns a schema-valid result or rejects with
// SUBMISSION_INVALID and details whose paths start with "$"; never another exception. Fast path and reference agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { DomainError } from '../../src/domain/errors.js';
import type { CompiledRuleSet } from '../../src/engine/compiled.js';
import { scoreWithReference, scoreWithRuleSet } from '../../src/engine/score.js';
import { MAX_DETAILS, resultShapeErrors } from '../../src/validation/index.js';
import { compiled, example } from '../support.js';

const NUM_RUNS = 500;

const PROTOTYPE_KEYS = [...Object.getOwnPropertyNames(Object.prototype), '__proto__'];

type Json = Record<string, unknown>;

/** Reads only what the object holds itself (`obj.__proto__` would be Object.prototype). */
const getOwn = (obj: unknown, key: string): unknown =>
  obj !== null && typeof obj === 'object' && Object.hasOwn(obj, key) ? (obj as Json)[key] : undefined;
/** Sets an own, enumerable property even for `__proto__`, so JSON.stringify writes it and JSON.parse gives it back as data. */
const put = (obj: Json, key: string, value: unknown) =>
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
const ownObject = (parent: Json, key: string): Json => {
  const current = getOwn(parent, key);
  if (current !== null && typeof current === 'object' && !Array.isArray(current)) return current as Json;
  const fresh: Json = {};
  put(parent, key, fresh);
  return fresh;
};

function realIds(rules: CompiledRuleSet, base: Json): string[] {
  const ids = new Set<string>();
  for (const [id, visit] of rules.index.nodes) {
    ids.add(id);
    for (const name of Object.keys(visit.node.facts ?? {})) ids.add(name);
    for (const r of visit.node.checklist ?? []) ids.add(r.id);
  }
  for (const ind of (base.indicators as Json[] | undefined) ?? []) ids.add(String(ind.id));
  return [...ids];
}

type Op =
  | { kind: 'fact'; leaf: string; name: string; value: unknown }
  | { kind: 'answer'; leaf: string; fact: string; name: string; value: boolean }
  | { kind: 'dropLeaf'; leaf: string }
  | { kind: 'notApplicable'; leaf: string }
  | { kind: 'selfItem'; id: string; points: number }
  | { kind: 'remark'; id: string }
  | { kind: 'indicatorId'; at: number; id: string }
  | { kind: 'indicatorCategory'; at: number; id: string };

function hostileSubmission(rules: CompiledRuleSet, bases: Json[]): fc.Arbitrary<unknown> {
  const real = [...new Set(bases.flatMap((b) => realIds(rules, b)))];
  const key = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom(...real));
  const value = fc.oneof(
    fc.double({ min: -10, max: 1000, noNaN: true }),
    fc.constantFrom('achieved', 'partial', 'notAchieved', 'x'),
    fc.boolean(),
    fc.dictionary(key, fc.boolean(), { maxKeys: 3 }),
  );
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('fact' as const), leaf: key, name: key, value }),
    fc.record({ kind: fc.constant('answer' as const), leaf: key, fact: key, name: key, value: fc.boolean() }),
    fc.record({ kind: fc.constant('dropLeaf' as const), leaf: key }),
    fc.record({ kind: fc.constant('notApplicable' as const), leaf: key }),
    fc.record({ kind: fc.constant('selfItem' as const), id: key, points: fc.integer({ min: 0, max: 100 }) }),
    fc.record({ kind: fc.constant('remark' as const), id: key }),
    fc.record({ kind: fc.constant('indicatorId' as const), at: fc.nat(), id: key }),
    fc.record({ kind: fc.constant('indicatorCategory' as const), at: fc.nat(), id: key }),
  );
  return fc.record({ base: fc.constantFrom(...bases), ops: fc.array(op, { minLength: 1, maxLength: 6 }) }).map(({ base, ops }) => {
    const s = structuredClone(base);
    for (const o of ops) {
      switch (o.kind) {
        case 'fact':
          put(ownObject(ownObject(s, 'facts'), o.leaf), o.name, o.value);
          break;
        case 'answer':
          put(ownObject(ownObject(ownObject(s, 'facts'), o.leaf), o.fact), o.name, o.value);
          break;
        case 'dropLeaf':
          delete (ownObject(s, 'facts') as Json)[o.leaf];
          break;
        case 'notApplicable':
          put(ownObject(s, 'notApplicable'), o.leaf, '不适用');
          break;
        case 'selfItem':
          put(ownObject(ownObject(s, 'selfAssessment'), 'items'), o.id, o.points);
          break;
        case 'remark':
          put(ownObject(s, 'remarks'), o.id, '说明');
          break;
        case 'indicatorId':
        case 'indicatorCategory': {
          const list = getOwn(s, 'indicators') as Json[] | undefined;
          if (!list || list.length === 0) break;
          list[o.at % list.length]![o.kind === 'indicatorId' ? 'id' : 'category'] = o.id;
          break;
        }
      }
    }
    // through text, as a request body arrives: an own "__proto__" stays an own key
    return JSON.parse(JSON.stringify(s)) as unknown;
  });
}

async function outcome(run: () => unknown): Promise<string> {
  try {
    const result = await run();
    expect(resultShapeErrors(result)).toEqual([]);
    return canonicalJson(result);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.code).toBe('SUBMISSION_INVALID');
    expect(e.details.length).toBeGreaterThan(0);
    expect(e.details.length).toBeLessThanOrEqual(MAX_DETAILS);
    for (const d of e.details) {
      expect(d.path.startsWith('$')).toBe(true);
      expect(typeof d.message).toBe('string');
    }
    return canonicalJson({ error: e.code, details: e.details });
  }
}

describe(`hostile keys in submissions (fast-check, ${NUM_RUNS} runs per rule set)`, () => {
  const cases = [
    ['gd-meizhou-2022', ['meizhou-2022.json']],
    ['cn-mof-2020', ['national-road-maintenance-2023.json', 'national-training-2023.json']],
  ] as const;

  it.each(cases)('%s: a result or SUBMISSION_INVALID, never another exception; fast path ≡ reference', async (id, files) => {
    const rules = compiled(id);
    const bases = files.map((f) => example(f));
    await fc.assert(
      fc.asyncProperty(hostileSubmission(rules, bases), async (s) => {
        const fast = await outcome(() => scoreWithRuleSet(rules, s));
        const reference = await outcome(() => scoreWithReference(rules, s));
        expect(fast).toBe(reference);
      }),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);

  it('the generator does produce own __proto__ and Object.prototype keys, and some submissions still score', () => {
    const rules = compiled('gd-meizhou-2022');
    const samples = fc.sample(hostileSubmission(rules, [example('meizhou-2022.json')]), { numRuns: 300, seed: 7 });
    const text = samples.map((s) => JSON.stringify(s)).join('\n');
    expect(text).toContain('"__proto__"');
    expect(text).toContain('"constructor"');
    expect(text).toContain('"valueOf"');
    let scored = 0;
    for (const s of samples) {
      try {
        scoreWithRuleSet(rules, s);
        scored++;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
      }
    }
    expect(scored).toBeGreaterThan(0);
  });
});
