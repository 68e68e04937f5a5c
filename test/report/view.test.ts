// The one report view (design habit 14): rows in table order with levels, self-reported / recomputed / review points
// side by side, discrepancies, evidence, points lost ranked, what it would take — computed once for every renderer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import { reportView, type ReportItemRow } from '../../src/report/view.js';
import { getEvaluation } from '../../src/services/evaluation-view.js';
import { addReview } from '../../src/services/review.js';
import { scoreAndShow } from '../../src/services/scoring.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { ROOT, example, shippedRegistry } from '../support.js';

let deps: AppDeps;
let database: OpenDatabase;
let checkerClose: () => Promise<void>;
beforeAll(async () => {
  const built = await buildNodeDeps({ databasePath: join(mkdtempSync(join(tmpdir(), 'jxzp-report-')), 'r.db'), rulesDir: join(ROOT, 'rules'), log: () => {} });
  ({ deps, database } = built);
  checkerClose = () => built.checker.close();
});
afterAll(async () => {
  await checkerClose();
  database.close();
});

async function trial(file: string) {
  const input = example(file) as any;
  const { whatItWouldTake, ...result } = await scoreAndShow(shippedRegistry(), input);
  return reportView({ result: result as any, input, whatItWouldTake });
}
const item = (view: Awaited<ReturnType<typeof trial>>, id: string) => view.rows.find((r) => r.id === id) as ReportItemRow;

describe('report view', () => {
  it('national road maintenance: rows in table order with 一级/二级/三级, first-level entries, the summary', async () => {
    const view = await trial('national-road-maintenance-2023.json');
    expect(view.rows.slice(0, 4).map((r) => `${r.levelName} ${r.name} ${r.recomputed}/${r.max}`)).toEqual([
      '一级指标 预算执行率 8.6/10',
      '一级指标 产出指标 44.5/50',
      '二级指标 数量指标 16/20',
      '三级指标 完成养护里程 16/20',
    ]);
    expect(view.firstLevel.map((r) => `${r.name} ${r.recomputed}/${r.max}`)).toEqual(['预算执行率 8.6/10', '产出指标 44.5/50', '效益指标 25.91/30', '满意度指标 9.44/10']);
    expect(view.summary).toMatchObject({ total: 88.45, grade: { label: '良好' }, selfReported: { total: 95 }, review: null, final: { total: 88.45 }, discrepancies: 2 });
    expect(view.summary.nextGrade).toBe('距『优秀』（≥ 90 分）还差 1.55 分：挽回「群众出行条件改善」4.09 分，总分可达 92.54 分');
    expect(view.project).toMatchObject({ unitName: expect.any(String), fiscalYear: 2023 });
  });

  it('per item: self-reported beside recomputed, the difference, evidence as actual vs threshold, the unit’s own indicator', async () => {
    const view = await trial('national-road-maintenance-2023.json');
    expect(item(view, 'roadKm')).toMatchObject({
      selfReported: 20,
      recomputed: 16,
      difference: -4,
      discrepancy: true,
      lost: 4,
      caseLabel: '正向指标，未达到年度指标值，按完成比例计分',
      unitIndicator: { direction: '正向（≥）', unitOfMeasure: '公里', target: '120', actual: '96', goal: null },
      recovery: '实际完成值需达到 120公里（现为 96公里），可得满分 20 分，挽回 4 分',
      remark: '两个标段雨季停工，顺延至次年。',
    });
    expect(item(view, 'budgetExecution')).toMatchObject({ selfReported: 8.6, discrepancy: false, difference: 0 });
    expect(item(view, 'budgetExecution').evidence).toEqual([{ label: '预算执行率', operator: '<', threshold: '0.9', actual: '0.86', passed: true }]);
    expect(item(view, 'incomeGrowth')).toMatchObject({ applicable: false, lost: 0, notApplicableReason: expect.stringContaining('不考核') });
  });

  it('points lost ranked, most first, with the reason and what it would take', async () => {
    const view = await trial('national-road-maintenance-2023.json');
    expect(view.pointsLost.map((p) => `${p.name} ${p.lost}`)).toEqual(['群众出行条件改善 4.09', '完成养护里程 4', '每公里养护成本 1.5', '预算执行率 1.4', '沿线群众满意度 0.56']);
    expect(view.pointsLost[0]!.recovery).toContain('定性评价需达到『达成年度指标』档');
  });

  it('a stored, reviewed evaluation: review points and reasons beside the others, review subtotals and the final total', async () => {
    const unit = { tokenId: 'tok_u', role: 'unit' as const, unitId: 'demo-county-transport' };
    const reviewer = { tokenId: 'tok_r', role: 'reviewer' as const, unitId: null };
    const stored = await submitEvaluation(deps, unit, example('national-road-maintenance-2023.json'), undefined);
    await addReview(deps, reviewer, stored.evaluation.id, { items: [{ itemId: 'roadKm', points: 18, reason: '雨季停工有气象证明，酌情认可' }] });
    const evaluation = await getEvaluation(deps, reviewer, stored.evaluation.id);
    const view = reportView({ result: evaluation.result, input: evaluation.input, whatItWouldTake: evaluation.whatItWouldTake, evaluation });
    expect(view.evaluation).toEqual({ id: stored.evaluation.id, createdAt: evaluation.createdAt });
    expect(item(view, 'roadKm')).toMatchObject({ recomputed: 16, review: { points: 18, reason: '雨季停工有气象证明，酌情认可' }, final: 18 });
    expect(view.rows.find((r) => r.id === 'output')).toMatchObject({ recomputed: 44.5, review: 46.5 });
    expect(view.summary.review).toMatchObject({ total: 90.45, grade: { label: '优秀' } });
    expect(view.summary.final.total).toBe(90.45);
    expect(view.reviews).toEqual([{ reviewer: 'tok_r', createdAt: expect.any(String), comment: null }]);
  });
});
