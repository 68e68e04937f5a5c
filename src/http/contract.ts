// The HTTP contract, declared once per route: method and path, who may call it (the policy action it performs), its
// request body, its success statuses with their bodies and headers, and the error codes its handler raises. The app
// registers its routes from this table (app.ts), the OpenAPI document is generated from it (openapi.ts), and the
// contract suite checks every response against that document.
import type { ErrorCode } from '../domain/errors.js';
import { refusalCodes, type Action } from '../services/policy.js';
import { ERROR_CODES } from './errors.js';

type Json = Record<string, unknown>;

/** Response headers the service sends on purpose (security headers from hono's secureHeaders aside). */
export const RESPONSE_HEADERS = {
  'X-Request-Id': { description: '本次请求的编号（与错误体中的 requestId 相同；请求带 X-Request-Id 时沿用其值）', schema: { type: 'string', minLength: 1, maxLength: 64 } },
  Location: { description: '新保存的评价的地址', schema: { type: 'string', pattern: '^/v1/evaluations/[^/]+$' } },
  'Idempotent-Replayed': { description: '本次是对相同 Idempotency-Key 与相同内容的重放：返回的是已保存的评价，没有新建', schema: { const: 'true' } },
  'Retry-After': { description: '建议的重试等待秒数', schema: { type: 'string', pattern: '^[1-9][0-9]*$' } },
  'WWW-Authenticate': { description: '认证方式', schema: { const: 'Bearer' } },
} as const satisfies Record<string, { description: string; schema: Json }>;

export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

export interface SuccessResponse {
  readonly description: string;
  /** a component schema name (application/json), or an inline schema with its media type (HTML, a workbook, a Word document) */
  readonly body: string | { readonly mediaType: string; readonly schema: Json };
  /** headers beside X-Request-Id (which every response carries) */
  readonly headers?: readonly { readonly name: ResponseHeader; readonly required: boolean }[];
}

export interface RouteContract {
  readonly operationId: string;
  readonly method: 'get' | 'post';
  /** OpenAPI form: /v1/evaluations/{id} */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** `token`: a bearer token is required, the policy decides the rest */
  readonly access: 'public' | 'token';
  /** what the route does in the policy's words; its refusals are declared from the policy table */
  readonly action?: Action;
  readonly parameters?: readonly Json[];
  /** a component schema name: the body must be application/json */
  readonly requestBody?: string;
  readonly success: Readonly<Partial<Record<'200' | '201', SuccessResponse>>>;
  /** the codes the handler itself raises, with what they mean on this route */
  readonly raises: Readonly<Partial<Record<ErrorCode, string>>>;
}

const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

export const ROUTES = [
  {
    operationId: 'health',
    method: 'get',
    path: '/healthz',
    summary: '存活检查（进程在运行）',
    access: 'public',
    success: { '200': { description: '服务正常', body: 'Health' } },
    raises: {},
  },
  {
    operationId: 'ready',
    method: 'get',
    path: '/readyz',
    summary: '就绪检查：数据库可写',
    access: 'public',
    success: { '200': { description: '可以接收提交', body: 'Ready' } },
    raises: { STORAGE_UNAVAILABLE: '数据库当前不可写' },
  },
  {
    operationId: 'openApi',
    method: 'get',
    path: '/v1/openapi.json',
    summary: '本 OpenAPI 3.1 文档（无需令牌）',
    access: 'public',
    success: { '200': { description: 'OpenAPI 文档', body: { mediaType: 'application/json', schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } } },
    raises: {},
  },
  {
    operationId: 'docs',
    method: 'get',
    path: '/docs',
    summary: '可交互的 API 文档页（离线可用）',
    access: 'public',
    success: { '200': { description: 'HTML 页面', body: { mediaType: 'text/html', schema: { type: 'string' } } } },
    raises: {},
  },
  {
    operationId: 'listRuleSets',
    method: 'get',
    path: '/v1/rulesets',
    summary: '列出规则集及其版本',
    access: 'token',
    action: 'readRuleSets',
    success: { '200': { description: '规则集列表', body: 'RuleSetList' } },
    raises: {},
  },
  {
    operationId: 'publishRuleSet',
    method: 'post',
    path: '/v1/rulesets',
    summary: '发布规则集新版本（财政局）',
    description: '须通过全部检查及其测试用例；已发布版本不可修改：相同内容重复发布返回 200，不同内容返回 409。',
    access: 'token',
    action: 'publishRuleSet',
    requestBody: 'PublishRequest',
    success: {
      '201': { description: '已发布', body: 'RuleSetVersion' },
      '200': { description: '相同内容已存在，未作改动', body: 'RuleSetVersion' },
    },
    raises: {
      VERSION_CONFLICT: '该版本已存在且内容不同',
      RULESET_INVALID: '发布请求、规则集或测试用例未通过检查（details 为各项诊断）',
      STORAGE_UNAVAILABLE: '数据库只读或写锁等待超时，未发布',
      STORAGE_FULL: '存储空间已满，未发布',
    },
  },
  {
    operationId: 'getRuleSet',
    method: 'get',
    path: '/v1/rulesets/{id}',
    summary: '某规则集的全部版本',
    access: 'token',
    action: 'readRuleSets',
    parameters: [idParam('id', '规则集编号')],
    success: { '200': { description: '版本列表（新版本在前）', body: 'RuleSetVersions' } },
    raises: { NOT_FOUND: '没有该规则集' },
  },
  {
    operationId: 'previewRuleSetImpact',
    method: 'post',
    path: '/v1/rulesets/impact',
    summary: '影响预览（财政局）：用候选版本试算已保存的评价，不保存任何内容',
    description:
      '候选版本须通过全部检查及随附的测试用例（不要求覆盖全部规则与等级；已保存用例中与候选版本口径不同者不参与）。选中候选版本 id 与年度范围内的已保存评价（可用 years 再筛选），逐条用候选版本评分并与保存的结果比较：等级变化（原 → 新）、总分变化分布、受影响最大的单位。单次最多 20000 条，超过时请减少年度或在服务器上运行 cli impact。',
    access: 'token',
    action: 'previewImpact',
    requestBody: 'ImpactRequest',
    success: { '200': { description: '影响报告', body: 'ImpactReport' } },
    raises: {
      RULESET_INVALID: '候选规则集、随附用例或请求格式未通过检查（details 为各项诊断）',
      BAD_REQUEST: 'years 有误或不在候选版本的年度范围内，或选中的评价超过单次上限',
    },
  },
  {
    operationId: 'diffRuleSetVersions',
    method: 'get',
    path: '/v1/rulesets/{id}/diff',
    summary: '两个版本之间的变更通知：逐条列出指标、分值、阈值、计分方法、档次与等级的变化',
    access: 'token',
    action: 'readRuleSets',
    parameters: [
      idParam('id', '规则集编号'),
      { name: 'from', in: 'query', required: true, description: '旧版本号', schema: { type: 'string' } },
      { name: 'to', in: 'query', required: true, description: '新版本号', schema: { type: 'string' } },
    ],
    success: { '200': { description: '结构化的变化（changes）与由它生成的中文通知（notice，每项一行）', body: 'RuleSetDiff' } },
    raises: { RULESET_NOT_FOUND: '没有该规则集或版本', BAD_REQUEST: '缺少 from 或 to' },
  },
  {
    operationId: 'getRuleSetVersion',
    method: 'get',
    path: '/v1/rulesets/{id}/{version}',
    summary: '某规则集版本（含规则集文件）',
    access: 'token',
    action: 'readRuleSets',
    parameters: [idParam('id', '规则集编号'), idParam('version', '版本号')],
    success: { '200': { description: '版本信息与规则集文件', body: 'RuleSetDetail' } },
    raises: { NOT_FOUND: '没有该版本' },
  },
  {
    operationId: 'score',
    method: 'post',
    path: '/v1/score',
    summary: '试算：评分但不保存（任何已登录角色）',
    access: 'token',
    action: 'score',
    requestBody: 'Submission',
    success: { '200': { description: '评分结果，旁附「还差什么能拿回分数」（whatItWouldTake，展示时计算，不保存）', body: 'ScoreResponse' } },
    raises: { SUBMISSION_INVALID: '提交数据有误', RULESET_NOT_FOUND: '规则集或版本不存在' },
  },
  {
    operationId: 'submitEvaluation',
    method: 'post',
    path: '/v1/evaluations',
    summary: '提交并保存评价（预算单位，仅限本单位）',
    access: 'token',
    action: 'submitEvaluation',
    parameters: [
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: '重试安全：相同键与相同内容返回同一评价；相同键不同内容返回 409',
        schema: { type: 'string', maxLength: 200 },
      },
    ],
    requestBody: 'Submission',
    success: {
      '201': {
        description: '已保存（重放时带 Idempotent-Replayed: true 头）',
        body: 'Evaluation',
        headers: [
          { name: 'Location', required: true },
          { name: 'Idempotent-Replayed', required: false },
        ],
      },
    },
    raises: {
      BAD_REQUEST: 'Idempotency-Key 格式不正确',
      SUBMISSION_INVALID: '提交数据有误',
      RULESET_NOT_FOUND: '规则集或版本不存在',
      IDEMPOTENCY_CONFLICT: 'Idempotency-Key 已用于不同内容',
      STORAGE_UNAVAILABLE: '数据库只读或写锁等待超时，未保存',
      STORAGE_FULL: '存储空间已满，未保存',
    },
  },
  {
    operationId: 'listEvaluations',
    method: 'get',
    path: '/v1/evaluations',
    summary: '评价列表（新的在前，分页；预算单位只能看到本单位）',
    access: 'token',
    action: 'listEvaluations',
    parameters: [
      { name: 'unit', in: 'query', schema: { type: 'string' } },
      { name: 'year', in: 'query', schema: { type: 'integer' } },
      { name: 'ruleset', in: 'query', schema: { type: 'string' } },
      { name: 'grade', in: 'query', schema: { type: 'string' }, description: '等级代码，如 excellent' },
      { name: 'cursor', in: 'query', schema: { type: 'string' } },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
    ],
    success: { '200': { description: '一页评价', body: 'EvaluationList' } },
    raises: { BAD_REQUEST: '查询参数有误、游标无效或不提供的筛选组合' },
  },
  {
    operationId: 'getEvaluation',
    method: 'get',
    path: '/v1/evaluations/{id}',
    summary: '评价详情：逐项自评分、复算分、复核分对照',
    access: 'token',
    action: 'readEvaluation',
    parameters: [idParam('id', '评价编号')],
    success: { '200': { description: '评价', body: 'Evaluation' } },
    raises: { NOT_FOUND: '没有该评价（或不属于本单位）' },
  },
  {
    operationId: 'verifyEvaluation',
    method: 'post',
    path: '/v1/evaluations/{id}/verify',
    summary: '复验：用保存的规则集版本重新评分保存的提交，比对结果',
    access: 'token',
    action: 'verifyEvaluation',
    parameters: [idParam('id', '评价编号')],
    success: { '200': { description: '复验结果：identical 或各处差异', body: 'VerifyReport' } },
    raises: { NOT_FOUND: '没有该评价（或不属于本单位）' },
  },
  {
    operationId: 'addReview',
    method: 'post',
    path: '/v1/evaluations/{id}/reviews',
    summary: '录入复核分（复核人员）：逐项给分并说明理由',
    access: 'token',
    action: 'reviewEvaluation',
    parameters: [idParam('id', '评价编号')],
    requestBody: 'Review',
    success: { '201': { description: '已保存，返回含复核对照的评价', body: 'Evaluation' } },
    raises: {
      NOT_FOUND: '没有该评价',
      REVIEW_INVALID: '复核内容有误',
      STORAGE_UNAVAILABLE: '数据库只读或写锁等待超时，未保存',
      STORAGE_FULL: '存储空间已满，未保存',
    },
  },
] as const satisfies readonly RouteContract[];

export type OperationId = (typeof ROUTES)[number]['operationId'];

/** What any request with a body can be answered before its route runs (the body limit; a client gone mid-body). */
const BODY_LIMIT_ERRORS: readonly ErrorCode[] = ['PAYLOAD_TOO_LARGE', 'BAD_REQUEST'];
/** What a route reading a JSON body can answer besides. */
const JSON_BODY_ERRORS: readonly ErrorCode[] = ['MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE'];
/** What any route behind a token can answer before its handler runs. */
const TOKEN_ERRORS: readonly ErrorCode[] = ['UNAUTHENTICATED', 'TOO_MANY_REQUESTS'];

/**
 * Every error code a route can answer with, and what it means there: the token and body checks in front of it, the
 * policy's refusals of its action, and its handler's own. Server faults (status 500) are the default response's.
 */
export function declaredErrors(route: RouteContract): Map<ErrorCode, string> {
  const out = new Map<ErrorCode, string>();
  const add = (code: ErrorCode, meaning: string) => {
    const known = out.get(code);
    out.set(code, known && known !== meaning ? `${known}；${meaning}` : meaning);
  };
  if (route.access === 'token') TOKEN_ERRORS.forEach((c) => add(c, ERROR_CODES[c].meaning));
  if (route.method === 'post') BODY_LIMIT_ERRORS.forEach((c) => add(c, ERROR_CODES[c].meaning));
  if (route.requestBody) JSON_BODY_ERRORS.forEach((c) => add(c, ERROR_CODES[c].meaning));
  if (route.action) refusalCodes(route.action).forEach((c) => add(c, ERROR_CODES[c].meaning));
  for (const [code, meaning] of Object.entries(route.raises) as [ErrorCode, string][]) add(code, meaning);
  return out;
}

/** Hono's form of an OpenAPI path: {id} → :id */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}
