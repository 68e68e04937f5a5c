// The full role matrix over HTTP: every route × bureau / reviewer / own unit / other unit / no token (the policy table
// itself is tested in test/services/policy.test.ts). Every reply is checked against the served OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, ruleSet } from '../support.js';
import { listAll, OTHER_UNIT, OWN_UNIT, startTestService, type TestService } from './harness.js';
import { checkedSend, contractChecker } from './openapi-contract.js';

type Who = 'bureau' | 'reviewer' | 'unit' | 'otherUnit' | 'none';
const WHO: Who[] = ['bureau', 'reviewer', 'unit', 'otherUnit', 'none'];

let svc: TestService;
let ownEvaluation: string;

beforeAll(async () => {
  const started = await startTestService();
  const served = await started.send('GET', '/v1/openapi.json');
  svc = { ...started, send: checkedSend(started.send, contractChecker(served.body)) };
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
        if (expected >= 400) expect(r.body.error.code).toBe({ 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[expected]);
      });
    }
  }
});

describe('refusals come first', () => {
  it('a role the action never allows is refused before the body is read or the evaluation looked up', async () => {
    const notJson = { raw: 'not json', headers: { 'Content-Type': 'text/plain' } };
    const submit = await svc.send('POST', '/v1/evaluations', { token: svc.tokens.bureau, ...notJson });
    expect(submit.status, submit.text).toBe(403);
    expect(submit.body.error.message).toBe('只有预算单位可以提交自评评价');
    const publish = await svc.send('POST', '/v1/rulesets', { token: svc.tokens.unit, ...notJson });
    expect(publish.status).toBe(403);
    expect(publish.body.error.message).toBe('只有财政局可以发布规则集新版本');
    // a unit asking to review learns nothing about which evaluations exist
    const review = (id: string) => svc.send('POST', `/v1/evaluations/${id}/reviews`, { token: svc.tokens.unit, ...notJson });
    const [existing, missing] = [await review(ownEvaluation), await review('ev_ffffffffffffffffffffffff')];
    expect([existing.status, missing.status]).toEqual([403, 403]);
    expect(existing.body.error.message).toBe(missing.body.error.message);
  });
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
    const stored = await svc.send('POST', '/v1/evaluations', { token: svc.tokens.otherUnit, json: example('national-road-maintenance-2023.json') });
    expect(stored.status, stored.text).toBe(201);
    const theirEvaluation = stored.body.id;
    const mine = await listAll(svc.send, svc.tokens.unit);
    expect(mine.map((e: any) => e.id)).toContain(ownEvaluation);
    expect(mine.map((e: any) => e.id)).not.toContain(theirEvaluation);
    expect(mine.every((e: any) => e.unitId === OWN_UNIT)).toBe(true);
    const theirs = await listAll(svc.send, svc.tokens.otherUnit);
    expect(theirs.map((e: any) => e.id)).toContain(theirEvaluation);
    expect(theirs.map((e: any) => e.id)).not.toContain(ownEvaluation);
    expect(theirs.every((e: any) => e.unitId === OTHER_UNIT)).toBe(true);
    // asking for the other unit shows nothing — though that unit has evaluations, as the reviewer sees
    expect((await listAll(svc.send, svc.tokens.reviewer, `unit=${OWN_UNIT}`)).map((e: any) => e.id)).toContain(ownEvaluation);
    expect(await listAll(svc.send, svc.tokens.otherUnit, `unit=${OWN_UNIT}`)).toEqual([]);
  });

  it('cannot write under another unit id, nor review', async () => {
    const before = (await listAll(svc.send, svc.tokens.reviewer)).map((e: any) => e.id);
    expect(before).toContain(ownEvaluation);
    const reviews = async () => (await svc.send('GET', `/v1/evaluations/${ownEvaluation}`, { token: svc.tokens.reviewer })).body.reviews;
    const reviewsBefore = await reviews();
    const r = await svc.send('POST', '/v1/evaluations', { token: svc.tokens.otherUnit, json: example('meizhou-2022.json') });
    expect(r.status).toBe(403);
    expect(r.body.error.details[0].path).toBe('$.project.unitId');
    const review = await svc.send('POST', `/v1/evaluations/${ownEvaluation}/reviews`, {
      token: svc.tokens.otherUnit,
      json: { items: [{ itemId: 'payment', points: 0, reason: '越权' }] },
    });
    expect(review.status).toBe(403);
    expect((await listAll(svc.send, svc.tokens.reviewer)).map((e: any) => e.id)).toEqual(before);
    expect(await reviews()).toEqual(reviewsBefore);
  });
});
