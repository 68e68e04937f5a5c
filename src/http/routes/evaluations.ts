// /v1/score and /v1/evaluations: score without storing; submit, read, list, verify and review evaluations.
import type { Context } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { listEvaluations, type EvaluationListQuery } from '../../services/evaluation-list.js';
import { getEvaluation } from '../../services/evaluation-view.js';
import { addReview } from '../../services/review.js';
import { trialScore } from '../../services/scoring.js';
import { submitEvaluation } from '../../services/submit.js';
import { verifyEvaluation } from '../../services/verify.js';
import { principalOf } from '../auth.js';
import { readJsonBody } from '../body.js';
import type { AppEnv } from '../env.js';
import type { Handlers } from './handler.js';
import { isWorkbookUpload, readWorkbookBody } from './workbook.js';
import { XLSX_MEDIA_TYPE } from '../../workbook/index.js';
import { submitWorkbook } from '../../workbook/use-cases.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const LIST_PARAMETERS = ['unit', 'year', 'ruleset', 'grade', 'pending', 'discrepancies', 'cursor', 'limit'];

function listQuery(c: Context<AppEnv>): EvaluationListQuery {
  const q = c.req.query();
  const bad = Object.keys(q).filter((k) => !LIST_PARAMETERS.includes(k));
  if (bad.length > 0) {
    throw new DomainError('BAD_REQUEST', '查询参数有误', bad.map((k) => ({ path: `query.${k}`, message: `未知的查询参数「${k}」（可用：${LIST_PARAMETERS.join('、')}）` })));
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = Object.hasOwn(q, name) ? q[name] : undefined;
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new DomainError('BAD_REQUEST', '查询参数有误', [{ path: `query.${name}`, message: `应为 ${min}–${max} 之间的整数` }]);
    }
    return Number(v);
  };
  /** the queue's switches: `true` only (leave one out for "either") */
  const flag = (name: string): boolean => {
    const v = Object.hasOwn(q, name) ? q[name] : undefined;
    if (v === undefined) return false;
    if (v !== 'true') throw new DomainError('BAD_REQUEST', '查询参数有误', [{ path: `query.${name}`, message: '只能为 true（不筛选时省略该参数）' }]);
    return true;
  };
  return {
    ...(q.unit !== undefined ? { unit: q.unit } : {}),
    ...(q.ruleset !== undefined ? { ruleset: q.ruleset } : {}),
    ...(q.grade !== undefined ? { grade: q.grade } : {}),
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    ...(flag('pending') ? { pending: true as const } : {}),
    ...(flag('discrepancies') ? { discrepancies: true as const } : {}),
    year: int('year', 2000, 2100),
    limit: int('limit', 1, 100),
  };
}

/** The JSON body of a submission; a wrong content type is told that a workbook is accepted too. */
async function readSubmissionJson(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await readJsonBody(c);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'UNSUPPORTED_MEDIA_TYPE') {
      throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `请求体应为 JSON（application/json）或填好的自评表工作簿（${XLSX_MEDIA_TYPE}）`, e.details);
    }
    throw e;
  }
}

export const evaluationHandlers: Handlers<'score' | 'submitEvaluation' | 'listEvaluations' | 'getEvaluation' | 'verifyEvaluation' | 'addReview'> = {
  score: async (c) => c.json(await trialScore(c.get('deps'), principalOf(c), await readJsonBody(c))),
  submitEvaluation: async (c) => {
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new DomainError('BAD_REQUEST', 'Idempotency-Key 应为 1–200 个可见 ASCII 字符', [{ path: 'header.idempotency-key', message: '格式不正确' }]);
    }
    // a filled 自评表 workbook is read into the same submission (errors naming their cells), or the body is JSON
    const { evaluation, replayed, formulaCells } = isWorkbookUpload(c)
      ? await submitWorkbook(c.get('deps'), principalOf(c), await readWorkbookBody(c), key).then((r) => ({
          ...r,
          formulaCells: r.read.warnings.map((w) => w.cell.slice(w.cell.indexOf('!') + 1)),
        }))
      : { ...(await submitEvaluation(c.get('deps'), principalOf(c), await readSubmissionJson(c), key)), formulaCells: [] };
    c.header('Location', `/v1/evaluations/${evaluation.id}`);
    if (replayed) c.header('Idempotent-Replayed', 'true');
    if (formulaCells.length > 0) c.header('Workbook-Formula-Cells', formulaCells.join(','));
    return c.json(evaluation, 201);
  },
  listEvaluations: async (c) => c.json(await listEvaluations(c.get('deps'), principalOf(c), listQuery(c))),
  getEvaluation: async (c) => c.json(await getEvaluation(c.get('deps'), principalOf(c), c.req.param('id')!)),
  verifyEvaluation: async (c) => c.json(await verifyEvaluation(c.get('deps'), principalOf(c), c.req.param('id')!)),
  addReview: async (c) => c.json(await addReview(c.get('deps'), principalOf(c), c.req.param('id')!, await readJsonBody(c)), 201),
};
