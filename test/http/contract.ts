// The HTTP contract, written once against a `send` function so the same cases can run against any runtime. Every
// reply is checked against the OpenAPI document the service serves (openapi-contract.ts): status, declared headers,
// body and error code.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, casesForVersion, example, ruleSet } from '../support.js';
import { listAll, OWN_UNIT, type Reply, type Send } from './harness.js';
import { documentsContract } from './contract-documents.js';
import { workbookContract } from './contract-workbook.js';
import { checkedSend, contractChecker, type ContractChecker } from './openapi-contract.js';

export interface ContractTarget {
  send: Send;
  tokens: { bureau: string; reviewer: string; unit: string; otherUnit: string };
}

const STACK = /\n\s+at |\.ts:\d+|node_modules/;

/** The rule sets shipped in rules/ (id → versions), read from the directory so that adding one changes no test. */
function shippedVersions(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const id of readdirSync(join(ROOT, 'rules'))) {
    const versions = readdirSync(join(ROOT, 'rules', id)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
    if (versions.length > 0) out.set(id, versions);
  }
  return out;
}

export function expectError(r: Reply, status: number, code: string) {
  expect(r.status, r.text).toBe(status);
  expect(Object.keys(r.body)).toEqual(['error']);
  expect(r.body.error).toMatchObject({ code, requestId: expect.any(String), details: expect.any(Array) });
  expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  expect(r.text).not.toMatch(STACK);
}

export function contractSuite(name: string, setup: () => Promise<ContractTarget>) {
  describe(`HTTP contract (${name})`, () => {
    let t: ContractTarget;
    let checker: ContractChecker;
    const seed = () => example('meizhou-2022.json');
    const ids = async (token: string, query = '') => (await listAll(t.send, token, query)).map((e: any) => e.id as string);
    beforeAll(async () => {
      const target = await setup();
      const served = await target.send('GET', '/v1/openapi.json');
      expect(served.status, served.text).toBe(200);
      checker = contractChecker(served.body);
      checker.check('GET', '/v1/openapi.json', served);
      t = { ...target, send: checkedSend(target.send, checker) };
    });

    describe('public routes', () => {
      it('GET /healthz', async () => {
        const r = await t.send('GET', '/healthz');
        expect(r.status).toBe(200);
        expect(r.body.status).toBe('ok');
      });
      it('GET /readyz: the database can be written', async () => {
        const r = await t.send('GET', '/readyz');
        expect(r.status, r.text).toBe(200);
        expect(r.body).toEqual({ status: 'ready' });
      });
      it('GET /v1/openapi.json needs no token', async () => {
        const r = await t.send('GET', '/v1/openapi.json');
        expect(r.status).toBe(200);
        expect(r.body.openapi).toBe('3.1.0');
      });
      it('GET /docs renders the API document page', async () => {
        const r = await t.send('GET', '/docs');
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toContain('text/html');
        expect(r.text).toContain('/v1/openapi.json');
      });
      it('unknown routes answer 404 with the error body', async () => {
        expectError(await t.send('GET', '/v1/nothing', { token: t.tokens.bureau }), 404, 'NOT_FOUND');
      });
    });

    describe('authentication', () => {
      it('no token → 401 with WWW-Authenticate', async () => {
        const r = await t.send('GET', '/v1/rulesets');
        expectError(r, 401, 'UNAUTHENTICATED');
        expect(r.headers.get('www-authenticate')).toBe('Bearer');
      });
      it('unknown token → 401', async () => {
        expectError(await t.send('GET', '/v1/rulesets', { token: 'jxzp_0000' }), 401, 'UNAUTHENTICATED');
      });
    });

    describe('rule sets', () => {
      it('lists every shipped rule set with status, years, provisional flag and sha256', async () => {
        const r = await t.send('GET', '/v1/rulesets', { token: t.tokens.unit });
        expect(r.status).toBe(200);
        const shipped = shippedVersions();
        expect([...shipped.keys()]).toEqual(expect.arrayContaining(['cn-mof-2020', 'gd-meizhou-2022']));
        expect(r.body.rulesets.map((s: any) => s.id).sort()).toEqual([...shipped.keys()].sort());
        for (const set of r.body.rulesets) {
          expect(set.versions.map((v: any) => [v.version, v.status]).sort()).toEqual(shipped.get(set.id)!.map((v) => [v, 'bundled']).sort());
        }
        const gd = r.body.rulesets.find((s: any) => s.id === 'gd-meizhou-2022');
        expect(gd.versions[0]).toMatchObject({
          version: '1.0.0',
          status: 'bundled',
          provisional: true,
          fiscalYears: { from: 2022, to: 2022 },
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      });
      it('GET one rule set and one version (with its document); unknown ones 404', async () => {
        const r = await t.send('GET', '/v1/rulesets/cn-mof-2020', { token: t.tokens.reviewer });
        expect(r.status).toBe(200);
        expect(r.body.versions.map((v: any) => v.version)).toContain('1.0.0');
        const v = await t.send('GET', '/v1/rulesets/cn-mof-2020/1.0.0', { token: t.tokens.reviewer });
        expect(v.status).toBe(200);
        expect(v.body.ruleset.indicators.map((n: any) => n.id)).toEqual(['budgetExecution', 'output', 'benefit', 'satisfaction']);
        expectError(await t.send('GET', '/v1/rulesets/nope-2020', { token: t.tokens.reviewer }), 404, 'NOT_FOUND');
        expectError(await t.send('GET', '/v1/rulesets/cn-mof-2020/9.9.9', { token: t.tokens.reviewer }), 404, 'NOT_FOUND');
      });
    });

    describe('POST /v1/score', () => {
      it('scores without storing', async () => {
        // one stored evaluation first, so the list read back is known to show what is stored
        const stored = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed() });
        expect(stored.status, stored.text).toBe(201);
        const before = await ids(t.tokens.reviewer);
        expect(before).toContain(stored.body.id);
        const r = await t.send('POST', '/v1/score', { token: t.tokens.reviewer, json: seed() });
        expect(r.status).toBe(200);
        expect(r.body.total).toBe(100);
        expect(r.body.grade).toMatchObject({ code: 'excellent', name: '优' });
        expect(r.headers.get('location')).toBeNull();
        expect(await ids(t.tokens.reviewer)).toEqual(before);
      });
      it('malformed JSON → 400 MALFORMED_JSON', async () => {
        expectError(await t.send('POST', '/v1/score', { token: t.tokens.unit, raw: '{"ruleset": ', headers: { 'Content-Type': 'application/json' } }), 400, 'MALFORMED_JSON');
      });
      it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE, on every route with a JSON body', async () => {
        const text = { raw: JSON.stringify(seed()), headers: { 'Content-Type': 'text/plain' } };
        const r = await t.send('POST', '/v1/score', { token: t.tokens.unit, ...text });
        expectError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(r.body.error.details).toEqual([{ path: 'header.content-type', message: '收到的是「text/plain」' }]);
        expectError(await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, ...text }), 415, 'UNSUPPORTED_MEDIA_TYPE');
        expectError(await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, ...text }), 415, 'UNSUPPORTED_MEDIA_TYPE');
        expectError(await t.send('POST', '/v1/score', { token: t.tokens.unit, raw: JSON.stringify(seed()) }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      });
      it('a body over the 1 MiB limit → 413, on any route a body can be sent to', async () => {
        const big = { raw: JSON.stringify(seed()) + ' '.repeat(1024 * 1024 + 10), headers: { 'Content-Type': 'application/json' } };
        expectError(await t.send('POST', '/v1/score', { token: t.tokens.unit, ...big }), 413, 'PAYLOAD_TOO_LARGE');
        expectError(await t.send('POST', '/v1/evaluations/ev_000000000000000000000000/verify', { token: t.tokens.reviewer, ...big }), 413, 'PAYLOAD_TOO_LARGE');
      });
      it('invalid submission → 422 with paths and Chinese messages', async () => {
        const s = seed();
        delete s.facts.payment.spent;
        s.project.fiscalYear = '2022';
        const r = await t.send('POST', '/v1/score', { token: t.tokens.unit, json: s });
        expectError(r, 422, 'SUBMISSION_INVALID');
        expect(r.body.error.details).toContainEqual({ path: '$.project.fiscalYear', message: '类型错误：应为整数' });
      });
      it('unknown rule set → 422 RULESET_NOT_FOUND naming the path', async () => {
        const s = seed();
        s.ruleset.id = 'gd-unknown-2022';
        const r = await t.send('POST', '/v1/score', { token: t.tokens.unit, json: s });
        expectError(r, 422, 'RULESET_NOT_FOUND');
        expect(r.body.error.details[0].path).toBe('$.ruleset.id');
      });
    });

    describe('evaluations', () => {
      let stored: any;
      let storedLocation: string | null;
      beforeAll(async () => {
        const r = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed() });
        expect(r.status, r.text).toBe(201);
        stored = r.body;
        storedLocation = r.headers.get('location');
      });

      it('POST stores and answers 201 with the full result and provenance', () => {
        expect(stored.id).toMatch(/^ev_/);
        expect(storedLocation).toBe(`/v1/evaluations/${stored.id}`);
        expect(stored.result.total).toBe(100);
        expect(stored.result.grade).toMatchObject({ code: 'excellent', name: '优', label: '优秀' });
        expect(stored.ruleset).toMatchObject({ id: 'gd-meizhou-2022', version: '1.0.0', sha256: stored.result.ruleset.sha256 });
        expect(stored.inputSha256).toMatch(/^[0-9a-f]{64}$/);
        expect(stored.engineVersion).toBe(stored.result.engine.version);
      });

      it('GET returns the same result, with self-reported and recomputed side by side', async () => {
        const r = await t.send('GET', `/v1/evaluations/${stored.id}`, { token: t.tokens.unit });
        expect(r.status).toBe(200);
        expect(r.body.result).toEqual(stored.result);
        expect(r.body.comparison.total).toEqual({ selfReported: 100, recomputed: 100, review: null });
        expect(r.body.comparison.items.find((i: any) => i.itemId === 'payment')).toMatchObject({ recomputed: 8, max: 8, review: null });
      });

      it('a unit may not submit for another unit (403)', async () => {
        const s = seed();
        s.project.unitId = 'someone-else';
        expectError(await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: s }), 403, 'FORBIDDEN');
      });

      it('invalid submission → 422 and nothing stored', async () => {
        const before = await ids(t.tokens.unit);
        expect(before).toContain(stored.id);
        const s = seed();
        s.facts.fairness.satisfactionRate = 1.5;
        expectError(await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: s }), 422, 'SUBMISSION_INVALID');
        expect(await ids(t.tokens.unit)).toEqual(before);
      });

      it('Idempotency-Key: same key and body → the same evaluation; other body → 409', async () => {
        const key = `retry-${Math.random()}`;
        const first = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed(), headers: { 'Idempotency-Key': key } });
        expect(first.status).toBe(201);
        const again = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed(), headers: { 'Idempotency-Key': key } });
        expect(again.status).toBe(201);
        expect(again.body.id).toBe(first.body.id);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        const other = seed();
        other.facts.fairness.satisfactionRate = 0.5;
        expectError(await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: other, headers: { 'Idempotency-Key': key } }), 409, 'IDEMPOTENCY_CONFLICT');
        const noKey1 = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed() });
        const noKey2 = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed() });
        expect(noKey1.body.id).not.toBe(noKey2.body.id);
        expectError(await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed(), headers: { 'Idempotency-Key': 'has space' } }), 400, 'BAD_REQUEST');
      });

      it('concurrent submissions: each is stored once; concurrent retries with one key give one evaluation', async () => {
        const key = `burst-${Math.random()}`;
        const before = await ids(t.tokens.reviewer);
        expect(before).toContain(stored.id);
        const replies = await Promise.all([
          ...Array.from({ length: 6 }, () => t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed(), headers: { 'Idempotency-Key': key } })),
          ...Array.from({ length: 6 }, () => t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed() })),
        ]);
        expect(replies.map((r) => r.status)).toEqual(Array(12).fill(201));
        expect(new Set(replies.slice(0, 6).map((r) => r.body.id)).size).toBe(1);
        expect(new Set(replies.slice(6).map((r) => r.body.id)).size).toBe(6);
        const after = await ids(t.tokens.reviewer);
        const added = new Set(replies.map((r) => r.body.id as string));
        expect(added.size).toBe(7);
        expect(after.filter((id) => !before.includes(id)).sort()).toEqual([...added].sort());
        expect(after).toHaveLength(before.length + 7);
        for (const r of replies) {
          expect((await t.send('GET', `/v1/evaluations/${r.body.id}`, { token: t.tokens.unit })).status).toBe(200);
        }
      });

      it('lists newest first with a cursor, and filters', async () => {
        const page1 = await t.send('GET', '/v1/evaluations?limit=2', { token: t.tokens.reviewer });
        expect(page1.status).toBe(200);
        expect(page1.body.evaluations).toHaveLength(2);
        expect(page1.body.nextCursor).toEqual(expect.any(String));
        const page2 = await t.send('GET', `/v1/evaluations?limit=2&cursor=${page1.body.nextCursor}`, { token: t.tokens.reviewer });
        const ids1 = page1.body.evaluations.map((e: any) => e.id);
        const ids2 = page2.body.evaluations.map((e: any) => e.id);
        expect(ids2.length).toBeGreaterThan(0);
        expect(ids1.filter((id: string) => ids2.includes(id))).toEqual([]);
        const all = await listAll(t.send, t.tokens.reviewer);
        expect(all.length).toBeGreaterThan(2);
        const sorted = [...all].sort((a: any, b: any) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
        expect(all.map((e: any) => e.id)).toEqual(sorted.map((e: any) => e.id));
        expect((await t.send('GET', '/v1/evaluations?year=2021', { token: t.tokens.reviewer })).body.evaluations).toEqual([]);
        expect((await t.send('GET', '/v1/evaluations?grade=poor', { token: t.tokens.reviewer })).body.evaluations).toEqual([]);
        expect((await t.send('GET', '/v1/evaluations?ruleset=gd-meizhou-2022', { token: t.tokens.reviewer })).body.evaluations.length).toBeGreaterThan(0);
        expectError(await t.send('GET', '/v1/evaluations?year=twenty', { token: t.tokens.reviewer }), 400, 'BAD_REQUEST');
        expectError(await t.send('GET', '/v1/evaluations?sort=asc', { token: t.tokens.reviewer }), 400, 'BAD_REQUEST');
        expectError(await t.send('GET', '/v1/evaluations?cursor=%%%', { token: t.tokens.reviewer }), 400, 'BAD_REQUEST');
      });

      it('verify reports identical for an untouched evaluation', async () => {
        const r = await t.send('POST', `/v1/evaluations/${stored.id}/verify`, { token: t.tokens.reviewer });
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ evaluationId: stored.id, identical: true, inputSha256Matches: true, differences: [] });
        expect(r.body.ruleset.currentSha256).toBe(stored.ruleset.sha256);
      });

      it('reviews: a layer of review points with reasons; GET shows self / recomputed / review and the review total', async () => {
        const r = await t.send('POST', `/v1/evaluations/${stored.id}/reviews`, {
          token: t.tokens.reviewer,
          json: {
            items: [
              { itemId: 'fairness', points: 6, reason: '满意度无调查佐证材料，按部分达成计' },
              { itemId: 'effectiveness', points: 18.5, reason: '一项效果目标仅部分实现' },
            ],
            comment: '现场复核',
          },
        });
        expect(r.status, r.text).toBe(201);
        const got = await t.send('GET', `/v1/evaluations/${stored.id}`, { token: t.tokens.unit });
        const fairness = got.body.comparison.items.find((i: any) => i.itemId === 'fairness');
        expect(fairness).toMatchObject({ recomputed: 10, review: { points: 6, reason: '满意度无调查佐证材料，按部分达成计' } });
        expect(got.body.comparison.total).toEqual({ selfReported: 100, recomputed: 100, review: 94.5 });
        expect(got.body.comparison.grade.review).toMatchObject({ code: 'excellent' });
        expect(got.body.result).toEqual(stored.result); // the machine result is never edited
        // a later review of the same item replaces it in the comparison; earlier reviews stay on record
        await t.send('POST', `/v1/evaluations/${stored.id}/reviews`, { token: t.tokens.reviewer, json: { items: [{ itemId: 'fairness', points: 0, reason: '无任何满意度证据' }] } });
        const later = await t.send('GET', `/v1/evaluations/${stored.id}`, { token: t.tokens.reviewer });
        expect(later.body.comparison.total.review).toBe(88.5);
        expect(later.body.comparison.grade.review).toMatchObject({ code: 'good' });
        expect(later.body.reviews).toHaveLength(2);
      });

      it('invalid reviews → 422 with paths, nothing stored', async () => {
        const bad = await t.send('POST', `/v1/evaluations/${stored.id}/reviews`, {
          token: t.tokens.reviewer,
          json: { items: [{ itemId: 'payment', points: 9, reason: '超出' }, { itemId: 'nothing', points: 1, reason: 'x' }, { itemId: 'economy', points: 1.005, reason: '三位小数' }] },
        });
        expectError(bad, 422, 'REVIEW_INVALID');
        expect(bad.body.error.details.map((d: any) => d.path)).toEqual(['$.items[0].points', '$.items[1].itemId', '$.items[2].points']);
        const noReason = await t.send('POST', `/v1/evaluations/${stored.id}/reviews`, { token: t.tokens.reviewer, json: { items: [{ itemId: 'payment', points: 7, reason: '  ' }] } });
        expectError(noReason, 422, 'REVIEW_INVALID');
        expect(noReason.body.error.details[0].path).toBe('$.items[0].reason');
        const got = await t.send('GET', `/v1/evaluations/${stored.id}`, { token: t.tokens.reviewer });
        expect(got.body.reviews).toHaveLength(2);
      });

      it('unknown evaluation → 404', async () => {
        expectError(await t.send('GET', '/v1/evaluations/ev_000000000000000000000000', { token: t.tokens.reviewer }), 404, 'NOT_FOUND');
      });
    });

    describe('publishing rule sets (bureau)', () => {
      const next = () => {
        const doc: any = ruleSet('gd-meizhou-2022');
        doc.version = '1.1.0';
        doc.fiscalYears = { from: 2023, to: 2023 };
        doc.changelog = '2023 年度沿用 2022 年度暂行分值';
        return doc;
      };

      it('publishes a checked version (201), accepts the same again (200), refuses other content (409)', async () => {
        const first = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: next(), cases: casesForVersion('gd-meizhou-2022', '1.1.0') } });
        expect(first.status, first.text).toBe(201);
        expect(first.body).toMatchObject({ id: 'gd-meizhou-2022', version: '1.1.0', status: 'published', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
        const again = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: next() } });
        expect(again.status).toBe(200);
        expect(again.body.sha256).toBe(first.body.sha256);
        const changed = next();
        changed.changelog = '改了说明';
        expectError(await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: changed } }), 409, 'VERSION_CONFLICT');
        const bundled: any = ruleSet('gd-meizhou-2022');
        expect((await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: bundled } })).status).toBe(200);
        bundled.title = '篡改';
        expectError(await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: bundled } }), 409, 'VERSION_CONFLICT');
      });

      it('serves the published version like a bundled one and scores its fiscal year with it', async () => {
        const list = await t.send('GET', '/v1/rulesets/gd-meizhou-2022', { token: t.tokens.unit });
        const versions = list.body.versions.map((v: any) => [v.version, v.status]);
        expect(versions.slice().sort()).toEqual([['1.1.0', 'published'], ...shippedVersions().get('gd-meizhou-2022')!.map((v) => [v, 'bundled'])].sort());
        // newest first
        const newer = (a: string, b: string) => {
          const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
          const i = x.findIndex((n, k) => n !== y[k]);
          return i >= 0 && x[i]! > y[i]!;
        };
        versions.slice(1).forEach(([v]: [string], i: number) => expect(newer(versions[i][0], v), `${versions[i][0]} before ${v}`).toBe(true));
        const s = example('meizhou-2022.json');
        s.project.fiscalYear = 2023;
        const r = await t.send('POST', '/v1/score', { token: t.tokens.unit, json: s });
        expect(r.status).toBe(200);
        expect(r.body.ruleset.version).toBe('1.1.0');
        s.project.fiscalYear = 2022;
        expect((await t.send('POST', '/v1/score', { token: t.tokens.unit, json: s })).body.ruleset.version).toBe('1.0.0');
      });

      it('a version failing its checks or golden cases → 422 with the diagnostics', async () => {
        const overlap = next();
        overlap.version = '1.2.0';
        overlap.rules.find((r: any) => r.name === 'payment.short').conditions.all[0].operator = 'lessThanInclusive';
        const r = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: overlap } });
        expectError(r, 422, 'RULESET_INVALID');
        expect(r.body.error.details[0].message).toContain('BAND_OVERLAP');

        const wrongPoints = next();
        wrongPoints.version = '1.3.0';
        wrongPoints.fiscalYears = { from: 2022, to: 2022 }; // the shipped seed case applies to it
        wrongPoints.rules.find((x: any) => x.name === 'payment.met').event.params.award = { method: 'fraction', fraction: 0.5 };
        const c = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: wrongPoints } });
        expectError(c, 422, 'RULESET_INVALID');
        expect(c.body.error.details.map((d: any) => d.message).join('\n')).toContain('CASE_FAILED');

        const schemaBroken = next();
        schemaBroken.version = '1.4.0';
        delete schemaBroken.rules;
        const s = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: schemaBroken } });
        expectError(s, 422, 'RULESET_INVALID');
        expect(s.body.error.details[0].path).toBe('$.ruleset.rules');
        expect((await t.send('GET', '/v1/rulesets/gd-meizhou-2022', { token: t.tokens.unit })).body.versions).toHaveLength(shippedVersions().get('gd-meizhou-2022')!.length + 1);
      });

      it('supplied golden cases must pass too', async () => {
        const doc = next();
        doc.version = '1.5.0';
        doc.fiscalYears = { from: 2024, to: 2024 };
        const s = example('meizhou-2022.json');
        s.project.fiscalYear = 2024;
        const c = { name: '2024 种子', submission: s, expect: { total: 99, grade: 'excellent', items: {} } };
        const cases = [c, ...casesForVersion('gd-meizhou-2022', '1.5.0')];
        const r = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: doc, cases } });
        expectError(r, 422, 'RULESET_INVALID');
        expect(r.body.error.details[0]).toMatchObject({ path: '$.cases[0]', message: expect.stringContaining('总分为 100，期望 99') });
        c.expect.total = 100;
        expect((await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: doc, cases } })).status).toBe(201);
      });

      it('the publish gate: a version whose cases leave a scoring rule or a grade band unexercised → 422 listing them', async () => {
        const doc = next();
        doc.version = '1.6.0';
        doc.fiscalYears = { from: 2025, to: 2025 };
        const none = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: doc } });
        expectError(none, 422, 'RULESET_INVALID');
        const details = none.body.error.details as { path: string; message: string }[];
        // no case at all: every scoring rule and every band is listed (capped at 100 details)
        expect(details.every((d) => d.message.startsWith('CASE_COVERAGE_INCOMPLETE'))).toBe(true);
        expect(details.map((d) => d.path)).toEqual(expect.arrayContaining(['$.ruleset.rules[0]', '$.ruleset.grades[0]', '$.ruleset.grades[3]']));

        // the shipped cases minus the only one reaching 差: exactly that band (and the rules only it reaches) are listed
        const all = casesForVersion('gd-meizhou-2022', '1.6.0');
        const withoutPoor = all.filter((c) => c.expect.grade !== 'poor');
        expect(withoutPoor.length).toBe(all.length - 1);
        const partial = await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: doc, cases: withoutPoor } });
        expectError(partial, 422, 'RULESET_INVALID');
        const gaps = partial.body.error.details as { path: string; message: string }[];
        expect(gaps.filter((d) => d.path.startsWith('$.ruleset.grades'))).toEqual([
          { path: '$.ruleset.grades[3]', message: expect.stringContaining('没有测试用例的总分落在等级 差（0 ≤ 总分 < 60）') },
        ]);
        expect((await t.send('GET', '/v1/rulesets/gd-meizhou-2022/1.6.0', { token: t.tokens.bureau })).status).toBe(404);
        expect((await t.send('POST', '/v1/rulesets', { token: t.tokens.bureau, json: { ruleset: doc, cases: all } })).status).toBe(201);
      });

      it('a change notice between two versions, readable by any role; an unknown version 422 naming it, a missing one 400', async () => {
        const r = await t.send('GET', '/v1/rulesets/gd-meizhou-2022/diff?from=1.0.0&to=1.1.0', { token: t.tokens.unit });
        expect(r.status, r.text).toBe(200);
        expect(r.body).toMatchObject({ from: { id: 'gd-meizhou-2022', version: '1.0.0' }, to: { id: 'gd-meizhou-2022', version: '1.1.0' } });
        // 1.1.0 differs from 1.0.0 only in its years (and changelog, which the notice leaves out)
        expect(r.body.changes.map((c: any) => c.kind)).toEqual(['fiscalYearsChanged']);
        expect(r.body.notice).toEqual([expect.stringMatching(/^适用年度：.*2022.* → .*2023/)]);
        expectError(await t.send('GET', '/v1/rulesets/gd-meizhou-2022/diff?from=1.0.0&to=9.9.9', { token: t.tokens.unit }), 422, 'RULESET_NOT_FOUND');
        expectError(await t.send('GET', '/v1/rulesets/gd-meizhou-2022/diff?from=1.0.0', { token: t.tokens.unit }), 400, 'BAD_REQUEST');
      });

      it('impact preview (bureau only): re-scores the stored evaluations the candidate applies to, stores nothing', async () => {
        const candidate: any = ruleSet('gd-meizhou-2022');
        candidate.version = '1.9.0';
        candidate.changelog = '候选：优秀线提高到 99.8 分';
        candidate.grades[0].min = 99.8;
        // one stored evaluation certain to move: 90% of the funds arrived, 2.7 of 3 points, total 99.7
        const lower = example('meizhou-2022.json');
        lower.facts.fundsArrival.arrived = 40.491;
        delete lower.selfAssessment;
        const added = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: lower });
        expect(added.status, added.text).toBe(201);
        expect(added.body.result.total).toBe(99.7);
        expectError(await t.send('POST', '/v1/rulesets/impact', { token: t.tokens.unit, json: { ruleset: candidate } }), 403, 'FORBIDDEN');
        const stored = (await listAll(t.send, t.tokens.reviewer, 'ruleset=gd-meizhou-2022&year=2022')) as { total: number; gradeCode: string }[];
        const before = (await listAll(t.send, t.tokens.reviewer)).length;
        const r = await t.send('POST', '/v1/rulesets/impact', { token: t.tokens.bureau, json: { ruleset: candidate, years: [2022] } });
        expect(r.status, r.text).toBe(200);
        expect(r.body.selected).toBe(stored.length);
        expect(r.body.scored + r.body.failed).toBe(r.body.selected);
        // only the bands moved: exactly the 优 evaluations below 99.8 become 良, and no total changes
        const moving = stored.filter((e) => e.gradeCode === 'excellent' && e.total < 99.8).length;
        expect(moving).toBeGreaterThan(0);
        expect(r.body.gradeChanged).toBe(moving);
        expect(r.body.gradeTransitions).toEqual(moving > 0 ? { 'excellent→good': moving } : {});
        expect(r.body.totalChanged).toBe(0);
        expect(r.body.deltas.buckets.find((b: any) => b.range === '0').count).toBe(r.body.scored);
        expect((await listAll(t.send, t.tokens.reviewer)).length).toBe(before);
        expect((await t.send('GET', '/v1/rulesets/gd-meizhou-2022/1.9.0', { token: t.tokens.bureau })).status).toBe(404);
        expectError(await t.send('POST', '/v1/rulesets/impact', { token: t.tokens.bureau, json: { ruleset: candidate, years: [2031] } }), 400, 'BAD_REQUEST');
      });
    });

    describe('disputes (申诉)', () => {
      let evaluationId: string;
      beforeAll(async () => {
        const national = example('national-road-maintenance-2023.json');
        national.project.unitId = OWN_UNIT; // the suite's unit token's unit
        const r = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: national });
        expect(r.status, r.text).toBe(201);
        evaluationId = r.body.id;
      });

      it('a unit disputes an item of its own evaluation; another unit cannot see it; reviewers and the bureau cannot raise one', async () => {
        const body = { itemId: 'roadKm', about: 'recomputed', claimedPoints: 18, criterion: '正向指标按完成比例计分', reason: '两个标段雨季停工，有气象部门证明，应酌情认可' };
        const raised = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.unit, json: body });
        expect(raised.status, raised.text).toBe(201);
        expect(raised.body).toMatchObject({ itemId: 'roadKm', itemName: '完成养护里程', about: 'recomputed', disputedPoints: 16, claimedPoints: 18, status: 'open', answer: null });
        expectError(await t.send('POST', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.otherUnit, json: body }), 404, 'NOT_FOUND');
        expectError(await t.send('GET', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.otherUnit }), 404, 'NOT_FOUND');
        expectError(await t.send('POST', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.reviewer, json: body }), 403, 'FORBIDDEN');
        const noReview = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.unit, json: { ...body, about: 'review' } });
        expectError(noReview, 422, 'DISPUTE_INVALID');
        expect(noReview.body.error.details).toEqual([{ path: '$.about', message: '指标「完成养护里程」还没有复核分，只能对复算分申诉' }]);
        const tooMuch = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.unit, json: { ...body, claimedPoints: 25 } });
        expectError(tooMuch, 422, 'DISPUTE_INVALID');
        expect(tooMuch.body.error.details[0].path).toBe('$.claimedPoints');
      });

      it('the reviewer accepts (which records the review score) or rejects, with a reason; a dispute is answered once', async () => {
        const list = await t.send('GET', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.reviewer });
        expect(list.status).toBe(200);
        const dispute = list.body.disputes[0];
        expectError(await t.send('POST', `/v1/evaluations/${evaluationId}/disputes/${dispute.id}/answer`, { token: t.tokens.unit, json: { decision: 'rejected', reason: 'x' } }), 403, 'FORBIDDEN');
        const noPoints = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes/${dispute.id}/answer`, { token: t.tokens.reviewer, json: { decision: 'accepted', reason: '证明属实' } });
        expectError(noPoints, 422, 'DISPUTE_INVALID');
        const accepted = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes/${dispute.id}/answer`, { token: t.tokens.reviewer, json: { decision: 'accepted', points: 18, reason: '气象证明属实，酌情认可' } });
        expect(accepted.status, accepted.text).toBe(201);
        expect(accepted.body).toMatchObject({ status: 'accepted', answer: { decision: 'accepted', points: 18, reason: '气象证明属实，酌情认可' } });
        expectError(
          await t.send('POST', `/v1/evaluations/${evaluationId}/disputes/${dispute.id}/answer`, { token: t.tokens.reviewer, json: { decision: 'rejected', reason: '改主意' } }),
          409,
          'DISPUTE_ALREADY_ANSWERED',
        );
        // the accepted points are the item's review score now: 88.45 − 16 + 18 = 90.45, 优
        const view = await t.send('GET', `/v1/evaluations/${evaluationId}`, { token: t.tokens.unit });
        expect(view.body.comparison.items.find((i: any) => i.itemId === 'roadKm').review).toMatchObject({ points: 18, reason: '气象证明属实，酌情认可' });
        expect(view.body.comparison.total.review).toBe(90.45);
        // a dispute of the review score, rejected: the history keeps both
        const second = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes`, {
          token: t.tokens.unit,
          json: { itemId: 'roadKm', about: 'review', claimedPoints: 20, criterion: '正向指标按完成比例计分', reason: '应给满分' },
        });
        expect(second.body).toMatchObject({ about: 'review', disputedPoints: 18, status: 'open' });
        const rejected = await t.send('POST', `/v1/evaluations/${evaluationId}/disputes/${second.body.id}/answer`, { token: t.tokens.reviewer, json: { decision: 'rejected', reason: '未完成部分已酌情认可，不再加分' } });
        expect(rejected.body).toMatchObject({ status: 'rejected', answer: { decision: 'rejected', points: null } });
        const history = await t.send('GET', `/v1/evaluations/${evaluationId}/disputes`, { token: t.tokens.unit });
        expect(history.body.disputes.map((d: any) => [d.about, d.status])).toEqual([['recomputed', 'accepted'], ['review', 'rejected']]);
        expectError(await t.send('POST', `/v1/evaluations/${evaluationId}/disputes/dp_nothing/answer`, { token: t.tokens.reviewer, json: { decision: 'rejected', reason: 'x' } }), 404, 'NOT_FOUND');
      });
    });

    describe('evidence (佐证材料)', () => {
      let evaluationId: string;
      const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
      const upload = (token: string, bytes: Uint8Array, name = '服务合同.pdf', item = 'payment') =>
        t.send('POST', `/v1/evaluations/${evaluationId}/items/${item}/evidence`, {
          token,
          binary: bytes,
          headers: { 'Content-Type': 'application/octet-stream', 'X-File-Name': encodeURIComponent(name) },
        });
      beforeAll(async () => {
        const r = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: seed() });
        expect(r.status, r.text).toBe(201);
        evaluationId = r.body.id;
      });

      it('a unit attaches a PDF to an item of its own evaluation and downloads it back as an attachment', async () => {
        const r = await upload(t.tokens.unit, pdf);
        expect(r.status, r.text).toBe(201);
        expect(r.body).toMatchObject({ itemId: 'payment', fileName: '服务合同.pdf', size: pdf.length, mediaType: 'application/pdf' });
        const list = await t.send('GET', `/v1/evaluations/${evaluationId}/evidence`, { token: t.tokens.reviewer });
        expect(list.body.evidence.map((e: any) => e.fileName)).toEqual(['服务合同.pdf']);
        const down = await t.send('GET', `/v1/evaluations/${evaluationId}/evidence/${r.body.id}`, { token: t.tokens.reviewer });
        expect(down.status).toBe(200);
        expect([...down.bytes]).toEqual([...pdf]);
        expect(down.headers.get('content-disposition')).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('服务合同.pdf')}`);
        expect(down.headers.get('x-content-type-options')).toBe('nosniff');
        expect(down.headers.get('content-type')).toBe('application/octet-stream');
      });

      it('refuses SVG, HTML and scripts by their content, whatever their name; only the unit, only its own', async () => {
        const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
        const r = await upload(t.tokens.unit, svg, '图片.png');
        expectError(r, 422, 'EVIDENCE_REFUSED');
        expect(r.body.error.details[0].message).toContain('佐证材料只接受 PDF、PNG/JPEG 图片和 Office 文档');
        expectError(await upload(t.tokens.unit, new TextEncoder().encode('<!doctype html><script>alert(1)</script>'), '说明.pdf'), 422, 'EVIDENCE_REFUSED');
        expectError(await upload(t.tokens.otherUnit, pdf), 404, 'NOT_FOUND');
        expectError(await upload(t.tokens.reviewer, pdf), 403, 'FORBIDDEN');
        expectError(await upload(t.tokens.unit, pdf, '合同.pdf', 'nothing'), 404, 'NOT_FOUND');
        expectError(await t.send('GET', `/v1/evaluations/${evaluationId}/evidence`, { token: t.tokens.otherUnit }), 404, 'NOT_FOUND');
        expectError(await t.send('GET', `/v1/evaluations/${evaluationId}/evidence/ed_nothing`, { token: t.tokens.unit }), 404, 'NOT_FOUND');
        const list = await t.send('GET', `/v1/evaluations/${evaluationId}/evidence`, { token: t.tokens.unit });
        expect(list.body.evidence).toHaveLength(1);
      });
    });

    // the office-file routes, each in its own file (they share this suite's target and its contract checker)
    workbookContract(() => t);
    documentsContract(() => t);

    it('checked every reply against the served document, and every documented operation answered at least once', () => {
      const answered = new Set([...checker.seen].map((k) => k.split(' ')[0]));
      expect(checker.operationIds.length).toBeGreaterThan(10);
      expect(checker.operationIds.filter((id) => !answered.has(id))).toEqual([]);
      // error statuses were checked too, not only successes
      expect([...checker.seen]).toEqual(expect.arrayContaining(['score 415', 'submitEvaluation 403', 'getEvaluation 404', 'publishRuleSet 409', 'addReview 422']));
    });
  });
}
