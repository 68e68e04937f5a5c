// Province table shapes as data: goals (绩效目标), points split by the unit inside a block (fixed or open dimension
// shares), not-applicable items under rescale kept out of discrepancies; and the results of every rule set that uses
// none of them unchanged to the byte.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { DomainError, type ErrorDetail } from '../../src/domain/errors.js';
import type { ItemResult } from '../../src/domain/result.js';
import type { Diagnostic } from '../../src/engine/check/index.js';
import { compileChecked as compileDocument, type CompiledRuleSet } from '../../src/engine/compiled.js';
import { reconcile } from '../../src/engine/scoring/reconcile.js';
import { scoreWithReference, scoreWithRuleSet } from '../../src/engine/score.js';
import { resultShapeErrors } from '../../src/validation/index.js';
import { clientFor, type Send } from '../http/harness.js';
import { ROOT, checkWithoutCaseGate, readJson } from '../support.js';
import { createApp } from '../../src/http/app.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import { createToken } from '../../src/services/tokens.js';

type Doc = Record<string, any>;
const doc = (id: string): Doc => readJson(`rules/${id}/1.0.0.json`);
const compileChecked = (d: Doc): CompiledRuleSet => compileDocument(d as never);
const caseOf = (id: string, file: string): Doc => readJson(`rules/${id}/cases/${file}`);
const GOALS = 'xx-demo-goals';
const FIXED = 'xx-demo-goals-fixed';
const compiledGoals = compileChecked(doc(GOALS));
const compiledFixed = compileChecked(doc(FIXED));

/** The details of the 422 scoring `submission` gives (fails when it is scored). */
function rejection(compiled: CompiledRuleSet, submission: unknown): ErrorDetail[] {
  try {
    scoreWithRuleSet(compiled, submission);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    expect(e.code).toBe('SUBMISSION_INVALID');
    return [...e.details];
  }
  throw new Error('expected the submission to be refused');
}

const excellent = () => caseOf(GOALS, 'goals-excellent.json').submission as Doc;
const fixedExcellent = () => caseOf(FIXED, 'fixed-excellent.json').submission as Doc;

describe('goals: the 422s name the goal, the path and the difference', () => {
  it("a goal whose indicators do not add up to its points", () => {
    const s = excellent();
    s.goals[0].points = 45;
    s.goals[1].points = 35;
    expect(rejection(compiledGoals, s)).toEqual([
      { path: '$.goals[0].points', message: '年度绩效目标 1「完成农村公路养护任务」下各指标分值合计 50 分，比该目标的 45 分多 5 分' },
      { path: '$.goals[1].points', message: '年度绩效目标 2「提升群众出行体验」下各指标分值合计 30 分，比该目标的 35 分少 5 分' },
    ]);
  });

  it('goals that do not add up to the block, though each matches its indicators', () => {
    const s = excellent();
    s.indicators[0].points = 20; // 养护里程 25 → 20: goal 1 and the block are both 5 short
    s.goals[0].points = 45;
    expect(rejection(compiledGoals, s)).toEqual([
      { path: '$.indicators', message: '「绩效指标」下各三级指标分值合计 75 分，应等于该指标的 80 分（少 5 分）' },
      { path: '$.goals', message: '各年度绩效目标分值合计 75 分，比「绩效指标」的 80 分少 5 分' },
    ]);
  });

  it('unknown goal, missing goal, duplicate goal, a goal without indicators, too many goals', () => {
    const s = excellent();
    s.indicators[1].goal = 'upkeep';
    delete s.indicators[2].goal;
    s.goals.push({ id: 'maintain', name: '重复的目标', points: 0 });
    for (let i = 0; i < 3; i++) s.goals.push({ id: `spare${i}`, name: `备用目标 ${i}` });
    const details = rejection(compiledGoals, s);
    const wanted = '（应为：maintain（完成农村公路养护任务）、travel（提升群众出行体验）、maintain（重复的目标）、spare0（备用目标 0）、spare1（备用目标 1）、spare2（备用目标 2））';
    expect(details).toEqual([
      { path: '$.goals[2].id', message: '年度绩效目标编号「maintain」与第 1 个目标重复' },
      { path: '$.goals', message: '年度绩效目标最多 5 个，实际填写了 6 个' },
      { path: '$.indicators[1].goal', message: `没有编号为「upkeep」的年度绩效目标${wanted}` },
      { path: '$.indicators[2].goal', message: `指标「每公里养护成本」须注明所属年度绩效目标${wanted}` },
      { path: '$.goals[0].points', message: '年度绩效目标 1「完成农村公路养护任务」下各指标分值合计 25 分，比该目标的 50 分少 25 分' },
      { path: '$.goals[3]', message: '年度绩效目标 4「备用目标 0」下没有任何指标' },
      { path: '$.goals[4]', message: '年度绩效目标 5「备用目标 1」下没有任何指标' },
      { path: '$.goals[5]', message: '年度绩效目标 6「备用目标 2」下没有任何指标' },
    ]);
  });

  it('goals left out when the rule set asks for them: one error, at $.goals', () => {
    const s = excellent();
    delete s.goals;
    for (const ind of s.indicators) delete ind.goal;
    expect(rejection(compiledGoals, s)).toEqual([
      {
        path: '$.goals',
        message: '「绩效指标」下的三级指标须按年度绩效目标分组：请在 goals 中列出各目标（编号、名称、分值），并在每项指标的 goal 中注明所属目标',
      },
    ]);
  });

  it('goals given to a rule set without goals (cn-mof-2020) are refused, not ignored', () => {
    const s: Doc = readJson('examples/national-training-2023.json');
    s.goals = [{ id: 'g1', name: '目标' }];
    s.indicators[0].goal = 'g1';
    expect(rejection(compileChecked(doc('cn-mof-2020')), s)).toEqual([
      { path: '$.goals', message: '规则集 cn-mof-2020 的指标不按绩效目标分组，不应填写 goals' },
      { path: '$.indicators[0].goal', message: '规则集 cn-mof-2020 的指标不按绩效目标分组，不应填写所属目标 goal' },
    ]);
  });

  it('the submission schema bounds goals to 10 and checks their shape', () => {
    const s = excellent();
    s.goals = Array.from({ length: 11 }, (_, i) => ({ id: `g${i}`, name: `目标 ${i}` }));
    expect(rejection(compiledGoals, s).map((d) => d.path)).toContain('$.goals');
  });
});

describe('fixed dimension shares vs a block the unit splits', () => {
  it('fixed shares: each dimension is checked against its own points, as in cn-mof-2020', () => {
    const s = fixedExcellent();
    s.indicators[1].points = 15; // 产出 45 of 50; goal 1 then 55 of 60
    expect(rejection(compiledFixed, s)).toEqual([
      { path: '$.indicators', message: '「产出指标」下各三级指标分值合计 45 分，应等于该一级指标的 50 分' },
      { path: '$.goals[0].points', message: '年度绩效目标 1「按期完成便民服务中心建设」下各指标分值合计 55 分，比该目标的 60 分少 5 分' },
    ]);
  });

  it('fixed shares with a dimension left out: the goals must add up to the block less its share', () => {
    const s = caseOf(FIXED, 'fixed-poor-no-satisfaction.json').submission as Doc;
    s.goals[0].points = 90;
    expect(rejection(compiledFixed, s)).toEqual([
      { path: '$.goals[0].points', message: '年度绩效目标 1「完成校舍维修」下各指标分值合计 80 分，比该目标的 90 分少 10 分' },
      { path: '$.goals', message: '各年度绩效目标分值合计 90 分，比「年度绩效指标」的 80 分多 10 分（90 分中未设指标的「满意度指标」不计入）' },
    ]);
  });

  it('the unit splits the block: any split is accepted, each dimension scored out of what the unit gave it', () => {
    const result = scoreWithRuleSet(compiledGoals, excellent());
    const node = (id: string) => result.nodes.find((n) => n.id === id);
    expect([node('performance'), node('output'), node('benefit'), node('satisfaction')].map((n) => [n?.points, n?.max, n?.declaredMax])).toEqual([
      [78.18, 80, 80],
      [49.68, 50, 50],
      [13.5, 15, 15],
      [15, 15, 15],
    ]);
    const s = excellent(); // move 5 points from 产出 to 满意度, within goal 1 and goal 2 unchanged in total
    s.indicators[0].points = 20;
    s.indicators[4].points = 20;
    s.goals = [{ id: 'maintain', name: '完成农村公路养护任务', points: 45 }, { id: 'travel', name: '提升群众出行体验', points: 35 }];
    const moved = scoreWithRuleSet(compiledGoals, s);
    expect(moved.nodes.filter((n) => n.level === 2).map((n) => [n.id, n.declaredMax])).toEqual([['output', 45], ['benefit', 15], ['satisfaction', 20]]);
    expect(moved.total).toBe(97.78);
  });

  it('the unit splits the block: its indicators must fill it', () => {
    const s = excellent();
    s.indicators[4].points = 10;
    s.goals[1].points = 25;
    expect(rejection(compiledGoals, s)).toEqual([
      { path: '$.indicators', message: '「绩效指标」下各三级指标分值合计 75 分，应等于该指标的 80 分（少 5 分）' },
      { path: '$.goals', message: '各年度绩效目标分值合计 75 分，比「绩效指标」的 80 分少 5 分' },
    ]);
  });

  it('some shares fixed, the rest split by the unit: the open dimensions fill what the fixed ones leave', () => {
    const d = doc(GOALS);
    d.indicators[1].children[2].points = 10; // 满意度 fixed at 10; 产出 and 效益 share 70
    const compiled = compileChecked(d);
    const s = excellent(); // 满意度 15: 5 too many; 产出 + 效益 65: 5 too few
    expect(rejection(compiled, s)).toEqual([
      { path: '$.indicators', message: '「满意度指标」下各三级指标分值合计 15 分，应等于该一级指标的 10 分' },
      {
        path: '$.indicators',
        message: '「绩效指标」中「产出指标」「效益指标」下各三级指标分值合计 65 分，应等于 70 分（80 分减去固定分值的「满意度指标」 10 分；少 5 分）',
      },
    ]);
    s.indicators[3].points = 20; // 通行时间 15 → 20, 满意度 15 → 10
    s.indicators[4].points = 10;
    expect(scoreWithRuleSet(compiled, s).total).toBe(19.6 + 25 + 14.68 + 10 + 18 + 10);
  });
});

describe('subtotals per goal', () => {
  it('per goal and per dimension, in the submission order; identical on both scoring paths; schema-valid', async () => {
    const s = excellent();
    const result = scoreWithRuleSet(compiledGoals, s);
    expect(result.goals).toEqual([
      {
        id: 'maintain',
        name: '完成农村公路养护任务',
        points: 49.68,
        max: 50,
        declaredMax: 50,
        byDimension: [{ nodeId: 'output', name: '产出指标', points: 49.68, max: 50 }],
      },
      {
        id: 'travel',
        name: '提升群众出行体验',
        points: 28.5,
        max: 30,
        declaredMax: 30,
        byDimension: [
          { nodeId: 'benefit', name: '效益指标', points: 13.5, max: 15 },
          { nodeId: 'satisfaction', name: '满意度指标', points: 15, max: 15 },
        ],
      },
    ]);
    expect(Object.keys(result).slice(4, 7)).toEqual(['nodes', 'goals', 'total']);
    expect(canonicalJson(await scoreWithReference(compiledGoals, s))).toBe(canonicalJson(result));
    expect(resultShapeErrors(result)).toEqual([]);
    expect(result.items.find((i) => i.id === 'travelTime')?.explanation).toBe(
      '乡镇到县城平均通行时间：实际 33分钟，超过年度指标值（≤ 30分钟）10.00%，按（1 − 超出比例）× 15 分得 13.5 分（属年度绩效目标 2「提升群众出行体验」）',
    );
  });

  it('a goal without points is out of its indicators\' points; a not-applicable item moves its points within the goal', () => {
    const poor = scoreWithRuleSet(compiledGoals, caseOf(GOALS, 'goals-poor-no-goal-points.json').submission);
    expect(poor.goals?.map((g) => [g.id, g.points, g.max, g.declaredMax])).toEqual([['build', 24, 60, 60], ['use', 4, 20, 20]]);
    const fair = scoreWithRuleSet(compiledGoals, caseOf(GOALS, 'goals-fair-not-applicable.json').submission);
    expect(fair.goals?.[0]?.byDimension).toEqual([
      { nodeId: 'output', name: '产出指标', points: 38.86, max: 68.57 },
      { nodeId: 'benefit', name: '效益指标', points: 0, max: 0 },
      { nodeId: 'satisfaction', name: '满意度指标', points: 6.86, max: 11.43 },
    ]);
    expect(fair.goals?.[0]?.max).toBe(80);
  });

  it('rule sets without goals carry no goals field at all', () => {
    const result = scoreWithRuleSet(compileChecked(doc('cn-mof-2020')), readJson('examples/national-training-2023.json'));
    expect('goals' in result).toBe(false);
  });
});

describe('not applicable under the rescale policy is not a self-score discrepancy', () => {
  const grade = { code: 'good', name: '良', label: '良好', min: 80 } as never;
  const item = (id: string, applicable: boolean, points: number): ItemResult =>
    ({ id, name: id === 'na' ? '用户满意度' : id, applicable, points, max: applicable ? 10 : 0 }) as ItemResult;
  const items = [item('a', true, 9), item('na', false, 0)];
  const self = { total: 9, items: { a: 9, na: 10 } };

  it('before (redistribute, and the old behaviour everywhere): the not-applicable item is a discrepancy', () => {
    expect(reconcile(self, items, 9, grade, 2)).toEqual({
      discrepancies: [{ itemId: 'na', name: '用户满意度', reported: 10, recomputed: 0, difference: 10 }],
      warnings: [],
    });
  });

  it('after, under rescale: no discrepancy; a warning says it was not compared; the total still is', () => {
    expect(reconcile(self, items, 9, grade, 2, 'rescale')).toEqual({
      discrepancies: [],
      warnings: ['「用户满意度」不适用，总分已按适用指标折算为满分制，其自评分 10 分不作比对'],
    });
    expect(reconcile({ ...self, total: 10 }, items, 9, grade, 2, 'rescale').discrepancies.map((d) => d.itemId)).toEqual(['total']);
  });

  it('scored end to end: the same submission under redistribute reports it, under rescale does not', () => {
    const s = caseOf(FIXED, 'fixed-good-rescale-not-applicable.json').submission as Doc;
    const rescaled = scoreWithRuleSet(compiledFixed, s);
    expect(rescaled.discrepancies.map((d) => [d.itemId, d.reported, d.recomputed])).toEqual([['total', 88, 87.97]]);
    expect(rescaled.warnings).toContain('「用户满意度」不适用，总分已按适用指标折算为满分制，其自评分 10 分不作比对');
    const d = doc(FIXED);
    d.notApplicable.policy = 'redistribute';
    const redistributed = scoreWithRuleSet(compileChecked(d), s);
    // (管网 and 成本 differ there too: 满意度's 10 points moved to them, so the unit's 27 and 20 no longer match)
    expect(redistributed.discrepancies.map((x) => x.itemId)).toEqual(['pipeKm', 'unitCost', 'userSatisfaction', 'total']);
  });
});

describe('checker diagnostics for malformed declarations', () => {
  const errors = async (d: Doc) => {
    const report = await checkWithoutCaseGate(d);
    return report.diagnostics.filter((x) => x.severity === 'error').map((x: Diagnostic) => [x.code, x.location, x.message]);
  };

  it('the new rule sets pass with no diagnostic at all', async () => {
    for (const id of [GOALS, FIXED]) expect((await checkWithoutCaseGate(doc(id))).diagnostics, id).toEqual([]);
  });

  it('goals on a node without unit-indicator slots below', async () => {
    const d = doc(GOALS);
    d.indicators[0].goals = { label: '年度绩效目标', maxGoals: 3 };
    expect(await errors(d)).toEqual([
      [
        'NODE_SHAPE',
        '$.indicators[0].goals',
        '「预算执行率」声明了按年度绩效目标分组（goals），但其下没有单位自设指标位：goals 只能设在下级为单位自设指标位、或为下设单位自设指标位的维度的指标上',
      ],
      ['NODE_SHAPE', '$.indicators[1].goals', '一个规则集只能有一处按绩效目标分组（另见 $.indicators[0]）'],
    ]);
  });

  it('unitSplit over slots instead of dimensions, and a dimension without points outside a split block', async () => {
    const d = doc(FIXED);
    delete d.indicators[1].children[0].points;
    d.indicators[1].children[1].unitSplit = true;
    expect(await errors(d)).toEqual([
      ['NODE_SHAPE', '$.indicators[1].children[0]', '「产出指标」下为单位自设指标，必须给出该一级指标的分值 points'],
      ['NODE_SHAPE', '$.indicators[1].children[1].unitSplit', '「效益指标」声明由单位分配分值（unitSplit），其下级须全部是下设单位自设指标位的维度（如产出、效益、满意度指标）'],
    ]);
  });

  it('a split block without points, and fixed shares that leave the unit nothing or do not add up', async () => {
    const noPoints = doc(GOALS);
    delete noPoints.indicators[1].points;
    expect((await errors(noPoints)).slice(0, 2)).toEqual([
      ['NODE_SHAPE', '$.indicators[1]', '「绩效指标」由单位分配分值，须给出本块总分 points'],
      ['NODE_SHAPE', '$.indicators[1]', '「绩效指标」按年度绩效目标分组，须给出分值 points（各目标分值合计应等于它）'],
    ]);
    const full = doc(GOALS);
    full.indicators[1].children[0].points = 60;
    full.indicators[1].children[1].points = 20;
    expect(await errors(full)).toEqual([
      ['TREE_SUM_MISMATCH', '$.indicators[1].points', '「绩效指标」分值 80 分，其下固定分值的维度已合计 80 分，未固定分值的「满意度指标」没有可由单位分配的分值'],
    ]);
    full.indicators[1].children[2].points = 10;
    expect(await errors(full)).toEqual([['TREE_SUM_MISMATCH', '$.indicators[1].points', '「绩效指标」分值 80 分，但其下各维度的固定分值之和为 90 分']]);
    full.indicators[1].children[2].points = 0;
    const report = await checkWithoutCaseGate(full);
    expect(report.ok).toBe(true);
    expect(report.diagnostics.map((x) => [x.code, x.severity, x.message])).toEqual([
      ['UNIT_SPLIT_UNUSED', 'warning', '「绩效指标」各维度均已固定分值，unitSplit 不起作用，可删去'],
    ]);
  });

  it('the schema bounds goals: maxGoals at most 10, nothing but label and maxGoals', async () => {
    const d = doc(GOALS);
    d.indicators[1].goals = { label: '年度绩效目标', maxGoals: 11, extra: 1 };
    const report = await checkWithoutCaseGate(d);
    expect(report.ok).toBe(false);
    expect(report.diagnostics.filter((x) => x.code === 'SCHEMA_VIOLATION').map((x) => x.location).sort()).toEqual(
      ['$.indicators[1].goals.extra', '$.indicators[1].goals.maxGoals'],
    );
  });
});

// sha256 (first 16 hex) of the canonical JSON of each result (or refusal) of every example and golden case of the rule
// sets that use no goals and no split block, computed from the code before these shapes were added.
const BEFORE: Readonly<Record<string, string>> = {
  'examples/meizhou-2022.json gd-meizhou-2022@1.0.0': '30be0dee2f84732c',
  'examples/national-road-maintenance-2023.json cn-mof-2020@1.0.0': '91f703cd0e34a567',
  'examples/national-training-2023.json cn-mof-2020@1.0.0': '6e8d0312368c5481',
  'rules/cn-mof-2020/cases/digital-stations-poor-2021.json cn-mof-2020@1.0.0': 'b65066bb5b05b636',
  'rules/cn-mof-2020/cases/rejected-budget-and-tier.json cn-mof-2020@1.0.0': 'cb0855a4b6732f8e',
  'rules/cn-mof-2020/cases/rejected-score-outside-tier.json cn-mof-2020@1.0.0': '65d7633c8357ea49',
  'rules/cn-mof-2020/cases/road-maintenance-2023.json cn-mof-2020@1.0.0': '91f703cd0e34a567',
  'rules/cn-mof-2020/cases/training-no-satisfaction-2023.json cn-mof-2020@1.0.0': '6e8d0312368c5481',
  'rules/cn-mof-2020/cases/waste-collection-fair-2022.json cn-mof-2020@1.0.0': '62e1a13d1ec474ba',
  'rules/cn-mof-2020/cases/water-supply-excellent-2023.json cn-mof-2020@1.0.0': '999ee8c7ff40012b',
  'rules/gd-meizhou-2022/cases/not-applicable-redistributed.json gd-meizhou-2022@1.0.0': 'b184c44b6e5e75b6',
  'rules/gd-meizhou-2022/cases/rejected-bad-facts.json gd-meizhou-2022@1.0.0': '6a0da5abc38e7fe3',
  'rules/gd-meizhou-2022/cases/safeguards-and-allocation-good.json gd-meizhou-2022@1.0.0': 'deee861aadb72288',
  'rules/gd-meizhou-2022/cases/seed-meizhou-2022.json gd-meizhou-2022@1.0.0': '30be0dee2f84732c',
  'rules/gd-meizhou-2022/cases/shortfalls.json gd-meizhou-2022@1.0.0': '70b36d9804b4672e',
  'rules/gd-meizhou-2022/cases/stalled-project-poor.json gd-meizhou-2022@1.0.0': '5a21c84290543355',
  'rules/xx-demo-interval/cases/above-and-none-served.json xx-demo-interval@1.0.0': '83aff7d6c5e76707',
  'rules/xx-demo-interval/cases/below-and-above.json xx-demo-interval@1.0.0': '17f673aed471bdb3',
  'rules/xx-demo-interval/cases/edges.json xx-demo-interval@1.0.0': '89fc50bb168efbbb',
  'rules/xx-demo-interval/cases/fair.json xx-demo-interval@1.0.0': 'd7a2607553e1b2e7',
  'rules/xx-demo-interval/cases/within.json xx-demo-interval@1.0.0': 'be4c37c524d4f6b8',
  'rules/xx-demo-methods/cases/all-met.json xx-demo-methods@1.0.0': '17e56ce11127fcbf',
  'rules/xx-demo-methods/cases/late-report-minor-findings.json xx-demo-methods@1.0.0': 'e8164dee13dac014',
  'rules/xx-demo-methods/cases/missing-report-major-findings.json xx-demo-methods@1.0.0': 'bb9e578ad1e90f20',
  'rules/xx-demo-methods/cases/poor.json xx-demo-methods@1.0.0': '4362a87acf91336c',
  'rules/xx-demo-methods/cases/report-not-applicable-fixed-scaled.json xx-demo-methods@1.0.0': '60792d2cad45d2ea',
};

describe('results of rule sets that use none of this are unchanged', () => {
  it('every example and golden case of the earlier rule sets scores to the same bytes (fast path = reference)', async () => {
    const ids = ['cn-mof-2020', 'gd-meizhou-2022', 'xx-demo-interval', 'xx-demo-methods'];
    const sets = new Map(ids.map((id) => [id, compileChecked(doc(id))]));
    const actual: Record<string, string> = {};
    const hashOf = async (label: string, submission: Doc) => {
      const compiled = sets.get(submission.ruleset.id)!;
      let text: string;
      try {
        text = canonicalJson(scoreWithRuleSet(compiled, submission));
        if (text !== canonicalJson(await scoreWithReference(compiled, submission))) text += 'MISMATCH';
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        text = canonicalJson({ code: e.code, message: e.message, details: e.details });
      }
      actual[`${label} ${submission.ruleset.id}@1.0.0`] = createHash('sha256').update(text).digest('hex').slice(0, 16);
    };
    for (const f of ['meizhou-2022.json', 'national-road-maintenance-2023.json', 'national-training-2023.json']) await hashOf(`examples/${f}`, readJson(`examples/${f}`));
    for (const id of ids) {
      for (const f of readdirSync(join(ROOT, 'rules', id, 'cases')).sort()) await hashOf(`rules/${id}/cases/${f}`, caseOf(id, f).submission);
    }
    expect(actual).toEqual(BEFORE);
  });
});

describe('published through the API and scored with subtotals per goal', () => {
  let send: Send;
  let bureau: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // a rules directory without the new rule sets, so that they exist only once published
    const rulesDir = join(mkdtempSync(join(tmpdir(), 'jxzp-rules-')), 'rules');
    cpSync(join(ROOT, 'rules', 'cn-mof-2020'), join(rulesDir, 'cn-mof-2020'), { recursive: true });
    const { deps, database } = await buildNodeDeps({ databasePath: join(mkdtempSync(join(tmpdir(), 'jxzp-db-')), 'test.db'), rulesDir, log: () => {} });
    const app = createApp(deps);
    send = clientFor((req) => app.fetch(req));
    bureau = (await createToken(database.db, { role: 'bureau' }, new Date())).token;
    close = () => database.close();
  });
  afterAll(async () => close());

  it('both rule sets publish with their cases; a goals case then scores with per-goal subtotals', async () => {
    const before = await send('POST', '/v1/score', { token: bureau, json: excellent() });
    expect([before.status, before.body.error.code]).toEqual([422, 'RULESET_NOT_FOUND']);
    for (const id of [GOALS, FIXED]) {
      const cases = readdirSync(join(ROOT, 'rules', id, 'cases')).sort().map((f) => caseOf(id, f));
      const published = await send('POST', '/v1/rulesets', { token: bureau, json: { ruleset: doc(id), cases } });
      expect(published.status, published.text).toBe(201);
      expect(published.body.status).toBe('published');
    }
    const scored = await send('POST', '/v1/score', { token: bureau, json: fixedExcellent() });
    expect(scored.status, scored.text).toBe(200);
    expect(scored.body.total).toBe(97);
    expect(scored.body.goals).toEqual([
      {
        id: 'service',
        name: '按期完成便民服务中心建设',
        points: 60,
        max: 60,
        declaredMax: 60,
        byDimension: [
          { nodeId: 'output', name: '产出指标', points: 50, max: 50 },
          { nodeId: 'satisfaction', name: '满意度指标', points: 10, max: 10 },
        ],
      },
      { id: 'effect', name: '提升基层服务能力', points: 27, max: 30, declaredMax: 30, byDimension: [{ nodeId: 'benefit', name: '效益指标', points: 27, max: 30 }] },
    ]);
    const refused = await send('POST', '/v1/score', { token: bureau, json: caseOf(GOALS, 'rejected-goal-points.json').submission });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([
      { path: '$.goals[0].points', message: '年度绩效目标 1「完成农村公路养护任务」下各指标分值合计 35 分，比该目标的 40 分少 5 分' },
      { path: '$.goals[1].points', message: '年度绩效目标 2「提升群众出行体验」下各指标分值合计 45 分，比该目标的 40 分多 5 分' },
    ]);
  });
});
