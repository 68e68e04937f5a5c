// The OpenAPI 3.1 document, assembled from the JSON Schemas in schemas/ (their $defs become components;
// no shape is written twice).
import apiSchema from '../../schemas/api.schema.json' with { type: 'json' };
import goldenCaseSchema from '../../schemas/golden-case.schema.json' with { type: 'json' };
import resultSchema from '../../schemas/result.schema.json' with { type: 'json' };
import reviewSchema from '../../schemas/review.schema.json' with { type: 'json' };
import publishSchema from '../../schemas/ruleset-publish.schema.json' with { type: 'json' };
import ruleSetSchema from '../../schemas/ruleset.schema.json' with { type: 'json' };
import submissionSchema from '../../schemas/submission.schema.json' with { type: 'json' };
import { ENGINE_VERSION } from '../engine/compiled.js';

type Json = Record<string, unknown>;

/** component name → schema document; "" means: only its $defs, named as they are */
const SOURCES: [string, Json][] = [
  ['RuleSet', ruleSetSchema as Json],
  ['Submission', submissionSchema as Json],
  ['Result', resultSchema as Json],
  ['GoldenCase', goldenCaseSchema as Json],
  ['Review', reviewSchema as Json],
  ['PublishRequest', publishSchema as Json],
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
const json = (schema: Json, description: string) => ({ description, content: { 'application/json': { schema } } });
const error = (description: string) => json(ref('Error'), description);
const bearer = [{ bearerAuth: [] }];
const common = {
  '400': error('请求体不是 JSON、JSON 语法错误或参数有误'),
  '401': error('缺少或无效的令牌'),
  '413': error('请求体超过大小上限'),
  '429': error('同一令牌同时进行的请求过多（带 Retry-After 头）'),
};
/** answers of a write that could not be stored (nothing was written) */
const storageFaults = {
  '503': error('数据库只读或写锁等待超时，未保存（带 Retry-After 头）'),
  '507': error('存储空间已满，未保存'),
};
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

export function buildOpenApi(): Json {
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
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: '由 `npm run cli -- token create` 生成的令牌（jxzp_…）' } },
      schemas: componentsFromSchemas(),
    },
    paths: {
      '/healthz': {
        get: { operationId: 'health', summary: '存活检查（进程在运行）', responses: { '200': json(ref('Health'), '服务正常') } },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary: '就绪检查：数据库可写',
          responses: { '200': { description: '可以接收提交' }, '503': error('数据库当前不可写') },
        },
      },
      '/v1/rulesets': {
        get: { operationId: 'listRuleSets', summary: '列出规则集及其版本', security: bearer, responses: { '200': json(ref('RuleSetList'), '规则集列表'), '401': common['401'] } },
        post: {
          operationId: 'publishRuleSet',
          summary: '发布规则集新版本（财政局）',
          description: '须通过全部检查及其测试用例；已发布版本不可修改：相同内容重复发布返回 200，不同内容返回 409。',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: ref('PublishRequest') } } },
          responses: {
            '201': json(ref('RuleSetVersion'), '已发布'),
            '200': json(ref('RuleSetVersion'), '相同内容已存在，未作改动'),
            ...common,
            '403': error('仅限财政局'),
            '409': error('该版本已存在且内容不同'),
            '422': error('规则集未通过检查（details 为各项诊断）'),
          },
        },
      },
      '/v1/rulesets/{id}': {
        get: {
          operationId: 'getRuleSet',
          summary: '某规则集的全部版本',
          security: bearer,
          parameters: [idParam('id', '规则集编号')],
          responses: { '200': json(ref('RuleSetVersions'), '版本列表（新版本在前）'), '401': common['401'], '404': error('没有该规则集') },
        },
      },
      '/v1/rulesets/{id}/{version}': {
        get: {
          operationId: 'getRuleSetVersion',
          summary: '某规则集版本（含规则集文件）',
          security: bearer,
          parameters: [idParam('id', '规则集编号'), idParam('version', '版本号')],
          responses: { '200': json(ref('RuleSetDetail'), '版本信息与规则集文件'), '401': common['401'], '404': error('没有该版本') },
        },
      },
      '/v1/score': {
        post: {
          operationId: 'score',
          summary: '试算：评分但不保存（任何已登录角色）',
          security: bearer,
          requestBody: { required: true, content: { 'application/json': { schema: ref('Submission') } } },
          responses: { '200': json(ref('Result'), '评分结果'), ...common, '422': error('提交数据有误或规则集不存在') },
        },
      },
      '/v1/evaluations': {
        post: {
          operationId: 'submitEvaluation',
          summary: '提交并保存评价（预算单位，仅限本单位）',
          security: bearer,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, description: '重试安全：相同键与相同内容返回同一评价；相同键不同内容返回 409', schema: { type: 'string', maxLength: 200 } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Submission') } } },
          responses: {
            '201': json(ref('Evaluation'), '已保存（重放时带 Idempotent-Replayed: true 头）'),
            ...common,
            '403': error('非预算单位，或提交的不是本单位'),
            '409': error('Idempotency-Key 已用于不同内容'),
            '422': error('提交数据有误或规则集不存在'),
            ...storageFaults,
          },
        },
        get: {
          operationId: 'listEvaluations',
          summary: '评价列表（新的在前，分页；预算单位只能看到本单位）',
          security: bearer,
          parameters: [
            { name: 'unit', in: 'query', schema: { type: 'string' } },
            { name: 'year', in: 'query', schema: { type: 'integer' } },
            { name: 'ruleset', in: 'query', schema: { type: 'string' } },
            { name: 'grade', in: 'query', schema: { type: 'string' }, description: '等级代码，如 excellent' },
            { name: 'cursor', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          ],
          responses: { '200': json(ref('EvaluationList'), '一页评价'), '400': common['400'], '401': common['401'] },
        },
      },
      '/v1/evaluations/{id}': {
        get: {
          operationId: 'getEvaluation',
          summary: '评价详情：逐项自评分、复算分、复核分对照',
          security: bearer,
          parameters: [idParam('id', '评价编号')],
          responses: { '200': json(ref('Evaluation'), '评价'), '401': common['401'], '404': error('没有该评价（或不属于本单位）') },
        },
      },
      '/v1/evaluations/{id}/verify': {
        post: {
          operationId: 'verifyEvaluation',
          summary: '复验：用保存的规则集版本重新评分保存的提交，比对结果',
          security: bearer,
          parameters: [idParam('id', '评价编号')],
          responses: { '200': json(ref('VerifyReport'), '复验结果：identical 或各处差异'), '401': common['401'], '404': error('没有该评价（或不属于本单位）') },
        },
      },
      '/v1/evaluations/{id}/reviews': {
        post: {
          operationId: 'addReview',
          summary: '录入复核分（复核人员）：逐项给分并说明理由',
          security: bearer,
          parameters: [idParam('id', '评价编号')],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Review') } } },
          responses: {
            '201': json(ref('Evaluation'), '已保存，返回含复核对照的评价'),
            ...common,
            '403': error('仅限复核人员'),
            '404': error('没有该评价'),
            '422': error('复核内容有误'),
          },
        },
      },
    },
  };
}
