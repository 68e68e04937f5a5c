// The full role matrix: every route × bureau / reviewer / own unit / other unit / no token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, ruleSet } from '../support.js';
import { OWN_UNIT, startTestService, type TestService } from './harness.js';

type Who = 'bureau' | 'reviewer' | 'unit' | 'otherUnit' | 'none';
const WHO: Who[] = ['bureau', 'reviewer', 'unit', 'otherUnit', 'none'];

let svc: TestService;
let ownEvaluation: string;

beforeAll(async () => {
  svc = await startTestService();
  const r = await svc.send('POST', '/v1/evaluations', { token: svc.tokens.unit, json: example('meizhou-2022.json') });
  expect(r.status).toBe(201);
  ownEvaluation = r.body.id;
});
afterAll(() => svc.close());

interface Route {
  label: string;
  method: string;
  path: () => string;
  body?: () => unknown;
  expect: Record<Exclude<Who, 'none'>, number>;
}

const routes: Route[] = [
  { label: 'GET /v1/rulesets', method: 'GET', path: () => '/v1/rulesets', expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 200 } },
  { label: 'GET /v1/rulesets/gd-meizhou-2022', method: 'GET', path: () => '/v1/rulesets/gd-meizhou-2022', expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 200 } },
  { label: 'GET /v1/rulesets/gd-meizhou-2022/1.0.0', method: 'GET', path: () => '/v1/rulesets/gd-meizhou-2022/1.0.0', expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 200 } },
  { label: 'POST /v1/rulesets', method: 'POST', path: () => '/v1/rulesets', body: () => ({ ruleset: ruleSet('gd-meizhou-2022') }), expect: { bureau: 200, reviewer: 403, unit: 403, otherUnit: 403 } },
  { label: 'POST /v1/score', method: 'POST', path: () => '/v1/score', body: () => example('meizhou-2022.json'), expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 200 } },
  { label: 'POST /v1/evaluations', method: 'POST', path: () => '/v1/evaluations', body: () => example('meizhou-2022.json'), expect: { bureau: 403, reviewer: 403, unit: 201, otherUnit: 403 } },
  { label: 'GET /v1/evaluations', method: 'GET', path: () => '/v1/evaluations', expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 200 } },
  { label: 'GET /v1/evaluations/{id}', method: 'GET', path: () => `/v1/evaluations/${ownEvaluation}`, expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 404 } },
  { label: 'POST /v1/evaluations/{id}/verify', method: 'POST', path: () => `/v1/evaluations/${ownEvaluation}/verify`, expect: { bureau: 200, reviewer: 200, unit: 200, otherUnit: 404 } },
  {
    label: 'POST /v1/evaluations/{id}/reviews',
    method: 'POST',
    path: () => `/v1/evaluations/${ownEvaluation}/reviews`,
    body: () => ({ items: [{ itemId: 'payment', points: 8, reason: '核实无误' }] }),
    expect: { bureau: 403, reviewer: 201, unit: 403, otherUnit: 403 },
  },
];

describe('role matrix', () => {
  for (const route of routes) {
    for (const who of WHO) {
      const expected = who === 'none' ? 401 : route.expect[who];
      it(`${route.label} as ${who} → ${expected}`, async () => {
        const r = await svc.send(route.method, route.path(), {
          ...(who !== 'none' ? { token: svc.tokens[who] } : {}),
          ...(route.body ? { json: route.body() } : {}),
        });
        expect(r.status, r.text).toBe(expected);
        if (expected >= 400) expect(r.body.error.code).toEqual(expect.any(String));
      });
    }
  }
});

describe('unit isolation', () => {
  it("another unit's evaluation answers 404, exactly like one that does not exist", async () => {
    const other = await svc.send('GET', `/v1/evaluations/${ownEvaluation}`, { token: svc.tokens.otherUnit });
    const missing = await svc.send('GET', '/v1/evaluations/ev_ffffffffffffffffffffffff', { token: svc.tokens.otherUnit });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body.error.code).toBe(missing.body.error.code);
    expect(other.text).not.toContain(OWN_UNIT);
  });

  it('lists only their own evaluations, whatever unit they ask for', async () => {
    const mine = await svc.send('GET', '/v1/evaluations?limit=100', { token: svc.tokens.unit });
    expect(mine.body.evaluations.map((e: any) => e.id)).toContain(ownEvaluation);
    expect(mine.body.evaluations.every((e: any) => e.unitId === OWN_UNIT)).toBe(true);
    const theirs = await svc.send('GET', '/v1/evaluations?limit=100', { token: svc.tokens.otherUnit });
    expect(theirs.body.evaluations.map((e: any) => e.id)).not.toContain(ownEvaluation);
    const asking = await svc.send('GET', `/v1/evaluations?unit=${OWN_UNIT}`, { token: svc.tokens.otherUnit });
    expect(asking.body.evaluations).toEqual([]);
  });

  it('cannot write under another unit id, nor review', async () => {
    const s = example('meizhou-2022.json');
    const r = await svc.send('POST', '/v1/evaluations', { token: svc.tokens.otherUnit, json: s });
    expect(r.status).toBe(403);
    expect(r.body.error.details[0].path).toBe('$.project.unitId');
    const all = await svc.send('GET', '/v1/evaluations?limit=100', { token: svc.tokens.reviewer });
    expect(all.body.evaluations.some((e: any) => e.unitId === 'demo-county-transport')).toBe(false);
  });
});
