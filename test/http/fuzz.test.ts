// Hostile input over HTTP (fast-check): mutated submissions and rule sets — wrong types, keys named after
// Object.prototype members and __proto__, deep nesting, long arrays, quoted numbers — never get a 5xx, and every
// refusal is the one error body with a code, a Chinese message and details whose paths start at $.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, ruleSet } from '../support.js';
import { startTestService, type TestService } from './harness.js';
import { checkedSend, contractChecker } from './openapi-contract.js';

/** Runs per property; CI keeps the default, a quick local run can lower it. */
const SUBMISSION_RUNS = Number(process.env.FUZZ_SUBMISSION_RUNS ?? 2_000);
const RULESET_RUNS = Number(process.env.FUZZ_RULESET_RUNS ?? 300);

const PROTO_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__'];

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('0.9', '１００', '', 'NaN', '1e309', '<script>', '\u0000'),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, -0, 0.1 + 0.2, -1),
  fc.integer({ min: 0, max: 2_000 }).map(nested),
  fc.integer({ min: 0, max: 5_000 }).map((n) => Array.from({ length: n }, () => ({}))),
  fc.constantFrom(...PROTO_NAMES),
);

type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'delete'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('addKey' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ maxLength: 8 })), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
);

/** Every container in the document with the key or index that leads to each of its children. */
function slots(root: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const out: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) v.forEach((child, i) => (out.push({ parent: v, key: i }), stack.push(child)));
    else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        out.push({ parent: v as Record<string, unknown>, key: k });
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return out;
}

/** The mutated document as JSON text; text so that an own "__proto__" key survives. */
function mutate(doc: unknown, mutations: readonly Mutation[]): string {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const extra: string[] = [];
  for (const m of mutations) {
    const all = slots(copy);
    if (all.length === 0) break;
    const { parent, key } = all[m.at % all.length]!;
    if (m.kind === 'set') (parent as Record<string | number, unknown>)[key] = m.value;
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else {
      const target = (parent as Record<string | number, unknown>)[key];
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        if (m.key === '__proto__') extra.push(JSON.stringify(m.value));
        else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
        if (m.key === '__proto__') (target as Record<string, unknown>).__fuzz_proto_marker__ = true;
      }
    }
  }
  // "__proto__" as an own key: put it in as text where the marker stands
  let text = JSON.stringify(copy);
  for (const value of extra) text = text.replace('"__fuzz_proto_marker__":true', `"__proto__":${value}`);
  return text;
}

function expectWellFormed(reply: { status: number; body: any; text: string }, context: string) {
  expect(reply.status, `${context}\n${reply.text.slice(0, 500)}`).toBeLessThan(500);
  expect(reply.text).not.toMatch(/\n\s+at /);
  if (reply.status >= 400) {
    const e = reply.body?.error;
    expect(typeof e?.code, context).toBe('string');
    expect(e.message, context).toMatch(/[\u4e00-\u9fff]/);
    expect(Array.isArray(e.details)).toBe(true);
    expect(e.details.length).toBeLessThanOrEqual(100);
    for (const d of e.details) {
      expect(typeof d.path).toBe('string');
      expect(typeof d.message).toBe('string');
    }
  }
}

let service: TestService;
beforeAll(async () => {
  const started = await startTestService();
  // every answer also as the served OpenAPI document declares it (status, headers, body, error code)
  service = { ...started, send: checkedSend(started.send, contractChecker((await started.send('GET', '/v1/openapi.json')).body)) };
});
afterAll(async () => {
  await service.close();
});

describe('fuzz over HTTP', () => {
  it(`POST /v1/score: ${SUBMISSION_RUNS} mutated submissions, no 5xx`, async () => {
    const seeds = [example('meizhou-2022.json'), example('national-road-maintenance-2023.json'), example('national-training-2023.json')];
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (seed, mutations) => {
        const raw = mutate(seeds[seed], mutations);
        const reply = await service.send('POST', '/v1/score', { token: service.tokens.unit, raw, headers: { 'Content-Type': 'application/json' } });
        expectWellFormed(reply, raw.slice(0, 300));
        if (reply.status === 200) accepted++;
        else if (reply.status === 422) expect(reply.body.error.details.every((d: { path: string }) => d.path.startsWith('$'))).toBe(true);
      }),
      { numRuns: SUBMISSION_RUNS, seed: 20261202 },
    );
    // the mutations are not all rejected at the door: some reach scoring
    expect(accepted).toBeGreaterThan(0);
  });

  it(`POST /v1/rulesets: ${RULESET_RUNS} mutated rule sets, no 5xx`, async () => {
    const base = ruleSet('gd-meizhou-2022') as unknown as Record<string, unknown>;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const doc = JSON.parse(mutate(base, mutations)) as Record<string, unknown>;
        // a fresh version each time, so a mutation is not just an unchanged republish
        if (doc && typeof doc === 'object' && !Array.isArray(doc) && typeof doc.version === 'string') doc.version = `2.0.${n++}`;
        const raw = `{"ruleset":${JSON.stringify(doc)}}`;
        const reply = await service.send('POST', '/v1/rulesets', { token: service.tokens.bureau, raw, headers: { 'Content-Type': 'application/json' } });
        expectWellFormed(reply, raw.slice(0, 300));
      }),
      { numRuns: RULESET_RUNS, seed: 20261202 },
    );
  });
});
