// The three benchmark cases: the gd-meizhou-2022 seed, a cn-mof-2020 submission with 12 unit-written indicators,
// and the synthetic 60-leaf rule set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSetDocument } from '../src/domain/ruleset.js';
import { checkRuleSet } from '../src/engine/check/index.js';
import type { CompiledRuleSet } from '../src/engine/compiled.js';
import { seededRandom, syntheticRuleSet, syntheticSubmission } from './synthetic.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const readJson = (p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));

export const NATIONAL_12 = {
  ruleset: { id: 'cn-mof-2020' },
  project: { name: '基准：12 个自设指标的全国表项目', unitId: 'bench-unit', unitName: '基准单位', fiscalYear: 2023 },
  facts: { budgetExecution: { budget: 500, executed: 470 } },
  indicators: [
    { id: 'q1', category: 'quantity', name: '完成数量一', unitOfMeasure: '项', direction: 'gte', target: 120, actual: 108, points: 15 },
    { id: 'q2', category: 'quantity', name: '完成数量二', unitOfMeasure: '项', direction: 'gte', target: 40, actual: 42, points: 10 },
    { id: 'ql', category: 'quality', name: '验收合格率', unitOfMeasure: '%', direction: 'gte', target: 95, actual: 97, points: 10 },
    { id: 't1', category: 'timeliness', name: '按期完成率', unitOfMeasure: '%', direction: 'eq', target: 100, actual: 100, points: 5 },
    { id: 'c1', category: 'cost', name: '单位成本', unitOfMeasure: '万元', direction: 'lte', target: 4, actual: 4.6, points: 10 },
    { id: 'e1', category: 'economicBenefit', name: '带动增收', unitOfMeasure: '万元', direction: 'gte', target: 50, actual: 55, points: 5 },
    { id: 's1', category: 'socialBenefit', name: '服务改善', direction: 'qualitative', target: '明显改善', actual: '部分改善', tier: 'partial', chosenScore: 7, points: 10 },
    { id: 's2', category: 'socialBenefit', name: '安全事故', unitOfMeasure: '起', direction: 'eq', target: 0, actual: 0, points: 5 },
    { id: 'g1', category: 'ecologicalBenefit', name: '能耗', unitOfMeasure: '吨标煤', direction: 'lte', target: 30, actual: 28, points: 5 },
    { id: 'u1', category: 'sustainableImpact', name: '设施使用年限', unitOfMeasure: '年', direction: 'gte', target: 10, actual: 8, points: 5 },
    { id: 'm1', category: 'serviceSatisfaction', name: '群众满意度', unitOfMeasure: '%', direction: 'gte', target: 90, actual: 85, points: 5 },
    { id: 'm2', category: 'serviceSatisfaction', name: '受益单位满意度', unitOfMeasure: '%', direction: 'gte', target: 90, actual: 93, points: 5 },
  ],
};

export interface BenchCase {
  readonly key: 'gdSeed' | 'national12' | 'synthetic60';
  readonly label: string;
  readonly ruleSet: CompiledRuleSet;
  readonly submission: Record<string, any>;
}

async function compile(doc: unknown): Promise<CompiledRuleSet> {
  // the synthetic set has no golden cases; the bench measures scoring, not the publish gate
  const report = await checkRuleSet(doc, { requireCaseCoverage: false });
  if (!report.compiled) throw new Error(`rule set refused: ${JSON.stringify(report.diagnostics)}`);
  return report.compiled;
}

export async function benchCases(): Promise<BenchCase[]> {
  return [
    { key: 'gdSeed', label: 'gd-meizhou-2022 种子案例（13 项）', ruleSet: await compile(readJson('rules/gd-meizhou-2022/1.0.0.json')), submission: readJson('examples/meizhou-2022.json') },
    { key: 'national12', label: 'cn-mof-2020，12 个自设指标（13 项）', ruleSet: await compile(readJson('rules/cn-mof-2020/1.0.0.json')), submission: NATIONAL_12 },
    { key: 'synthetic60', label: '合成规则集，60 个末级指标', ruleSet: await compile(syntheticRuleSet() as RuleSetDocument), submission: syntheticSubmission(seededRandom(7)) },
  ];
}
