// /v1/openapi.json is a valid OpenAPI 3.1 document, built from schemas/ and the route contracts, describing every
// route the app serves with the statuses, headers and error codes each can answer; and the checker the contract
// suite runs every reply through fails on what a route did not declare.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/domain/errors.js';
import { isApiPath } from '../../src/web/pages.js';
import { createApp } from '../../src/http/app.js';
import { declaredErrors, ROUTES, type RouteContract } from '../../src/http/contract.js';
import type { AppDeps } from '../../src/http/env.js';
import { ALL_ERROR_CODES, STATUS_OF } from '../../src/http/errors.js';
import { buildOpenApi } from '../../src/http/openapi.js';
import { ACTIONS, refusalCodes } from '../../src/services/policy.js';
import type { Reply } from './harness.js';
import { ContractViolation, contractChecker } from './openapi-contract.js';

const spec = () => buildOpenApi() as any;
const routes = ROUTES as readonly RouteContract[];
const operations = () => Object.values(spec().paths).flatMap((item: any) => Object.values(item)) as any[];
/** the codes a response lists in its error.code enum */
const codesOf = (response: any): string[] => response.content['application/json'].schema.allOf[1].properties.error.properties.code.enum;

describe('OpenAPI document', () => {
  it('validates as OpenAPI 3.1 with every $ref resolving', async () => {
    const validator = new Validator();
    const res = await validator.validate(buildOpenApi());
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    await expect(validator.validateBundle([buildOpenApi()])).resolves.toMatchObject({ valid: true });
  });

  it('describes every API route the app serves, and nothing else (the pages are HTML for people, not the API)', () => {
    const app = createApp({ clock: () => new Date() } as unknown as AppDeps);
    const served = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL' && (isApiPath(r.path) || r.path === '/docs'))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`),
    );
    const documented = new Set(Object.entries(spec().paths as Record<string, object>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
    expect(served.size).toBeGreaterThan(10);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('takes its component schemas from schemas/ (no second copy)', () => {
    const doc = spec();
    expect(doc.components.schemas.Submission.properties.project.required).toEqual(['name', 'unitId', 'unitName', 'fiscalYear']);
    expect(doc.components.schemas.RuleSet_node).toBeDefined();
    expect(JSON.stringify(doc)).not.toContain('$defs');
    expect(JSON.stringify(doc)).not.toContain('jxzp.example');
  });

  it('enumerates error.code from the codes STATUS_OF maps', () => {
    const code = spec().components.schemas.Error.properties.error.properties.code;
    expect(code.type).toBe('string');
    expect([...code.enum].sort()).toEqual(Object.keys(STATUS_OF).sort());
    expect(code.enum).toContain('UNSUPPORTED_MEDIA_TYPE');
    expect(STATUS_OF.UNSUPPORTED_MEDIA_TYPE).toBe(415);
  });

  it('generates each error response from the route’s declared codes: one status per code, as STATUS_OF says', () => {
    for (const route of routes) {
      const op = spec().paths[route.path][route.method];
      const declared = [...declaredErrors(route).keys()];
      const listed: string[] = [];
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (status === 'default' || Number(status) < 400) continue;
        for (const code of codesOf(response)) {
          expect(STATUS_OF[code as ErrorCode], `${route.operationId} ${status} ${code}`).toBe(Number(status));
          listed.push(code);
        }
      }
      expect(listed.sort(), route.operationId).toEqual([...declared].sort());
      // the default response is for server faults only
      expect(codesOf(op.responses.default).map((c) => STATUS_OF[c as ErrorCode])).toEqual(codesOf(op.responses.default).map(() => 500));
    }
  });

  it('declares the refusals the policy can give for each route’s action, and the body errors for each JSON body', () => {
    const op = (id: string) => operations().find((o) => o.operationId === id);
    for (const route of routes) {
      const codes = [...declaredErrors(route).keys()];
      if (route.action) expect(codes, route.operationId).toEqual(expect.arrayContaining(refusalCodes(route.action)));
      expect(codes.includes('UNSUPPORTED_MEDIA_TYPE'), route.operationId).toBe(route.requestBody !== undefined);
      expect(codes.includes('UNAUTHENTICATED'), route.operationId).toBe(route.access === 'token');
    }
    // concrete consequences of the policy table
    expect(codesOf(op('submitEvaluation').responses['403'])).toEqual(['FORBIDDEN']);
    expect(codesOf(op('publishRuleSet').responses['403'])).toEqual(['FORBIDDEN']);
    expect(codesOf(op('addReview').responses['403'])).toEqual(['FORBIDDEN']);
    expect(codesOf(op('getEvaluation').responses['404'])).toEqual(['NOT_FOUND']);
    expect(op('score').responses['403']).toBeUndefined(); // every signed-in role may trial-score
    expect(op('listEvaluations').responses['403']).toBeUndefined();
    expect(codesOf(op('score').responses['415'])).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    expect(op('getEvaluation').responses['415']).toBeUndefined();
    expect(op('submitEvaluation').description).toContain('预算单位：仅限本单位');
    // every action of the policy is performed by some route, or by the CLI (rescore)
    const performed = new Set(routes.map((r) => r.action));
    expect(ACTIONS.filter((a) => !performed.has(a))).toEqual(['rescoreEvaluations']);
  });

  it('declares the headers the service sends', () => {
    const doc = spec();
    for (const op of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        expect(response.headers['X-Request-Id'], `${op.operationId} ${status}`).toEqual({ $ref: '#/components/headers/X-Request-Id' });
      }
    }
    const submit = operations().find((o) => o.operationId === 'submitEvaluation');
    expect(submit.responses['201'].headers).toMatchObject({
      Location: { $ref: '#/components/headers/Location' },
      'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed-optional' },
    });
    expect(submit.responses['429'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });
    expect(submit.responses['503'].headers['Retry-After']).toEqual({ $ref: '#/components/headers/Retry-After' });
    expect(submit.responses['401'].headers['WWW-Authenticate']).toEqual({ $ref: '#/components/headers/WWW-Authenticate' });
    expect(submit.responses['507'].headers['Retry-After']).toBeUndefined();
    expect(doc.components.headers.Location.required).toBe(true);
    expect(doc.components.headers['Idempotent-Replayed-optional'].required).toBe(false);
    // every route behind a token can be asked to retry
    for (const route of routes.filter((r) => r.access === 'token')) {
      expect(doc.paths[route.path][route.method].responses['429'], route.operationId).toBeDefined();
    }
    expect(ALL_ERROR_CODES.filter((c) => STATUS_OF[c] === 503)).toEqual(['STORAGE_UNAVAILABLE']);
  });
});

describe('the contract checker', () => {
  const checker = () => contractChecker(spec());
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return {
      status,
      headers: new Headers({ 'content-type': 'application/json', 'x-request-id': 'rq1', ...headers }),
      body: typeof body === 'string' ? null : body,
      text,
      bytes: new TextEncoder().encode(text),
    };
  };
  const error = (code: string, requestId = 'rq1') => ({ error: { code, message: '错误', requestId, details: [] } });

  it('accepts a declared error, and a fault under the default response', () => {
    const c = checker();
    expect(c.check('POST', '/v1/evaluations', reply(403, error('FORBIDDEN')))).toBe('submitEvaluation');
    expect(c.check('GET', '/v1/evaluations/ev_1', reply(500, error('INTERNAL')))).toBe('getEvaluation');
    expect(c.check('GET', '/v1/nothing', reply(404, error('NOT_FOUND')))).toBeNull();
    expect([...c.seen].sort()).toEqual(['getEvaluation 500', 'submitEvaluation 403']);
  });

  it('fails on a status the route did not declare', () => {
    expect(() => checker().check('POST', '/v1/score', reply(404, error('NOT_FOUND')))).toThrow(ContractViolation);
    expect(() => checker().check('GET', '/v1/rulesets', reply(418, error('INTERNAL')))).toThrow(/not answered with status 418/);
    expect(() => checker().check('GET', '/v1/rulesets', reply(201, { rulesets: [] }))).toThrow(/default response/);
  });

  it('fails on an error code the response does not list, or one answered with another status', () => {
    expect(() => checker().check('POST', '/v1/evaluations', reply(409, error('VERSION_CONFLICT')))).toThrow(/must be equal to one of the allowed values/);
    expect(() => checker().check('POST', '/v1/evaluations', reply(400, error('UNSUPPORTED_MEDIA_TYPE')))).toThrow(ContractViolation);
    expect(() => checker().check('POST', '/v1/evaluations', reply(400, error('BAD_REQUEST', 'other')))).toThrow(/requestId/);
  });

  it('fails on a missing or malformed declared header', () => {
    const c = checker();
    const evaluation = { id: 'ev_1' }; // the body is checked after the headers
    expect(() => c.check('POST', '/v1/evaluations', reply(201, evaluation))).toThrow(/Location is missing/);
    expect(() => c.check('POST', '/v1/evaluations', reply(201, evaluation, { location: '/elsewhere' }))).toThrow(/header Location/);
    expect(() => c.check('POST', '/v1/evaluations', reply(429, error('TOO_MANY_REQUESTS')))).toThrow(/Retry-After is missing/);
    expect(() => c.check('GET', '/v1/rulesets', reply(401, error('UNAUTHENTICATED')))).toThrow(/WWW-Authenticate is missing/);
    expect(() => c.check('GET', '/healthz', reply(200, { status: 'ok', engine: {} }, { 'x-request-id': '' }))).toThrow(/X-Request-Id/);
  });

  it('fails on a body that does not match its schema, or the wrong Content-Type', () => {
    const c = checker();
    expect(() => c.check('POST', '/v1/evaluations', reply(201, { id: 'ev_1' }, { location: '/v1/evaluations/ev_1' }))).toThrow(/must have required property/);
    expect(() => c.check('GET', '/v1/evaluations', reply(200, { evaluations: [], nextCursor: 3 }))).toThrow(/nextCursor/);
    expect(() => c.check('GET', '/healthz', reply(200, { status: 'ok', engine: {} }, { 'content-type': 'text/plain' }))).toThrow(/Content-Type/);
    expect(() => c.check('POST', '/v1/evaluations', reply(403, { error: { code: 'FORBIDDEN', message: 'x', requestId: 'rq1' } }))).toThrow(ContractViolation);
    expect(c.check('GET', '/healthz', reply(200, { status: 'ok', engine: { name: 'x', version: '1' } }))).toBe('health');
  });
});
