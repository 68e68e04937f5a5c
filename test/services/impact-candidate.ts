// The candidate rule set the impact-preview tests share (cn-mof-2020 1.1.0, unpublished), its golden cases, and
// stored-evaluation submissions with varied figures, units and fiscal years.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleSetDocument } from '../../src/domain/ruleset.js';
import type { GoldenCase } from '../../src/engine/check/index.js';
import { ROOT, example, readJson, ruleSet } from '../support.js';

/**
 * cn-mof-2020 1.1.0, same fiscal years (2020 on): 优 from 88 (was 90) and 良 from 82 (was 80); a 反向 indicator over
 * its target earns t ÷ a of its points (was 1 − overrun); an 等于 indicator off its target earns nothing (was scored
 * like 正向). Block points stay: units declare their indicators' points inside the blocks, so moving 产出/满意度 points
 * would make every stored submission invalid rather than re-graded.
 */
export function candidateRuleSet(): RuleSetDocument {
  const doc = ruleSet('cn-mof-2020') as any;
  doc.version = '1.1.0';
  doc.changelog = '优 ≥ 88、良 ≥ 82；反向指标超出时按 年度指标值 ÷ 实际 计分；等于型指标不等时不得分。';
  doc.grades.find((g: any) => g.code === 'excellent').min = 88;
  doc.grades.find((g: any) => g.code === 'good').min = 82;
  const over = doc.rules.find((r: any) => r.name === 'indicator.lte.over').event.params;
  over.award.variant = 'ratio';
  over.case = '反向指标，超过年度指标值，按 年度指标值 ÷ 实际 计分';
  over.explanation = '{name}：实际 {actual}{unitOfMeasure}，超过年度指标值（≤ {target}{unitOfMeasure}）{overrun|percent}，按 年度指标值 ÷ 实际 × {max} 分得 {points} 分';
  const off = doc.rules.find((r: any) => r.name === 'indicator.eq.off').event.params;
  off.award = { method: 'zero' };
  off.case = '等于型指标，与年度指标值不等，不得分';
  off.explanation = '{name}：实际 {actual}{unitOfMeasure}，不等于年度指标值（= {target}{unitOfMeasure}），得 0 分（满分 {max} 分）';
  return doc as RuleSetDocument;
}

/**
 * The shipped cn-mof-2020 cases rewritten for 1.1.0 (pinned to it by version), their expectations changed by hand:
 * 反向 ratio — 2 ÷ 3.1 × 10 = 6.45, 4 ÷ 4.6 × 10 = 8.70, 180 ÷ 234 × 10 = 7.69; 等于 off 7.5 → 0;
 * road maintenance 88.65 is 优 from 88 on; training 87.56 stays 良, waste collection 64.62 stays 中.
 */
const CANDIDATE_EXPECTATIONS: Readonly<Record<string, (expect: any) => void>> = {
  'digital-stations-poor-2021.json': (e) => {
    e.items.costPerStation = 6.45;
    e.subtotals.output = 24.95;
    e.total = 47.23;
    e.explanationContains.costPerStation = ['超过年度指标值（≤ 2万元）55.00%', '按 年度指标值 ÷ 实际 × 10 分得 6.45 分'];
  },
  'road-maintenance-2023.json': (e) => {
    e.items.costPerKm = 8.7;
    e.subtotals.output = 44.7;
    e.total = 88.65;
    e.grade = 'excellent';
    e.explanationContains.costPerKm = ['超过年度指标值（≤ 4万元）15.00%', '得 8.7 分'];
  },
  'waste-collection-fair-2022.json': (e) => {
    e.items.equipmentOnTime = 0;
    e.items.costPerTon = 7.69;
    e.subtotals.output = 29.95;
    e.total = 64.62;
    e.explanationContains.equipmentOnTime = ['不等于年度指标值（= 100%）', '得 0 分（满分 10 分）'];
    e.explanationContains.costPerTon = ['超过年度指标值（≤ 180元）30.00%', '得 7.69 分'];
  },
};

/** The candidate's case files: name → JSON document (as they would sit in rules/cn-mof-2020/cases/). */
export function candidateCaseFiles(): Map<string, any> {
  const files = new Map<string, any>();
  for (const name of readdirSync(join(ROOT, 'rules/cn-mof-2020/cases')).sort()) {
    const doc = readJson<any>(`rules/cn-mof-2020/cases/${name}`);
    doc.name = `1.1.0：${doc.name}`;
    doc.submission.ruleset = { id: 'cn-mof-2020', version: '1.1.0' };
    // 1.0.0's "what it would take" expectations are not carried over: points, grades and explanations are
    delete doc.expect.whatItWouldTake;
    CANDIDATE_EXPECTATIONS[name]?.(doc.expect);
    files.set(`v1.1.0-${name}`, doc);
  }
  return files;
}

export function candidateCases(): GoldenCase[] {
  return [...candidateCaseFiles()].map(([name, doc]) => ({ ...doc, source: `candidate/${name}` }));
}

/** The shipped case files pinned to 1.0.0: where 1.1.0 covers the same years, the old cases are the old version's. */
export function shippedCaseFilesPinned(): Map<string, any> {
  const files = new Map<string, any>();
  for (const name of readdirSync(join(ROOT, 'rules/cn-mof-2020/cases')).sort()) {
    const doc = JSON.parse(readFileSync(join(ROOT, 'rules/cn-mof-2020/cases', name), 'utf8'));
    doc.submission.ruleset = { id: 'cn-mof-2020', version: '1.0.0' };
    files.set(name, doc);
  }
  return files;
}

/**
 * 60 national-table submissions: 12 units × fiscal years 2021–2024 (and one 2020), from the two national examples
 * and the shipped cases with figures varied so that totals cross the old and new grade bounds both ways.
 */
export function storedSubmissions(): Record<string, any>[] {
  const bases = [
    example('national-road-maintenance-2023.json'),
    example('national-training-2023.json'),
    readJson<any>('rules/cn-mof-2020/cases/water-supply-excellent-2023.json').submission,
    readJson<any>('rules/cn-mof-2020/cases/waste-collection-fair-2022.json').submission,
    readJson<any>('rules/cn-mof-2020/cases/digital-stations-poor-2021.json').submission,
  ];
  const out: Record<string, any>[] = [];
  for (let i = 0; i < 60; i++) {
    const s = structuredClone(bases[i % bases.length]);
    const unit = i % 12;
    s.ruleset = { id: 'cn-mof-2020' };
    s.project.unitId = `unit-${String(unit).padStart(2, '0')}`;
    s.project.unitName = `示例单位${unit}`;
    s.project.code = `IMP-${i}`;
    s.project.fiscalYear = i === 59 ? 2020 : 2021 + (i % 4);
    delete s.selfAssessment;
    // vary the figures: execution, a 反向 overrun, an 等于 miss, a 正向 shortfall
    const f = (i * 7) % 10;
    s.facts.budgetExecution.executed = Math.round(s.facts.budgetExecution.budget * (0.8 + f * 0.022) * 100) / 100;
    for (const ind of s.indicators) {
      if (ind.notApplicable) continue;
      if (ind.direction === 'lte' && i % 3 === 0) ind.actual = Math.round(ind.target * (1 + (i % 5) * 0.07) * 100) / 100;
      if (ind.direction === 'eq' && ind.target !== 0 && i % 4 === 1) ind.actual = ind.target - 1 - (i % 6);
      if (ind.direction === 'gte' && i % 5 === 2) ind.actual = Math.round(ind.target * (0.9 + (i % 3) * 0.04) * 100) / 100;
    }
    out.push(s);
  }
  return out;
}
