// The structural diff of rule-set versions and the change notice rendered from it: the done-when case, one case
// per kind of change, shared rule groups, and properties over the shipped rule sets.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { walkIndicators, type RuleSetDocument } from '../../src/domain/ruleset.js';
import { NO_DIFFERENCE, renderChangeNotice } from '../../src/engine/change-notice.js';
import { diffRuleSets, type RuleSetChange, type RuleSetChangeKind } from '../../src/engine/ruleset-diff.js';
import { DomainError } from '../../src/domain/errors.js';
import { compileChecked } from '../../src/engine/compiled.js';
import { versionSummary } from '../../src/services/catalogue.js';
import { diffRuleSetVersions } from '../../src/services/ruleset-diff.js';
import { ruleSetShapeErrors } from '../../src/validation/index.js';
import { readJson, ROOT, ruleSet } from '../support.js';

type Doc = any;
type ShippedId = 'cn-mof-2020' | 'gd-meizhou-2022' | 'xx-demo-goals';

interface KindCase {
  readonly base: ShippedId;
  readonly mutate: (d: Doc) => void;
  readonly lines: readonly string[];
}

const rule = (d: Doc, name: string) => d.rules.find((r: any) => r.name === name);
const node = (d: Doc, id: string): any => {
  const find = (list: any[]): any => {
    for (const n of list) {
      if (n.id === id) return n;
      const c = n.children && find(n.children);
      if (c) return c;
    }
  };
  return find(d.indicators);
};

/** A fresh copy of a shipped rule set. */
function shipped(id: ShippedId): RuleSetDocument {
  return readJson<RuleSetDocument>(`rules/${id}/1.0.0.json`);
}

function noticeOf(before: RuleSetDocument, after: RuleSetDocument) {
  const changes = diffRuleSets(before, after);
  return { changes, ...renderChangeNotice(before, after, changes) };
}

/** One mutation per kind of change (the Record makes the compiler ask for every kind), and the notice it must give. */
const CASES: Record<RuleSetChangeKind, KindCase> = {
  documentFieldChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.issuer = '湖北省财政厅'; },
    lines: ['发布机关：「财政部」 → 「湖北省财政厅」'],
  },
  basedOnChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => {
      d.basedOn = [{ id: 'xx-national', version: '2.0.0', sha256: '0'.repeat(64) }];
    },
    lines: ['所依据的规则集：（无，独立制定） → xx-national 2.0.0'],
  },
  indicatorUnitSplitChanged: {
    base: 'xx-demo-goals',
    mutate: (d) => {
      delete node(d, 'performance').unitSplit;
    },
    lines: ['绩效指标：分值由单位在各维度间分配 是 → 否'],
  },
  indicatorGoalsChanged: {
    base: 'xx-demo-goals',
    mutate: (d) => {
      node(d, 'performance').goals.maxGoals = 3;
    },
    lines: ['绩效指标：三级指标按年度绩效目标分组 最多 5 个「年度绩效目标」 → 最多 3 个「年度绩效目标」'],
  },
  fiscalYearsChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.fiscalYears = { from: 2020, to: 2023 }; },
    lines: ['适用年度：2020 年起 → 2020–2023 年'],
  },
  totalChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.total = 120; },
    lines: ['总分：100 → 120 分'],
  },
  roundingChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.rounding = { ...d.rounding, decimals: 1 }; },
    lines: ['得分保留小数位数：2 位 → 1 位'],
  },
  notApplicablePolicyChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.notApplicable = { policy: 'rescale' }; },
    lines: ['不适用指标的处理：分值按比例分给同级其他指标 → 总分按适用指标折算为百分制'],
  },
  gradeBandAdded: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.grades.splice(1, 0, { code: 'fine', name: '较好', label: '较好', min: 85 }); },
    lines: ['等级「较好」（较好）：新增，下限 85 分'],
  },
  gradeBandRemoved: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.grades.splice(2, 1); },
    lines: ['等级「中」（中）：删除（原下限 60 分）'],
  },
  gradeBandMinChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.grades[1].min = 75; },
    lines: ['等级「良」（良好）：下限 80 → 75 分'],
  },
  gradeBandNameChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.grades[2].name = '合格'; },
    lines: ['等级（中）：等级名称「中」 → 「合格」'],
  },
  gradeBandLabelChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.grades[0].label = '优'; },
    lines: ['等级「优」：显示名称「优秀」 → 「优」'],
  },
  indicatorAdded: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'projectApproval').children.push({ id: 'riskControl', name: '风险防控', points: 2, facts: { done: { label: '是否已防控', type: 'boolean' } } }); },
    lines: ['新增指标 风险防控（决策／项目立项／风险防控）：2 分'],
  },
  indicatorRemoved: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { const p = node(d, 'fundsSecured'); p.children = p.children.filter((c: any) => c.id !== 'fundsAllocation'); },
    lines: ['删除指标 资金分配（决策／资金落实／资金分配）（原 3 分）'],
  },
  indicatorRenamed: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'payment').name = '资金支出'; },
    lines: ['资金支出（管理／资金管理／资金支出）：指标名称「资金支付」 → 「资金支出」'],
  },
  indicatorPointsChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'payment').points = 6; },
    lines: ['资金支付（管理／资金管理／资金支付）：分值 8 → 6 分'],
  },
  indicatorMoved: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { const from = node(d, 'fundsSecured'); const n = from.children.find((c: any) => c.id === 'fundsArrival'); from.children = from.children.filter((c: any) => c !== n); node(d, 'fundsManagement').children.unshift(n); },
    lines: ['资金到位：所属上级指标 决策／资金落实 → 管理／资金管理'],
  },
  indicatorDescriptionChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'safeguards').description = '是否有制度保障。'; },
    lines: ['保障措施（决策／项目立项／保障措施）：评分说明 「是否有保障项目实施的制度、合同等措施。」 → 「是否有制度保障。」'],
  },
  indicatorRuleGroupChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.ruleGroups.costIndicator = structuredClone(d.ruleGroups.unitIndicator); d.ruleGroups.costIndicator.name = '成本指标规则'; node(d, 'cost').unitIndicators.ruleGroup = 'costIndicator'; },
    lines: ['成本指标（产出指标／成本指标）：单位自设指标的计分规则组 「单位自设三级指标」 → 「成本指标规则」', '新增单位自设指标规则组「成本指标规则」（用于 成本指标）'],
  },
  checklistRequirementAdded: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'safeguards').checklist.push({ id: 'riskPlan', requirement: '制定了风险应对预案', deduction: 1 }); },
    lines: ['保障措施（决策／项目立项／保障措施）：新增评分要求「制定了风险应对预案」，未满足扣 1 分'],
  },
  checklistRequirementRemoved: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'safeguards').checklist.pop(); },
    lines: ['保障措施（决策／项目立项／保障措施）：删除评分要求「保障措施可行并落实到位」（原未满足扣 2 分）'],
  },
  checklistDeductionChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'decisionBasis').checklist[2].deduction = 0.5; },
    lines: ['论证决策（决策／项目立项／论证决策）：要求「项目与部门职责和年度工作任务相匹配」未满足时扣分 1 → 0.5 分'],
  },
  checklistRequirementTextChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'decisionBasis').checklist[0].requirement = '立项依据充分'; },
    lines: ['论证决策（决策／项目立项／论证决策）：评分要求「立项依据充分，符合法律法规、相关政策和发展规划」 → 「立项依据充分」'],
  },
  factAdded: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'fairness').facts.surveyed = { label: '调查样本数', type: 'integer', minimum: 0 }; },
    lines: ['公平性（效益／公平性）：新增填报项「调查样本数」'],
  },
  factRemoved: {
    base: 'cn-mof-2020',
    mutate: (d) => { delete d.ruleGroups.unitIndicator.facts.chosenScore; },
    lines: ['单位自设指标规则组「单位自设三级指标」（用于 数量指标、质量指标、时效指标 等 9 个指标）：删除填报项「定性指标所选得分」'],
  },
  factChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { node(d, 'fundsArrival').facts.budget.unit = '元'; },
    lines: ['资金到位（决策／资金落实／资金到位）：填报项「全年预算数」的计量单位 「万元」 → 「元」'],
  },
  ruleGroupAdded: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.ruleGroups.spare = { name: '备用规则组', facts: { rate: { label: '完成率', type: 'number', minimum: 0, maximum: 1 } } }; },
    lines: ['新增单位自设指标规则组「备用规则组」（暂无指标使用）'],
  },
  ruleGroupRemoved: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.ruleGroups.spare = { name: '备用规则组', facts: { rate: { label: '完成率', type: 'number', minimum: 0, maximum: 1 } } }; },
    lines: ['删除单位自设指标规则组「备用规则组」（原暂无指标使用）'],
  },
  ruleGroupRenamed: {
    base: 'cn-mof-2020',
    mutate: (d) => { d.ruleGroups.unitIndicator.name = '三级指标'; },
    lines: ['单位自设指标规则组名称「单位自设三级指标」 → 「三级指标」'],
  },
  ruleAdded: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { d.rules.push({ name: 'fairness.none', conditions: { all: [{ fact: 'satisfactionRate', operator: 'equal', value: 0 }] }, event: { type: 'award', params: { appliesTo: 'fairness', case: '无人满意', award: { method: 'zero' }, explanation: '得 0 分' } } }); },
    lines: ['公平性（效益／公平性）：新增计分规则 fairness.none（无人满意），按「不得分」计分'],
  },
  ruleRemoved: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { d.rules = d.rules.filter((r: any) => r.name !== 'fairness.below'); },
    lines: ['公平性（效益／公平性）：删除计分规则 fairness.below（满意度 < 90%，按 满意度 ÷ 90% 计分）'],
  },
  ruleTargetChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'payment.met').event.params.appliesTo = 'fundsArrival'; },
    lines: ['规则 payment.met（达到 100%）：适用对象 资金支付（管理／资金管理／资金支付） → 资金到位（决策／资金落实／资金到位）'],
  },
  ruleThresholdChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'fairness.satisfied').conditions.all[0].value = 0.85; },
    lines: ['公平性（效益／公平性）：规则 fairness.satisfied（满意度 ≥ 90%）的条件 服务对象满意度 ≥ 90% → ≥ 85%'],
  },
  ruleOperatorChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'economy.withinBudget').conditions.all[0].operator = 'lessThan'; },
    lines: ['经济性（产出／经济性）：规则 economy.withinBudget（实际成本未超计划）的条件 成本控制率 ≤ 100% → < 100%'],
  },
  ruleConditionsChanged: {
    base: 'cn-mof-2020',
    mutate: (d) => { rule(d, 'indicator.qualitative').conditions.all.push({ fact: 'tier', operator: 'in', value: ['achieved', 'partial'] }); },
    lines: ['单位自设指标规则组「单位自设三级指标」（用于 数量指标、质量指标、时效指标 等 9 个指标）：规则 indicator.qualitative（定性指标，在评价档次内取分）的适用条件 指标方向 = 「定性」 → 指标方向 = 「定性」 且 定性评价档次 属于 「达成年度指标」、「部分达成并具有一定效果」'],
  },
  ruleMethodChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'fairness.below').event.params.award = { method: 'positive', actual: 'satisfactionRate', target: 'satisfactionRate' }; },
    lines: ['公平性（效益／公平性）：规则 fairness.below（满意度 < 90%，按 满意度 ÷ 90% 计分）的计分方法「达标率」 → 「正向」'],
  },
  ruleAwardFieldChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'fairness.below').event.params.award.threshold = 0.85; },
    lines: ['公平性（效益／公平性）：规则 fairness.below（满意度 < 90%，按 满意度 ÷ 90% 计分）的满分线 90% → 85%'],
  },
  ruleCaseChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'payment.met').event.params.case = '支出率达到 100%'; },
    lines: ['资金支付（管理／资金管理／资金支付）：规则 payment.met 的情形名称「达到 100%」 → 「支出率达到 100%」'],
  },
  ruleExplanationChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'payment.met').event.params.explanation = '资金支出率 {paymentRate|percent}，得满分 {max} 分'; },
    lines: ['资金支付（管理／资金管理／资金支付）：规则 payment.met（达到 100%）的得分说明「资金支出率 {paymentRate|percent}（{spent} ÷ {arrived} 万元）≥ 100%，得满分 {max} 分」 → 「资金支出率 {paymentRate|percent}，得满分 {max} 分」'],
  },
  rulePriorityChanged: {
    base: 'gd-meizhou-2022',
    mutate: (d) => { rule(d, 'payment.met').priority = 5; },
    lines: ['资金支付（管理／资金管理／资金支付）：规则 payment.met（达到 100%）的优先级 默认 → 5'],
  },
};


describe('diffRuleSets and the change notice', () => {
  it('the done-when case: 产出 50→45, 满意度 10→15, 优 90→85 give exactly three lines, each before → after', () => {
    const before = ruleSet('cn-mof-2020');
    const after: Doc = ruleSet('cn-mof-2020');
    node(after, 'output').points = 45;
    node(after, 'satisfaction').points = 15;
    after.grades.find((g: any) => g.name === '优').min = 85;
    const { changes, header, lines } = noticeOf(before, after);
    expect(lines).toEqual(['等级「优」（优秀）：下限 90 → 85 分', '产出指标：分值 50 → 45 分', '满意度指标：分值 10 → 15 分']);
    expect(header).toBe('评分规则变更通知：项目支出绩效自评表（全国通用，财预〔2020〕10号）。旧版本 cn-mof-2020 1.0.0，新版本 1.0.0，共 3 处变化。');
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'gradeBandMinChanged', from: 90, to: 85, location: { before: '$.grades[0].min', after: '$.grades[0].min' }, indicatorPath: null }),
      expect.objectContaining({ kind: 'indicatorPointsChanged', from: 50, to: 45, indicatorPath: '产出指标', location: { before: '$.indicators[1].points', after: '$.indicators[1].points' } }),
      expect.objectContaining({ kind: 'indicatorPointsChanged', from: 10, to: 15, indicatorPath: '满意度指标' }),
    ]);
  });

  it('identical documents have no changes, and the notice says so in one line', () => {
    const { changes, lines, header } = noticeOf(ruleSet('gd-meizhou-2022'), ruleSet('gd-meizhou-2022'));
    expect(changes).toEqual([]);
    expect(lines).toEqual([NO_DIFFERENCE]);
    expect(header).toContain('没有变化');
  });

  it('version, changelog and $schema are not changes', () => {
    const after: Doc = ruleSet('cn-mof-2020');
    after.version = '1.1.0';
    after.changelog = '第二版';
    delete after.$schema;
    const { changes, header } = noticeOf(ruleSet('cn-mof-2020'), after);
    expect(changes).toEqual([]);
    expect(header).toContain('旧版本 cn-mof-2020 1.0.0，新版本 1.1.0');
  });

  describe.each(Object.entries(CASES) as [RuleSetChangeKind, KindCase][])('%s', (kind, c) => {
    it('is found, named and worded with before → after', () => {
      const before = shipped(c.base);
      const after: Doc = shipped(c.base);
      c.mutate(after);
      expect(ruleSetShapeErrors(after)).toEqual([]);
      // a removed rule group is the added one read backwards
      const [from, to] = kind === 'ruleGroupRemoved' ? [after, before] : [before, after];
      const { changes, lines } = noticeOf(from, to);
      expect(changes[0]!.kind).toBe(kind);
      expect(changes).toHaveLength(c.lines.length);
      expect(lines).toEqual(c.lines);
    });
  });

  it('a changed tier label, tier list, qualitative cut points and 反向 variant are each one line', () => {
    const before = ruleSet('cn-mof-2020');
    const after: Doc = ruleSet('cn-mof-2020');
    after.ruleGroups.unitIndicator.facts.tier.enumLabels.partial = '部分达成';
    after.ruleGroups.unitIndicator.facts.direction.enum = ['gte', 'lte', 'qualitative'];
    rule(after, 'indicator.qualitative').event.params.award.cutPoints = { achieved: 0.8, partial: 0.5 };
    rule(after, 'indicator.lte.over').event.params.award.variant = 'ratio';
    expect(ruleSetShapeErrors(after)).toEqual([]);
    const group = '单位自设指标规则组「单位自设三级指标」（用于 数量指标、质量指标、时效指标 等 9 个指标）';
    expect(noticeOf(before, after).lines).toEqual([
      `${group}：填报项「指标方向」的可选档次 「正向（≥）」、「反向（≤）」、「等于（=）」、「定性」 → 「正向（≥）」、「反向（≤）」、「定性」`,
      `${group}：填报项「定性评价档次」的档次名称「部分达成并具有一定效果」 → 「部分达成」`,
      `${group}：规则 indicator.lte.over（反向指标，超过年度指标值，按超出比例扣减）的超出时的计分方式 「（1 − 超出比例）× 分值，超出一倍及以上得 0 分」 → 「目标值 ÷ 实际值 × 分值」`,
      `${group}：规则 indicator.qualitative（定性指标，在评价档次内取分）的档次分界 默认（达成 ≥ 80%、部分达成 ≥ 60%） → 达成 ≥ 80%、部分达成 ≥ 50%`,
    ]);
  });

  it('a budget-execution threshold reads as percentages with the fact by its label', () => {
    const before = ruleSet('cn-mof-2020');
    const after: Doc = ruleSet('cn-mof-2020');
    rule(after, 'budgetExecution.full').conditions.all[0].value = 0.95;
    const { changes, lines } = noticeOf(before, after);
    expect(lines).toEqual(['预算执行率：规则 budgetExecution.full（执行率达到 100%）的条件 预算执行率 ≥ 100% → ≥ 95%']);
    expect(changes[0]).toMatchObject({
      kind: 'ruleThresholdChanged',
      operator: 'greaterThanInclusive',
      from: 1,
      to: 0.95,
      fact: { name: 'executionRate', label: '预算执行率', rate: true },
      location: { before: '$.rules[0].conditions.all[0].value', after: '$.rules[0].conditions.all[0].value' },
    });
  });

  describe('rules expanded from a shared rule group', () => {
    const shared = { id: 'rateReached', name: '完成率达标满分' };
    const withGroup = (d: Doc) => {
      for (const name of ['fundsArrival.met', 'payment.met', 'efficiency.met']) rule(d, name).sharedGroup = shared;
      return d;
    };

    it('the same threshold change in every rule of the group is one line naming the group and its indicators', () => {
      const before = withGroup(ruleSet('gd-meizhou-2022'));
      const after = withGroup(ruleSet('gd-meizhou-2022'));
      for (const name of ['fundsArrival.met', 'payment.met', 'efficiency.met']) rule(after, name).conditions.all[0].value = 0.95;
      const { changes, lines } = noticeOf(before, after);
      expect(lines).toEqual([
        '规则组「完成率达标满分」（用于 资金到位、资金支付、效率性）：3 条规则（达到 100%）的条件 资金到位率／资金支出率／产出完成率 ≥ 100% → ≥ 95%',
      ]);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        kind: 'ruleThresholdChanged',
        from: 1,
        to: 0.95,
        indicatorPath: '完成率达标满分',
        sharedGroup: { id: 'rateReached', name: '完成率达标满分', rules: ['fundsArrival.met', 'payment.met', 'efficiency.met'] },
      });
    });

    it('two constructed rules sharing a group and a threshold change give one line', () => {
      const before: Doc = ruleSet('gd-meizhou-2022');
      const mk = (name: string, appliesTo: string, fact: string) => ({
        name,
        sharedGroup: { id: 'satisfied', name: '满意度达标' },
        conditions: { all: [{ fact, operator: 'greaterThanInclusive', value: 0.9 }] },
        event: { type: 'award', params: { appliesTo, case: '满意度达标', award: { method: 'full' }, explanation: '得满分 {max} 分' } },
      });
      before.rules.push(mk('fairness.shared', 'fairness', 'satisfactionRate'), mk('effectiveness.shared', 'effectiveness', 'achievementRate'));
      const after: Doc = structuredClone(before);
      after.rules.at(-2).conditions.all[0].value = 0.8;
      after.rules.at(-1).conditions.all[0].value = 0.8;
      const { lines } = noticeOf(before, after);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^规则组「满意度达标」（用于 公平性、效果性）：2 条规则（满意度达标）的条件 .+ ≥ 90% → ≥ 80%$/);
    });

    it('different changes in one group stay separate lines, each naming the group and its one indicator', () => {
      const before = withGroup(ruleSet('gd-meizhou-2022'));
      const after = withGroup(ruleSet('gd-meizhou-2022'));
      rule(after, 'fundsArrival.met').conditions.all[0].value = 0.95;
      rule(after, 'payment.met').conditions.all[0].value = 0.9;
      expect(noticeOf(before, after).lines).toEqual([
        '规则组「完成率达标满分」（用于 资金到位）：规则 fundsArrival.met（达到 100%）的条件 资金到位率 ≥ 100% → ≥ 95%',
        '规则组「完成率达标满分」（用于 资金支付）：规则 payment.met（达到 100%）的条件 资金支出率 ≥ 100% → ≥ 90%',
      ]);
    });

    it('rules without the property are compared one by one', () => {
      const before = ruleSet('gd-meizhou-2022');
      const after: Doc = ruleSet('gd-meizhou-2022');
      rule(after, 'fundsArrival.met').conditions.all[0].value = 0.95;
      rule(after, 'payment.met').conditions.all[0].value = 0.95;
      expect(noticeOf(before, after).changes.map((c) => (c as Extract<RuleSetChange, { rule: string }>).rule)).toEqual(['fundsArrival.met', 'payment.met']);
    });
  });

  describe('properties over the shipped rule sets', () => {
    const shippedDocs: RuleSetDocument[] = readdirSync(join(ROOT, 'rules')).flatMap((id) =>
      readdirSync(join(ROOT, 'rules', id))
        .filter((f) => f.endsWith('.json'))
        .map((f) => readJson<RuleSetDocument>(`rules/${id}/${f}`)),
    );

    // a rule file written as an extension of another has no tree of its own until resolved
    const withTrees = shippedDocs.filter((d) => Array.isArray(d.indicators));

    it('finds at least the four shipped rule sets', () => {
      expect(shippedDocs.map((d) => d.id).sort()).toEqual(expect.arrayContaining(['cn-mof-2020', 'gd-meizhou-2022', 'xx-demo-interval', 'xx-demo-methods']));
    });

    it('diff(a, a) is empty for every shipped rule set (also against a deep copy)', () => {
      for (const doc of shippedDocs) {
        expect(diffRuleSets(doc, doc)).toEqual([]);
        expect(diffRuleSets(doc, structuredClone(doc))).toEqual([]);
      }
    });

    it('changing one indicator’s points gives exactly one points change naming it', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: withTrees.length - 1 }),
          fc.nat(),
          fc.integer({ min: 0, max: 1000 }),
          (which, pick, newPoints) => {
            const before = withTrees[which]!;
            const visits = walkIndicators(before.indicators).filter((v) => v.node.points !== undefined);
            const visit = visits[pick % visits.length]!;
            fc.pre(visit.node.points !== newPoints);
            const after: Doc = structuredClone(before);
            node(after, visit.node.id).points = newPoints;
            const changes = diffRuleSets(before, after);
            expect(changes).toHaveLength(1);
            expect(changes[0]).toMatchObject({
              kind: 'indicatorPointsChanged',
              indicator: { id: visit.node.id, name: visit.node.name, path: visit.namePath.join('／') },
              from: visit.node.points,
              to: newPoints,
            });
            const line = renderChangeNotice(before, after, changes).lines;
            expect(line).toHaveLength(1);
            expect(line[0]).toContain(`${visit.node.name}`);
            expect(line[0]).toContain(` → ${newPoints} 分`);
          },
        ),
        { numRuns: 200 },
      );
    });
  });

  describe('diffRuleSetVersions (the use-case behind GET /v1/rulesets/{id}/diff)', () => {
    // two real compiled versions: 1.0.0 as shipped and a 1.1.0 with the done-when changes
    const v1 = compileChecked(ruleSet('cn-mof-2020'));
    const next: Doc = ruleSet('cn-mof-2020');
    next.version = '1.1.0';
    node(next, 'output').points = 45;
    node(next, 'satisfaction').points = 15;
    next.grades[0].min = 85;
    const v2 = compileChecked(next);
    const deps = {
      ruleSets: {
        version: async (id: string, version: string) =>
          [v1, v2].filter((c) => c.document.id === id && c.document.version === version).map((compiled) => ({ compiled, summary: versionSummary(compiled, 'bundled', null) }))[0],
      },
    };
    const unit = { tokenId: 't1', role: 'unit' as const, unitId: 'u1' };

    it('gives a unit the changes and the notice between two versions', async () => {
      const diff = await diffRuleSetVersions(deps, unit, 'cn-mof-2020', '1.0.0', '1.1.0');
      expect(diff.from).toEqual({ id: 'cn-mof-2020', version: '1.0.0' });
      expect(diff.to).toEqual({ id: 'cn-mof-2020', version: '1.1.0' });
      expect(diff.notice).toEqual(['等级「优」（优秀）：下限 90 → 85 分', '产出指标：分值 50 → 45 分', '满意度指标：分值 10 → 15 分']);
      expect(diff.header).toBe('评分规则变更通知：项目支出绩效自评表（全国通用，财预〔2020〕10号）。旧版本 cn-mof-2020 1.0.0，新版本 1.1.0，共 3 处变化。');
      expect(diff.changes).toHaveLength(3);
    });

    it('a missing version is RULESET_NOT_FOUND naming it, with the query parameter as path', async () => {
      const error = await diffRuleSetVersions(deps, unit, 'cn-mof-2020', '1.0.0', '2.0.0').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: 'RULESET_NOT_FOUND',
        message: '评分规则集「cn-mof-2020」没有版本 2.0.0',
        details: [{ path: 'query.to', message: '评分规则集「cn-mof-2020」没有版本 2.0.0' }],
      });
      const both = await diffRuleSetVersions(deps, unit, 'nope', '1.0.0', '1.1.0').catch((e: unknown) => e);
      expect(both).toMatchObject({ code: 'RULESET_NOT_FOUND', message: '评分规则集「nope」没有版本 1.0.0、1.1.0' });
    });
  });
});
