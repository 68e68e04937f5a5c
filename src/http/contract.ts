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
  'Content-Disposition': {
    description: "下载的文件名（attachment; filename*=UTF-8''<百分号编码的中文文件名>）",
    schema: { type: 'string', pattern: "^attachment; filename=\"[A-Za-z0-9._-]+\"; filename\\*=UTF-8''[A-Za-z0-9%._~-]+$" },
  },
  'Workbook-Formula-Cells': {
    description: '上传的自评表工作簿中按保存的计算结果读取的公式单元格（工作表「自评表」中的地址，逗号分隔）',
    schema: { type: 'string', pattern: '^[A-Z]{1,3}[0-9]{1,7}(,[A-Z]{1,3}[0-9]{1,7})*$' },
  },
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
  /** other media types the body may have besides the JSON of requestBody (e.g. the 自评表 workbook) */
  readonly requestMediaTypes?: readonly { readonly mediaType: string; readonly schema: Json; readonly description: string }[];
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
    summary: 'API 文档页（HTML，无脚本，离线可用）',
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
    operationId: 'getRuleSetTemplate',
    method: 'get',
    path: '/v1/rulesets/{id}/{version}/template.xlsx',
    summary: '自评表模板（Excel 工作簿）：按评分表排版，只有填报单元格可编辑；可用已保存的评价预填',
    description:
      '工作表「自评表」：一级/二级/三级指标（合并单元格）、分值、评分标准与数据项、填报值（数值范围、是/否、档次下拉校验）、单位自设三级指标的空行；「填写说明」；隐藏的「规则集」标明规则集编号、版本与 sha256。填好后以同一媒体类型 POST /v1/evaluations。?from=<评价编号> 时用该评价的提交预填（权限同查看该评价）。',
    access: 'token',
    action: 'readRuleSets',
    parameters: [
      idParam('id', '规则集编号'),
      idParam('version', '版本号'),
      { name: 'from', in: 'query', required: false, description: '用此评价的提交预填（如上一年度的评价）', schema: { type: 'string' } },
    ],
    success: {
      '200': {
        description: '自评表模板工作簿',
        body: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', schema: { type: 'string', format: 'binary' } },
        headers: [{ name: 'Content-Disposition', required: true }],
      },
    },
    raises: { NOT_FOUND: '没有该规则集版本，或没有 from 所指的评价（或不属于本单位）', BAD_REQUEST: '未知的查询参数' },
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
    requestMediaTypes: [
      {
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        schema: { type: 'string', format: 'binary', maxLength: 2097152 },
        description: '填好的自评表模板（GET /v1/rulesets/{id}/{version}/template.xlsx），至多 2 MiB；按其隐藏工作表所标的规则集版本评分',
      },
    ],
    success: {
      '201': {
        description: '已保存（重放时带 Idempotent-Replayed: true 头；上传的工作簿中有按计算结果读取的公式时带 Workbook-Formula-Cells 头）',
        body: 'Evaluation',
        headers: [
          { name: 'Location', required: true },
          { name: 'Idempotent-Replayed', required: false },
          { name: 'Workbook-Formula-Cells', required: false },
        ],
      },
    },
    raises: {
      BAD_REQUEST: 'Idempotency-Key 格式不正确',
      SUBMISSION_INVALID: '提交数据有误（工作簿：每处错误的信息中注明单元格，如「（自评表!F12）」；文件不是 xlsx、已加密、结构被改动、为其他规则集版本或有未保存结果的公式）',
      PAYLOAD_TOO_LARGE: '工作簿超过 2 MiB，或解压后超过上限（单个文件 20 MiB、压缩比 100:1、至多 100 个文件、模板行数 + 1000 行）',
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
      { name: 'pending', in: 'query', schema: { const: 'true' }, description: '复核队列：只列尚未复核的评价' },
      { name: 'discrepancies', in: 'query', schema: { const: 'true' }, description: '只列单位自评分与复算分有差异的评价' },
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
    operationId: 'getEvaluationWorkbook',
    method: 'get',
    path: '/v1/evaluations/{id}/table.xlsx',
    summary: '评分后的自评表（Excel 工作簿）：逐项自评分、复算分、复核分并列，差异标红，说明列自动换行',
    description: '表头冻结、A4 横向打印；单元格为数值而非公式。内容与 GET /v1/evaluations/{id} 的报告视图相同。',
    access: 'token',
    action: 'readEvaluation',
    parameters: [idParam('id', '评价编号')],
    success: {
      '200': {
        description: '自评表工作簿',
        body: { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', schema: { type: 'string', format: 'binary' } },
        headers: [{ name: 'Content-Disposition', required: true }],
      },
    },
    raises: { NOT_FOUND: '没有该评价（或不属于本单位）' },
  },
  {
    operationId: 'getEvaluationReport',
    method: 'get',
    path: '/v1/evaluations/{id}/report.docx',
    summary: '自评报告草稿（Word 文档，可编辑）：七个部分的标题，结论、逐个一级指标的分析、存在问题与下一步工作计划，附评分表',
    description: '按种子报告的七个标题（一、基本情况 … 七、下一步工作计划）生成；二、五两部分留待单位填写。标题黑体、正文仿宋_GB2312，A4，带页码。',
    access: 'token',
    action: 'readEvaluation',
    parameters: [idParam('id', '评价编号')],
    success: {
      '200': {
        description: '自评报告草稿',
        body: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', schema: { type: 'string', format: 'binary' } },
        headers: [{ name: 'Content-Disposition', required: true }],
      },
    },
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
  {
    operationId: 'listDisputes',
    method: 'get',
    path: '/v1/evaluations/{id}/disputes',
    summary: '某评价的申诉及答复（按提出时间）',
    access: 'token',
    action: 'readEvaluation',
    parameters: [idParam('id', '评价编号')],
    success: { '200': { description: '申诉列表', body: 'DisputeList' } },
    raises: { NOT_FOUND: '没有该评价（或不属于本单位）' },
  },
  {
    operationId: 'raiseDispute',
    method: 'post',
    path: '/v1/evaluations/{id}/disputes',
    summary: '提出申诉（预算单位，仅限本单位的评价）：对某项的复算分或复核分，引用评分标准并说明理由',
    access: 'token',
    action: 'raiseDispute',
    parameters: [idParam('id', '评价编号')],
    requestBody: 'DisputeRequest',
    success: { '201': { description: '已保存的申诉（待答复）', body: 'Dispute' } },
    raises: {
      NOT_FOUND: '没有该评价（或不属于本单位）',
      DISPUTE_INVALID: '申诉内容有误（指标不存在、不适用项、尚无复核分、主张的分数超出分值）',
      STORAGE_UNAVAILABLE: '数据库只读或写锁等待超时，未保存',
      STORAGE_FULL: '存储空间已满，未保存',
    },
  },
  {
    operationId: 'answerDispute',
    method: 'post',
    path: '/v1/evaluations/{id}/disputes/{disputeId}/answer',
    summary: '答复申诉（复核人员）：接受（同时记为该项复核分）或驳回，均须说明理由；每个申诉只答复一次',
    access: 'token',
    action: 'answerDispute',
    parameters: [idParam('id', '评价编号'), idParam('disputeId', '申诉编号')],
    requestBody: 'DisputeAnswerRequest',
    success: { '201': { description: '已答复的申诉', body: 'Dispute' } },
    raises: {
      NOT_FOUND: '没有该评价或该申诉',
      DISPUTE_INVALID: '答复有误（接受时须给出分数且不超出分值，驳回时不给分）',
      DISPUTE_ALREADY_ANSWERED: '该申诉已答复',
      STORAGE_UNAVAILABLE: '数据库只读或写锁等待超时，未保存',
      STORAGE_FULL: '存储空间已满，未保存',
    },
  },
  {
    operationId: 'listEvidence',
    method: 'get',
    path: '/v1/evaluations/{id}/evidence',
    summary: '某评价的佐证材料（逐项）',
    access: 'token',
    action: 'readEvaluation',
    parameters: [idParam('id', '评价编号')],
    success: { '200': { description: '佐证材料列表', body: 'EvidenceList' } },
    raises: { NOT_FOUND: '没有该评价（或不属于本单位）' },
  },
  {
    operationId: 'attachEvidence',
    method: 'post',
    path: '/v1/evaluations/{id}/items/{itemId}/evidence',
    summary: '上传佐证材料（预算单位，仅限本单位的评价）：请求体为文件本身（PDF、PNG/JPEG、Office 文档，单个 ≤ 20 MB，每份评价合计 ≤ 100 MB），文件名放在 X-File-Name 头（UTF-8 百分号编码）',
    access: 'token',
    action: 'attachEvidence',
    parameters: [
      idParam('id', '评价编号'),
      idParam('itemId', '指标编号'),
      { name: 'X-File-Name', in: 'header', required: true, description: '文件名（UTF-8，百分号编码）', schema: { type: 'string', maxLength: 1000 } },
    ],
    success: { '201': { description: '已保存的佐证材料', body: 'Evidence' } },
    raises: {
      NOT_FOUND: '没有该评价（或不属于本单位）或该指标项',
      EVIDENCE_REFUSED: '文件类型不被接受（按内容判断；SVG、HTML、脚本一律拒绝）、文件为空、缺少文件名或超出总量',
      STORAGE_UNAVAILABLE: '数据库只读或写锁等待超时，未保存',
      STORAGE_FULL: '存储空间已满，未保存',
    },
  },
  {
    operationId: 'downloadEvidence',
    method: 'get',
    path: '/v1/evaluations/{id}/evidence/{evidenceId}',
    summary: '下载佐证材料（可查看该评价者）',
    access: 'token',
    action: 'readEvaluation',
    parameters: [idParam('id', '评价编号'), idParam('evidenceId', '佐证材料编号')],
    success: {
      '200': {
        description: '文件本身（总是作为附件下载）',
        body: { mediaType: 'application/octet-stream', schema: { type: 'string', format: 'binary' } },
        headers: [{ name: 'Content-Disposition', required: true }],
      },
    },
    raises: { NOT_FOUND: '没有该评价（或不属于本单位）或该佐证材料' },
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
