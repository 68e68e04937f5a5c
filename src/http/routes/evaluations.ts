// /v1/score and /v1/evaluations: score without storing; submit, read, list, verify and review evaluations.
import { Hono, type Context } from 'hono';
import { DomainError } from '../../domain/errors.js';
import {
  getEvaluation,
  listVisibleEvaluations,
  submitEvaluation,
  verifyEvaluation,
  type EvaluationListQuery,
} from '../../services/evaluations.js';
import { addReview } from '../../services/reviews.js';
import { scoreSubmission } from '../../services/scoring.js';
import { principalOf } from '../auth.js';
import { readJsonBody } from '../body.js';
import type { AppEnv } from '../env.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export const scoreRoutes = new Hono<AppEnv>().post('/', async (c) => {
  principalOf(c);
  return c.json(await scoreSubmission(c.get('deps').catalog, await readJsonBody(c)));
});

function listQuery(c: Context<AppEnv>): EvaluationListQuery {
  const q = c.req.query();
  const known = new Set(['unit', 'year', 'ruleset', 'grade', 'cursor', 'limit']);
  const bad = Object.keys(q).filter((k) => !known.has(k));
  if (bad.length > 0) {
    throw new DomainError('BAD_REQUEST', '查询参数有误', bad.map((k) => ({ path: `query.${k}`, message: `未知的查询参数「${k}」（可用：${[...known].join('、')}）` })));
  }
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = q[name];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      throw new DomainError('BAD_REQUEST', '查询参数有误', [{ path: `query.${name}`, message: `应为 ${min}–${max} 之间的整数` }]);
    }
    return Number(v);
  };
  return {
    ...(q.unit !== undefined ? { unit: q.unit } : {}),
    ...(q.ruleset !== undefined ? { ruleset: q.ruleset } : {}),
    ...(q.grade !== undefined ? { grade: q.grade } : {}),
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    year: int('year', 2000, 2100),
    limit: int('limit', 1, 100),
  };
}

export const evaluationRoutes = new Hono<AppEnv>()
  .post('/', async (c) => {
    const key = c.req.header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new DomainError('BAD_REQUEST', 'Idempotency-Key 应为 1–200 个可见 ASCII 字符', [{ path: 'header.idempotency-key', message: '格式不正确' }]);
    }
    const principal = principalOf(c);
    if (principal.role !== 'unit') throw new DomainError('FORBIDDEN', '只有预算单位可以提交自评评价');
    const body = await readJsonBody(c);
    const { evaluation, replayed } = await submitEvaluation(c.get('deps'), principal, body, key);
    c.header('Location', `/v1/evaluations/${evaluation.id}`);
    if (replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(evaluation, 201);
  })
  .get('/', async (c) => c.json(await listVisibleEvaluations(c.get('deps'), principalOf(c), listQuery(c))))
  .get('/:id', async (c) => c.json(await getEvaluation(c.get('deps'), principalOf(c), c.req.param('id'))))
  .post('/:id/verify', async (c) => c.json(await verifyEvaluation(c.get('deps'), principalOf(c), c.req.param('id'))))
  .post('/:id/reviews', async (c) => {
    const principal = principalOf(c);
    if (principal.role !== 'reviewer') throw new DomainError('FORBIDDEN', '只有复核人员可以录入复核分');
    const body = await readJsonBody(c);
    return c.json(await addReview(c.get('deps'), principal, c.req.param('id'), body), 201);
  });
