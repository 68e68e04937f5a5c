// Checks replies against an OpenAPI document (the one the service serves): the status must be declared for the
// operation (or be a default-response fault), every declared header present when required and well-formed, the
// Content-Type one the response declares, the body valid against its schema (ajv, $refs resolved), an error's code
// one the response lists and mapped to that status, and its requestId the X-Request-Id header.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { STATUS_OF } from '../../src/http/errors.js';
import type { Reply, Send } from './harness.js';

type Json = Record<string, any>;

const COMPONENT = '#/components/schemas/';
const ID_PREFIX = 'urn:jxzp:openapi:schema:';

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly params: number;
  readonly responses: Json;
}

export interface ContractChecker {
  /** Throws a ContractViolation naming what does not match; returns the operation it matched, if any. */
  check(method: string, path: string, reply: Reply): string | null;
  /** "operationId status" for every reply checked */
  readonly seen: Set<string>;
  readonly operationIds: readonly string[];
}

/** `#/components/schemas/X` → an absolute id ajv can resolve, everywhere in a schema. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      if (!v.startsWith(COMPONENT)) throw new Error(`unexpected $ref ${v}`);
      out.$ref = `${ID_PREFIX}${v.slice(COMPONENT.length)}`;
    } else out[k] = rewriteRefs(v);
  }
  return out;
}

export function contractChecker(doc: Json): ContractChecker {
  // the options the service's own validators are generated with (scripts/generate-validators.ts)
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
  // OpenAPI's `format: binary` marks a file body (a workbook, a Word document, an attachment): any bytes
  ajv.addFormat('binary', true);
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) ajv.addSchema({ ...(rewriteRefs(schema) as Json), $id: `${ID_PREFIX}${name}` });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: unknown) => {
    let v = compiled.get(key);
    if (!v) compiled.set(key, (v = ajv.compile(rewriteRefs(schema) as Json)));
    return v;
  };
  const headerOf = (h: Json): Json => {
    if (typeof h.$ref !== 'string') return h;
    const name = h.$ref.replace('#/components/headers/', '');
    const found = doc.components?.headers?.[name];
    if (!found) throw new ContractViolation(`document: unresolvable header $ref ${h.$ref}`);
    return found;
  };

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`);
      operations.push({ operationId: op.operationId, method: method.toUpperCase(), template, pattern, params: (template.match(/\{/g) ?? []).length, responses: op.responses });
    }
  }
  const errorSchema = validator('Error', { $ref: `${COMPONENT}Error` });
  const seen = new Set<string>();

  const fail = (where: string, what: string, reply: Reply): never => {
    throw new ContractViolation(`${where}: ${what}\n  answered ${reply.status}: ${reply.text.slice(0, 400)}`);
  };
  const ajvErrors = (v: ValidateFunction) =>
    (v.errors ?? [])
      .slice(0, 8)
      .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
      .join('; ');

  /** An error body is the one error shape, its code mapped to this very status, its requestId the header's. */
  const checkErrorBody = (where: string, reply: Reply) => {
    if (!errorSchema(reply.body)) fail(where, `error body does not match Error: ${ajvErrors(errorSchema)}`, reply);
    const code = reply.body.error.code as keyof typeof STATUS_OF;
    if (!Object.hasOwn(STATUS_OF, code) || STATUS_OF[code] !== reply.status) fail(where, `error code ${code} is not answered with status ${reply.status}`, reply);
    if (reply.body.error.requestId !== reply.headers.get('x-request-id')) fail(where, 'error.requestId differs from the X-Request-Id header', reply);
  };

  return {
    seen,
    operationIds: operations.map((o) => o.operationId),
    check(method, path, reply) {
      const pathOnly = path.split('?')[0]!;
      const op = operations
        .filter((o) => o.method === method.toUpperCase() && o.pattern.test(pathOnly))
        .sort((a, b) => a.params - b.params)[0];
      const where = `${method} ${path}${op ? ` (${op.operationId})` : ''}`;
      if (!reply.headers.get('x-request-id')) fail(where, 'no X-Request-Id header', reply);
      if (!op) {
        // a route the document does not have: the app's not-found answer (or the token check in front of /v1/)
        if (reply.status !== 404 && reply.status !== 401) fail(where, 'undocumented route answered other than 404/401', reply);
        checkErrorBody(where, reply);
        return null;
      }
      const declared = Object.hasOwn(op.responses, String(reply.status));
      const response: Json | undefined = declared ? op.responses[String(reply.status)] : op.responses.default;
      if (!response) fail(where, `status ${reply.status} is not declared`, reply);
      const key = `${op.operationId} ${declared ? reply.status : 'default'}`;

      for (const [name, raw] of Object.entries((response!.headers ?? {}) as Json)) {
        const header = headerOf(raw);
        const value = reply.headers.get(name);
        if (value === null) {
          if (header.required) fail(where, `declared header ${name} is missing`, reply);
          continue;
        }
        const v = validator(`header ${JSON.stringify(header.schema)}`, header.schema ?? {});
        if (!v(value)) fail(where, `header ${name}: ${JSON.stringify(value)} ${ajvErrors(v)}`, reply);
      }

      const content = (response!.content ?? {}) as Json;
      const mediaTypes = Object.keys(content);
      if (mediaTypes.length === 0) {
        if (reply.text !== '') fail(where, 'a body where the document declares none', reply);
      } else {
        const type = (reply.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
        const mediaType = mediaTypes.find((m) => m.toLowerCase() === type);
        if (!mediaType) fail(where, `Content-Type ${type || '(none)'} is not one of ${mediaTypes.join(', ')}`, reply);
        const body = mediaType === 'application/json' ? reply.body : reply.text;
        if (mediaType === 'application/json' && body === null) fail(where, 'body is not JSON', reply);
        const v = validator(`${key} ${mediaType}`, content[mediaType!].schema ?? {});
        if (!v(body)) fail(where, `body does not match the ${declared ? reply.status : 'default'} response: ${ajvErrors(v)}`, reply);
      }
      if (reply.status >= 400) checkErrorBody(where, reply);
      seen.add(`${op.operationId} ${reply.status}`);
      return op.operationId;
    },
  };
}

/** `send`, with every reply checked against the document. */
export function checkedSend(send: Send, checker: ContractChecker): Send {
  return async (method, path, opts) => {
    const reply = await send(method, path, opts);
    checker.check(method, path, reply);
    return reply;
  };
}
