// The unit's form ↔ submission conversion: every example and every golden case that scores goes to form fields and
// back unchanged (and scores the same); error paths find their fields; posted names never become object keys.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { fieldForPath, formShape, formToSubmission, submissionToFields } from '../../src/web/form.js';
import { ROOT, example, readJson, shippedRegistry } from '../support.js';

const registry = shippedRegistry();
const compiledFor = (s: any) => registry.resolve(s.ruleset.id, s.ruleset.version, s.project.fiscalYear);

const submissions: [string, any][] = [
  ...readdirSync(join(ROOT, 'examples')).map((f) => [`examples/${f}`, example(f)] as [string, any]),
  ...readdirSync(join(ROOT, 'rules')).flatMap((id) =>
    readdirSync(join(ROOT, 'rules', id, 'cases'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => readJson<any>(`rules/${id}/cases/${f}`))
      .filter((c) => c.expect?.total !== undefined)
      .map((c) => [`rules/${id}/cases ${c.name}`, c.submission] as [string, any]),
  ),
];

describe('form ↔ submission', () => {
  it('covers the examples and the scoring golden cases', () => {
    expect(submissions.length).toBeGreaterThan(30);
  });
  it.each(submissions)('%s: to fields and back is the same submission, scoring the same', (_name, original) => {
    const compiled = compiledFor(original);
    const { $schema: _s, ...plain } = original;
    const fields = submissionToFields(compiled.document, plain);
    const back = formToSubmission(compiled.document, fields);
    expect(back).toEqual(plain);
    expect(scoreWithRuleSet(compiled, back)).toEqual(scoreWithRuleSet(compiled, plain));
  });

  it('meizhou: checklist answers are checkboxes, numbers are numbers, blank fields are left out', () => {
    const doc = compiledFor(example('meizhou-2022.json')).document;
    const fields = new Map([
      ['ruleset.id', 'gd-meizhou-2022'],
      ['project.name', '网络系统运行服务费'],
      ['project.fiscalYear', '2022'],
      ['project.budgetTotal', ''],
      ['facts.fundsArrival.budget', ' 44.99 '],
      ['facts.fundsArrival.arrived', '四十'],
      ['facts.decisionBasis.requirements.legalBasis', 'true'],
      ['selfAssessment.total', '100'],
    ]);
    const s = formToSubmission(doc, fields) as any;
    expect(s.project).toEqual({ name: '网络系统运行服务费', fiscalYear: 2022 });
    expect(s.facts.fundsArrival).toEqual({ budget: 44.99, arrived: '四十' });
    expect(s.facts.decisionBasis.requirements).toEqual({ legalBasis: true, approvalProcedure: false, dutyMatch: false });
    expect(s.selfAssessment).toEqual({ total: 100 });
  });

  it('posted names that are not the rule set’s are ignored, and no prototype is touched', () => {
    const doc = compiledFor(example('national-road-maintenance-2023.json')).document;
    const fields = new Map([
      ['ruleset.id', 'cn-mof-2020'],
      ['facts.__proto__.polluted', '1'],
      ['notApplicable.constructor', 'x'],
      ['indicators.0.name', '完成养护里程'],
      ['indicators.0.id', '__proto__'],
      ['indicators.0.selfReported', '5'],
      ['indicators.0.points', '20'],
    ]);
    const s = formToSubmission(doc, fields) as any;
    expect(({} as any).polluted).toBeUndefined();
    expect(s.facts).toBeUndefined();
    expect(s.notApplicable).toBeUndefined();
    expect(s.indicators).toEqual([{ id: '__proto__', name: '完成养护里程', points: 20 }]);
    expect(Object.hasOwn(s.selfAssessment.items, '__proto__')).toBe(true);
    expect(s.selfAssessment.items['__proto__']).toBe(5);
  });

  it('error paths find their field, or the nearest the form shows', () => {
    const known = new Set(['facts.fundsArrival', 'facts.fundsArrival.budget', 'indicators.2', 'indicators.2.target', 'project.name']);
    expect(fieldForPath('$.facts.fundsArrival.budget', known)).toBe('facts.fundsArrival.budget');
    expect(fieldForPath('$.facts.fundsArrival.arrived', known)).toBe('facts.fundsArrival');
    expect(fieldForPath('$.indicators[2].target', known)).toBe('indicators.2.target');
    expect(fieldForPath('$.indicators[2].tier', known)).toBe('indicators.2');
    expect(fieldForPath('$.selfAssessment', known)).toBeNull();
  });

  it('the form shape: meizhou has 13 leaves and no slots; the national table has 9 slots', () => {
    const meizhou = formShape(compiledFor(example('meizhou-2022.json')).document);
    expect(meizhou.leaves.length).toBe(13);
    expect(meizhou.slots).toEqual([]);
    const national = formShape(compiledFor(example('national-road-maintenance-2023.json')).document);
    expect(national.slots.map((s) => s.id)).toEqual([
      'quantity', 'quality', 'timeliness', 'cost', 'economicBenefit', 'socialBenefit', 'ecologicalBenefit', 'sustainableImpact', 'serviceSatisfaction',
    ]);
    expect(national.slots[0]!.namePath).toEqual(['产出指标', '数量指标']);
  });
});
