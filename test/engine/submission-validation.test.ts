// Malformed submissions are rejected whole, with the JSON path and a Chinese message for each problem, and no score.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { scoreSubmission } from '../../src/services/scoring.js';
import { example, shippedRegistry } from '../support.js';

const registry = shippedRegistry();
type Sub = Record<string, any>;

async function rejection(submission: unknown): Promise<DomainError> {
  try {
    const result = await scoreSubmission(registry, submission);
    throw new Error(`expected a rejection, got a score of ${result.total}`);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return e;
  }
}

const seed = () => example('meizhou-2022.json') as Sub;
const road = () => example('national-road-maintenance-2023.json') as Sub;

const cases: [string, () => unknown, string, string, string?][] = [
  ['not an object', () => [1, 2], 'SUBMISSION_INVALID', '$', '类型错误：应为对象'],
  ['missing project', () => { const s = seed(); delete s.project; return s; }, 'SUBMISSION_INVALID', '$.project', '缺少必填项「project」'],
  ['unknown top-level property', () => ({ ...seed(), score: 100 }), 'SUBMISSION_INVALID', '$.score', '不允许的属性「score」'],
  ['fiscal year as a string (no coercion)', () => { const s = seed(); s.project.fiscalYear = '2022'; return s; }, 'SUBMISSION_INVALID', '$.project.fiscalYear', '类型错误：应为整数'],
  ['fiscal year out of range', () => { const s = seed(); s.project.fiscalYear = 1999; return s; }, 'SUBMISSION_INVALID', '$.project.fiscalYear', '数值不能小于 2000'],
  ['amount as a string', () => { const s = seed(); s.facts.payment.spent = '44.99'; return s; }, 'SUBMISSION_INVALID', '$.facts.payment.spent', '「实际支出」应为数值'],
  ['negative amount', () => { const s = seed(); s.facts.payment.spent = -1; return s; }, 'SUBMISSION_INVALID', '$.facts.payment.spent', '「实际支出」不能小于 0万元'],
  ['zero budget (denominator)', () => { const s = seed(); s.facts.fundsArrival.budget = 0; return s; }, 'SUBMISSION_INVALID', '$.facts.fundsArrival.budget', '「全年预算数」必须大于 0万元'],
  ['satisfaction above 100%', () => { const s = seed(); s.facts.fairness.satisfactionRate = 95; return s; }, 'SUBMISSION_INVALID', '$.facts.fairness.satisfactionRate', '不能大于 1'],
  ['missing fact', () => { const s = seed(); delete s.facts.efficiency.completedOutputs; return s; }, 'SUBMISSION_INVALID', '$.facts.efficiency.completedOutputs', '缺少「实际完成数量」'],
  ['missing leaf', () => { const s = seed(); delete s.facts.economy; return s; }, 'SUBMISSION_INVALID', '$.facts.economy', '缺少指标「产出 / 经济性」的数据'],
  ['unknown fact name', () => { const s = seed(); s.facts.economy.cost = 1; return s; }, 'SUBMISSION_INVALID', '$.facts.economy.cost', '没有名为「cost」的数据项'],
  ['unknown leaf', () => { const s = seed(); s.facts.bonus = { x: 1 }; return s; }, 'SUBMISSION_INVALID', '$.facts.bonus', '没有编号为「bonus」的末级指标'],
  ['facts for an inner node', () => { const s = seed(); s.notApplicable = { decision: '无' }; return s; }, 'SUBMISSION_INVALID', '$.notApplicable.decision', '「决策」不是末级指标'],
  ['checklist answer missing', () => { const s = seed(); delete s.facts.safeguards.requirements.measuresEffective; return s; }, 'SUBMISSION_INVALID', '$.facts.safeguards.requirements.measuresEffective', '缺少对要求「保障措施可行并落实到位」是否满足的说明'],
  ['checklist answer not boolean', () => { const s = seed(); s.facts.safeguards.requirements.measuresEffective = 'yes'; return s; }, 'SUBMISSION_INVALID', '$.facts.safeguards.requirements.measuresEffective', '类型错误：应为布尔值'],
  ['both data and not-applicable', () => { const s = seed(); s.notApplicable = { economy: '无' }; return s; }, 'SUBMISSION_INVALID', '$.facts.economy', '已标记为不适用，不应再提供数据'],
  ['unit indicators on a fixed table', () => ({ ...seed(), indicators: road().indicators }), 'SUBMISSION_INVALID', '$.indicators', '不接受单位自设指标'],
  ['unknown rule set', () => { const s = seed(); s.ruleset.id = 'gd-nowhere-2022'; return s; }, 'RULESET_NOT_FOUND', '$.ruleset.id', '可用的规则集'],
  ['no version for the year', () => { const s = seed(); s.project.fiscalYear = 2021; return s; }, 'RULESET_NOT_FOUND', '$.project.fiscalYear', '各版本适用年度'],
  ['unknown version', () => { const s = seed(); s.ruleset.version = '9.9.9'; return s; }, 'RULESET_NOT_FOUND', '$.ruleset.version', '可用的版本：1.0.0'],
  ['self-reported item that does not exist', () => { const s = seed(); s.selfAssessment.items = { nothing: 3 }; return s; }, 'SUBMISSION_INVALID', '$.selfAssessment.items.nothing', '没有编号为「nothing」的指标项'],
  ['non-finite-looking huge number', () => { const s = seed(); s.facts.payment.spent = 1e300; return s; }, 'SUBMISSION_INVALID', '$.facts.payment.spent', '数值不能大于'],
  ['indicator: unknown category', () => { const s = road(); s.indicators[0].category = 'speed'; return s; }, 'SUBMISSION_INVALID', '$.indicators[0].category', '没有名为「speed」的指标类别'],
  ['indicator: quantitative without actual', () => { const s = road(); delete s.indicators[1].actual; return s; }, 'SUBMISSION_INVALID', '$.indicators[1].actual', '定量指标须填写实际完成值'],
  ['indicator: text actual on a ≥ indicator', () => { const s = road(); s.indicators[1].actual = '很好'; return s; }, 'SUBMISSION_INVALID', '$.indicators[1].actual', '不能是文字'],
  ['indicator: duplicate id', () => { const s = road(); s.indicators[1].id = s.indicators[0].id; return s; }, 'SUBMISSION_INVALID', '$.indicators[1].id', '重复'],
  ['indicator: id clashing with the table', () => { const s = road(); s.indicators[0].id = 'output'; return s; }, 'SUBMISSION_INVALID', '$.indicators[0].id', '与评分表中的指标编号冲突'],
  ['indicator: unknown direction', () => { const s = road(); s.indicators[0].direction = 'gt'; return s; }, 'SUBMISSION_INVALID', '$.indicators[0].direction', '取值无效，只能是'],
  ['indicator: points do not fill the first-level budget', () => { const s = road(); s.indicators[0].points = 15; return s; }, 'SUBMISSION_INVALID', '$.indicators', '「产出指标」下各三级指标分值合计 45 分，应等于该一级指标的 50 分'],
  ['indicator: qualitative score outside its tier', () => { const s = road(); s.indicators[5].chosenScore = 10; return s; }, 'SUBMISSION_INVALID', '$.indicators[5].chosenScore', '所选得分 10 不在「部分达成并具有一定效果」档的分值区间 [7.2, 9.6) 内'],
  ['indicator: qualitative without tier', () => { const s = road(); delete s.indicators[5].tier; return s; }, 'SUBMISSION_INVALID', '$.indicators[5].tier', '定性指标须选择评价档次'],
  ['indicator: chosen score on a quantitative indicator', () => { const s = road(); s.indicators[0].chosenScore = 20; return s; }, 'SUBMISSION_INVALID', '$.indicators[0].chosenScore', '不能自选'],
];

describe('malformed submissions', () => {
  it.each(cases)('%s → %s at %s', async (_label, make, code, path, message) => {
    const e = await rejection(make());
    expect(e.code).toBe(code);
    const detail = e.details.find((d) => d.path === path);
    expect(detail, JSON.stringify(e.details)).toBeDefined();
    if (message) expect(detail!.message).toContain(message);
    // messages are for people: Chinese, no stack traces or English schema jargon
    for (const d of e.details) {
      expect(d.message).toMatch(/[\u4e00-\u9fff]/);
      expect(d.message).not.toMatch(/must |at Object|\.ts:/);
    }
  });

  it('reports every problem at once, not just the first', async () => {
    const s = seed();
    delete s.facts.payment.spent;
    s.facts.economy.actualCost = '1';
    s.project.unitId = 'bad id with spaces';
    const e = await rejection(s);
    // shape errors come first; fact errors only once the shape is right
    expect(e.details.map((d) => d.path)).toEqual(['$.project.unitId']);
    s.project.unitId = 'ok-unit';
    const e2 = await rejection(s);
    expect(e2.details.map((d) => d.path).sort()).toEqual(['$.facts.economy.actualCost', '$.facts.payment.spent']);
  });
});
