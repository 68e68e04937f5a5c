// The OpenAPI 3.1 document, generated: shapes from the JSON Schemas in schemas/ (their $defs become components; no
// shape is written twice), operations from the route contracts (contract.ts), error responses from the codes each
// route declares and their statuses (errors.ts), permissions from the policy table.
import apiSchema from '../../schemas/api.schema.json' with { type: 'json' };
import goldenCaseSchema from '../../schemas/golden-case.schema.json' with { type: 'json' };
import resultSchema from '../../schemas/result.schema.json' with { type: 'json' };
import reviewSchema from '../../schemas/review.schema.json' with { type: 'json' };
import publishSchema from '../../schemas/ruleset-publish.schema.json' with { type: 'json' };
import disputeAnswerSchema from '../../schemas/dispute-answer.schema.json' with { type: 'json' };
import disputeSchema from '../../schemas/dispute.schema.json' with { type: 'json' };
import ruleSetSchema from '../../schemas/ruleset.schema.json' with { type: 'json' };
import submissionSchema from '../../schemas/submission.schema.json' with { type: 'json' };
import type { ErrorCode } from '../domain/errors.js';
import { ENGINE_VERSION } from '../engine/compiled.js';
import { describeGrants } from '../services/policy.js';
import { declaredErrors, RESPONSE_HEADERS, ROUTES, type ResponseHeader, type RouteContract, type SuccessResponse } from './contract.js';
import { ALL_ERROR_CODES, ERROR_CODES } from './errors.js';

type Json = Record<string, unknown>;

/** component name → schema document; "" means: only its $defs, named as they are */
const SOURCES: [string, Json][] = [
  ['RuleSet', ruleSetSchema as Json],
  ['Submission', submissionSchema as Json],
  ['Result', resultSchema as Json],
  ['GoldenCase', goldenCaseSchema as Json],
  ['Review', reviewSchema as Json],
  ['PublishRequest', publishSchema as Json],
  ['DisputeRequest', disputeSchema as Json],
  ['DisputeAnswerRequest', disputeAnswerSchema as Json],
  ['', apiSchema as Json],
];

function componentsFromSchemas(): Record<string, Json> {
  const idToName = new Map<string, string>();
  for (const [name, schema] of SOURCES) idToName.set(String(schema.$id), name);
  const components: Record<string, Json> = {};
  const defName = (owner: string, def: string) => (owner ? `${owner}_${def}` : def);
  const rewrite = (value: unknown, owner: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v, owner));
    if (value === null || typeof value !== 'object') return value;
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') {
        const [base, fragment] = v.split('#');
        const target = base ? idToName.get(base) : owner;
        if (target === undefined) throw new Error(`unresolvable $ref ${v}`);
        const def = fragment?.startsWith('/$defs/') ? fragment.slice('/$defs/'.length) : null;
        out.$ref = `#/components/schemas/${def ? defName(target, def) : target}`;
      } else out[k] = rewrite(v, owner);
    }
    return out;
  };
  for (const [name, schema] of SOURCES) {
    const { $schema: _s, $id: _i, $defs, ...root } = schema;
    if (name) components[name] = rewrite(root, name) as Json;
    for (const [def, defSchema] of Object.entries(($defs ?? {}) as Record<string, Json>)) {
      components[defName(name, def)] = rewrite(defSchema, name) as Json;
    }
  }
  return components;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const headerRefs = (headers: readonly { name: ResponseHeader; required: boolean }[]) =>
  Object.fromEntries(
    [{ name: 'X-Request-Id' as const, required: true }, ...headers].map(({ name, required }) => [
      name,
      required ? { $ref: `#/components/headers/${name}` } : { $ref: `#/components/headers/${name}-optional` },
    ]),
  );

/** The error body, its code limited to `codes`. */
const errorBody = (codes: readonly ErrorCode[]) => ({
  content: {
    'application/json': {
      schema: { allOf: [ref('Error'), { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }] },
    },
  },
});

/** Server faults, which any route can meet: the default response. */
const SERVER_FAULTS = ALL_ERROR_CODES.filter((c) => ERROR_CODES[c].status === 500);

function successResponse(success: SuccessResponse): Json {
  const { mediaType, schema } = typeof success.body === 'string' ? { mediaType: 'application/json', schema: ref(success.body) } : success.body;
  return { description: success.description, headers: headerRefs(success.headers ?? []), content: { [mediaType]: { schema } } };
}

/** One response per error status the route declares, each listing its codes; headers every code there sends. */
function errorResponses(route: RouteContract): Record<string, Json> {
  const byStatus = new Map<number, [ErrorCode, string][]>();
  for (const [code, meaning] of declaredErrors(route)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, meaning]]);
  }
  const out: Record<string, Json> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const codes = byStatus.get(status)!;
    const headerNames = new Set(codes.flatMap(([c]) => Object.keys(ERROR_CODES[c].headers ?? {}) as ResponseHeader[]));
    const headers = [...headerNames].map((name) => ({ name, required: codes.every(([c]) => Object.hasOwn(ERROR_CODES[c].headers ?? {}, name)) }));
    out[String(status)] = {
      description: codes.map(([c, meaning]) => `${c}：${meaning}`).join('；'),
      headers: headerRefs(headers),
      ...errorBody(codes.map(([c]) => c)),
    };
  }
  return out;
}

function operation(route: RouteContract): Json {
  const permission = route.action ? `权限（${route.action}）：${describeGrants(route.action)}。` : '';
  const description = [route.description, permission].filter(Boolean).join('\n\n');
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(description ? { description } : {}),
    ...(route.access === 'token' ? { security: [{ bearerAuth: [] }] } : {}),
    ...(route.parameters ? { parameters: route.parameters } : {}),
    ...(route.requestBody
      ? {
          requestBody: {
            required: true,
            ...(route.requestMediaTypes ? { description: ['application/json：提交 JSON', ...route.requestMediaTypes.map((m) => `${m.mediaType}：${m.description}`)].join('；') } : {}),
            content: {
              'application/json': { schema: ref(route.requestBody) },
              ...Object.fromEntries((route.requestMediaTypes ?? []).map((m) => [m.mediaType, { schema: m.schema }])),
            },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(Object.entries(route.success).map(([status, s]) => [status, successResponse(s)])),
      ...errorResponses(route),
      default: { description: `服务器内部错误（${SERVER_FAULTS.join('、')}）`, headers: headerRefs([]), ...errorBody(SERVER_FAULTS) },
    },
  };
}

function components(): Json {
  const schemas = componentsFromSchemas();
  // error.code: the closed list of codes (schemas/ says only "string")
  const error = schemas.Error as { properties: { error: { properties: { code: Json } } } };
  error.properties.error.properties.code = { ...error.properties.error.properties.code, enum: ALL_ERROR_CODES };
  const headers: Record<string, Json> = {};
  for (const [name, h] of Object.entries(RESPONSE_HEADERS)) {
    headers[name] = { description: h.description, required: true, schema: h.schema };
    headers[`${name}-optional`] = { description: h.description, required: false, schema: h.schema };
  }
  return {
    securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: '由 `npm run cli -- token create` 生成的令牌（jxzp_…）' } },
    schemas,
    headers,
  };
}

export function buildOpenApi(): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of ROUTES as readonly RouteContract[]) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: '项目支出绩效自评评分服务 API',
      version: ENGINE_VERSION,
      description:
        '以版本化规则集对预算单位提交的绩效自评数据逐项复算得分，给出中文说明、小计、总分与等级；存储评价、录入复核分、复验可重现性。错误信息为中文，错误代码为英文。',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    components: components(),
    paths,
  };
}
