// The stop-at-first-error validator that lets a valid submission through without the all-errors pass
// (src/validation/index.ts) must accept exactly what the all-errors validator accepts. It is generated from the same
// schema with one rewrite (scripts/generate-validators.ts: referenced validators are not told their JSON pointer), so
// this holds it to the all-errors validator over real submissions changed at random — every kind of value, at every
// depth, under names with '/' and '~' (the characters the dropped pointer escaping dealt with).
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSubmission } from '../../src/validation/generated/quick-validators.js';
import { validateSubmission } from '../../src/validation/generated/validators.js';
import { ROOT, readJson, shippedCases } from '../support.js';

const RUNS = Number(process.env.QUICK_VALIDATOR_RUNS ?? 3000);

function submissions(): unknown[] {
  const out: unknown[] = readdirSync(join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => readJson(`examples/${f}`));
  for (const id of readdirSync(join(ROOT, 'rules')).sort()) for (const c of shippedCases(id)) out.push(c.submission);
  return out;
}

/** Every path to a value inside `doc` (objects and arrays), the root excluded. */
function paths(doc: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (doc !== null && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      const p = [...prefix, Array.isArray(doc) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

const key = fc.oneof(fc.constantFrom('a/b', 'x~1', '~', '/', 'ok', 'tier', 'actual', 'budget', '__proto__', 'constructor'), fc.string({ maxLength: 8 }));
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(key, fc.oneof(fc.boolean(), fc.double(), fc.string({ maxLength: 3 })), { maxKeys: 4 }),
  fc.constantFrom(0, -1, 1e13, 'x'.repeat(501), true, null, [], {}),
);

type Change = { kind: 'set' | 'delete' | 'add'; at: number; name: string; to: unknown };
const change: fc.Arbitrary<Change> = fc.record({ kind: fc.constantFrom('set', 'delete', 'add'), at: fc.nat(), name: key, to: value });

function changed(doc: unknown, edits: readonly Change[]): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const e of edits) {
    const all = paths(copy);
    if (all.length === 0) break;
    const path = all[e.at % all.length]!;
    let parent: any = copy;
    for (const step of path.slice(0, -1)) parent = parent[step];
    const last = path[path.length - 1]!;
    if (e.kind === 'set') parent[last] = e.to;
    else if (e.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (parent[last] !== null && typeof parent[last] === 'object' && !Array.isArray(parent[last])) {
      Object.defineProperty(parent[last], e.name, { value: e.to, enumerable: true, writable: true, configurable: true });
    } else parent[last] = e.to;
  }
  return copy;
}

describe('the quick submission validator', () => {
  const docs = submissions();

  it('accepts every shipped example and golden-case submission the all-errors validator accepts', () => {
    expect(docs.length).toBeGreaterThan(20);
    for (const doc of docs) expect(isSubmission(doc)).toBe(validateSubmission(doc));
  });

  it(`agrees with the all-errors validator on ${RUNS} submissions changed at random`, () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.nat({ max: docs.length - 1 }), fc.array(change, { minLength: 1, maxLength: 4 }), (i, edits) => {
        const doc = changed(docs[i], edits);
        const full = validateSubmission(doc);
        expect(isSubmission(doc)).toBe(full);
        if (full) accepted++;
        else refused++;
      }),
      { numRuns: RUNS, seed: 20261202 },
    );
    // both answers were exercised, not only refusals
    expect(accepted).toBeGreaterThan(RUNS / 50);
    expect(refused).toBeGreaterThan(RUNS / 50);
  }, 120_000);
});
