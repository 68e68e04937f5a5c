// Rule sets that build on each other (issue #11, item 2): an extension of a published version and shared,
// parametrised rule groups, resolved before checking; the resolved document is what is hashed and scored.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuleSetDocument } from '../../src/domain/ruleset.js';
import { checkRuleSet } from '../../src/engine/check/index.js';
import { canonicalJson } from '../../src/domain/canonical.js';
import { contentHash } from '../../src/engine/hash.js';
import { MAX_EXTENSION_DEPTH, resolveRuleSet, type ParentLookup } from '../../src/engine/resolve.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { loadRegistry } from '../../src/platform/rules-dir.js';
import { ROOT, readJson, ruleSet, shippedCases } from '../support.js';

type Doc = Record<string, any>;
const parents = (...docs: RuleSetDocument[]): ParentLookup => async (id, version) => docs.find((d) => d.id === id && d.version === version);
const codes = (r: { diagnostics: readonly { code: string }[] }) => r.diagnostics.map((d) => d.code);
const province = () => readJson<Doc>('rules/xx-province-2024/1.0.0.json');
const city = () => readJson<Doc>('rules/xx-city-2024/1.0.0.json');

describe('extension of a published rule set', () => {
  it('xx-province-2024 resolves to the national table with its changes, lineage recorded, nothing else touched', async () => {
    const national = ruleSet('cn-mof-2020');
    const r = await resolveRuleSet(province(), parents(national));
    expect(r.diagnostics).toEqual([]);
    const doc = r.document as Doc;
    expect(doc.extends).toBeUndefined();
    expect(doc.indicatorChanges).toBeUndefined();
    expect(doc.ruleChanges).toBeUndefined();
    expect(doc.basedOn).toEqual([{ id: 'cn-mof-2020', version: '1.0.0', sha256: contentHash(national) }]);
    expect(doc.grades.map((g: Doc) => `${g.label} ≥ ${g.min}`)).toEqual(['优秀 ≥ 85', '良好 ≥ 75', '合格 ≥ 60', '不合格 ≥ 0']);
    expect(doc.indicators[0].name).toBe('预算执行率（资金支出率）');
    expect(doc.indicators[0].points).toBe(10);
    const rule = (name: string) => doc.rules.find((x: Doc) => x.name === name);
    expect(rule('budgetExecution.proportional').conditions.all[0]).toEqual({ fact: 'executionRate', operator: 'greaterThanInclusive', value: 0.85 });
    expect(rule('budgetExecution.low').event.params.explanation).toContain('低于 85%');
    // everything not changed is the parent's, byte for byte
    const unchanged = (d: Doc) => canonicalJson({ ...d, id: 0, version: 0, basedOn: 0, title: 0, document: 0, issuer: 0, fiscalYears: 0, changelog: 0, provisional: 0, provisionalNote: 0, grades: 0, indicators: d.indicators.slice(1), rules: d.rules.filter((x: Doc) => !x.name.startsWith('budgetExecution.')) });
    expect(unchanged(doc)).toBe(unchanged(national as unknown as Doc));
    const report = await checkRuleSet(doc, { cases: shippedCases('xx-province-2024') });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('scores by the changed thresholds and bands: 86% is proportional, 88.45 is 优 (national: low, 良)', async () => {
    const doc = (await resolveRuleSet(province(), parents(ruleSet('cn-mof-2020')))).document;
    const report = await checkRuleSet(doc, { cases: shippedCases('xx-province-2024') });
    const submission = readJson<Doc>('rules/xx-province-2024/cases/road-maintenance-excellent.json').submission;
    const result = scoreWithRuleSet(report.compiled!, submission);
    expect(result.total).toBe(88.45);
    expect(result.grade).toMatchObject({ code: 'excellent', label: '优秀' });
    expect(result.items.find((i) => i.id === 'budgetExecution')).toMatchObject({ name: '预算执行率（资金支出率）', points: 8.6, case: { rule: 'budgetExecution.proportional', label: '执行率 85%–100%，按比例计分' } });
    expect(result.ruleset).toMatchObject({ id: 'xx-province-2024', version: '1.0.0', sha256: contentHash(doc) });
  });

  it('points changes reach the tree and are checked like any other: 产出 50 → 45 alone breaks the total', async () => {
    const source = province();
    source.indicatorChanges.output = { points: 45 };
    const doc = (await resolveRuleSet(source, parents(ruleSet('cn-mof-2020')))).document as Doc;
    expect(doc.indicators[1].points).toBe(45);
    const report = await checkRuleSet(doc, { cases: [] , requireCaseCoverage: false });
    expect(codes(report)).toContain('TOTAL_MISMATCH');
    source.indicatorChanges.satisfaction = { points: 15 };
    const balanced = (await resolveRuleSet(source, parents(ruleSet('cn-mof-2020')))).document as Doc;
    expect(codes(await checkRuleSet(balanced, { requireCaseCoverage: false })).filter((c) => c === 'TOTAL_MISMATCH')).toEqual([]);
  });

  it('refuses a parent that is not there, unknown indicators and rules, a rule added twice, and self-extension', async () => {
    const missing = province();
    missing.extends.version = '9.9.9';
    const r1 = await resolveRuleSet(missing, parents(ruleSet('cn-mof-2020')));
    expect(r1.document).toBeNull();
    expect(r1.diagnostics).toEqual([expect.objectContaining({ code: 'EXTENDS_NOT_FOUND', location: '$.extends', message: expect.stringContaining('cn-mof-2020 9.9.9 不存在') })]);

    const wrong = province();
    wrong.indicatorChanges.nothing = { points: 1 };
    wrong.ruleChanges['budgetExecution.nope'] = { case: 'x' };
    wrong.removeRules = ['indicator.none'];
    wrong.rules = [structuredClone(ruleSet('cn-mof-2020').rules[0])];
    const r2 = await resolveRuleSet(wrong, parents(ruleSet('cn-mof-2020')));
    expect(r2.document).toBeNull();
    expect(r2.diagnostics.map((d) => [d.code, d.location])).toEqual([
      ['EXTENDS_UNKNOWN_INDICATOR', '$.indicatorChanges.nothing'],
      ['EXTENDS_UNKNOWN_RULE', '$.ruleChanges["budgetExecution.nope"]'],
      ['EXTENDS_UNKNOWN_RULE', '$.removeRules[0]'],
      ['EXTENDS_DUPLICATE_RULE', '$.rules[0].name'],
    ]);

    const self = province();
    self.extends = { id: 'xx-province-2024', version: '1.0.0' };
    const r3 = await resolveRuleSet(self, parents({ ...(ruleSet('cn-mof-2020') as Doc), id: 'xx-province-2024' } as RuleSetDocument));
    expect(codes(r3)).toEqual(['EXTENDS_CYCLE']);
  });

  it(`depth: at most ${MAX_EXTENSION_DEPTH} rule sets underneath; a fourth level is refused`, async () => {
    let parent = ruleSet('cn-mof-2020');
    const chain: RuleSetDocument[] = [parent];
    for (let level = 1; level <= MAX_EXTENSION_DEPTH; level++) {
      const child = province();
      child.id = `xx-level-${level}`;
      child.extends = { id: parent.id, version: parent.version };
      const r = await resolveRuleSet(child, parents(...chain));
      expect(r.diagnostics, `level ${level}`).toEqual([]);
      parent = r.document as RuleSetDocument;
      chain.push(parent);
      expect(parent.basedOn).toHaveLength(level);
    }
    const tooDeep = province();
    tooDeep.id = 'xx-level-4';
    tooDeep.extends = { id: parent.id, version: parent.version };
    const r = await resolveRuleSet(tooDeep, parents(...chain));
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'EXTENDS_TOO_DEEP', message: expect.stringContaining('cn-mof-2020 1.0.0 → xx-level-1 1.0.0 → xx-level-2 1.0.0 → xx-level-3 1.0.0 → xx-level-4 1.0.0') }),
    ]);
  });

  it('extension-only fields without extends are a schema error; the checker refuses an unresolved file', async () => {
    const doc = ruleSet('cn-mof-2020') as Doc;
    doc.indicatorChanges = { output: { points: 45 } };
    const r = await resolveRuleSet(doc, parents());
    expect(r.document).toBeNull();
    expect(codes(r)).toContain('SCHEMA_VIOLATION');
    const direct = await checkRuleSet(province());
    expect(codes(direct)).toEqual(['UNRESOLVED_RULE_FILE']);
  });

  it('in a rules directory: a parent is loaded first, a missing parent refuses only its extension, a cycle is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-extends-'));
    try {
      for (const id of ['xx-province-2024', 'cn-mof-2020']) cpSync(join(ROOT, 'rules', id), join(dir, id), { recursive: true });
      const ok = await loadRegistry(dir);
      expect(ok.refused).toEqual([]);
      expect(ok.registry.get('xx-province-2024', '1.0.0')?.document.basedOn?.[0]?.id).toBe('cn-mof-2020');

      const a = province();
      a.id = 'xx-loop-a';
      a.extends = { id: 'xx-loop-b', version: '1.0.0' };
      const b = province();
      b.id = 'xx-loop-b';
      b.extends = { id: 'xx-loop-a', version: '1.0.0' };
      for (const d of [a, b]) {
        cpSync(join(ROOT, 'rules', 'cn-mof-2020', '1.0.0.json'), join(dir, 'tmp.json'));
        rmSync(join(dir, 'tmp.json'));
        const sub = join(dir, d.id);
        cpSync(join(ROOT, 'rules', 'xx-province-2024'), sub, { recursive: true });
        writeFileSync(join(sub, '1.0.0.json'), JSON.stringify(d));
      }
      const looped = await loadRegistry(dir);
      expect(looped.refused.map((f) => f.id).sort()).toEqual(['xx-loop-a', 'xx-loop-b']);
      expect(looped.refused.flatMap((f) => codes(f.report))).toContain('EXTENDS_CYCLE');
      expect(looped.registry.get('xx-province-2024', '1.0.0')).toBeDefined();

      rmSync(join(dir, 'cn-mof-2020'), { recursive: true });
      const orphan = await loadRegistry(dir);
      expect(orphan.refused.find((f) => f.id === 'xx-province-2024')?.report.diagnostics[0]).toMatchObject({ code: 'EXTENDS_NOT_FOUND' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shared, parametrised rule groups', () => {
  it('xx-city-2024 expands to exactly the rules gd-meizhou-2022 writes out by hand (22 of 26 from two groups)', async () => {
    const r = await resolveRuleSet(city(), parents());
    expect(r.diagnostics).toEqual([]);
    const doc = r.document as Doc;
    expect(doc.sharedRuleGroups).toBeUndefined();
    const gd = ruleSet('gd-meizhou-2022');
    const byName = new Map(doc.rules.map((x: Doc) => [x.name, x]));
    expect([...byName.keys()].sort()).toEqual(gd.rules.map((x) => x.name).sort());
    for (const rule of gd.rules) {
      const { sharedGroup, ...plain } = byName.get(rule.name) as Doc;
      expect(JSON.stringify(plain), rule.name).toBe(JSON.stringify(rule));
    }
    const tagged = doc.rules.filter((x: Doc) => x.sharedGroup);
    expect(tagged).toHaveLength(22);
    expect(byName.get('safeguards.deduct')).toMatchObject({ sharedGroup: { id: 'checklistDeduction', name: '清单逐项扣分' } });
    expect(byName.get('payment.short')).toMatchObject({ sharedGroup: { id: 'rateReached' }, event: { params: { award: { method: 'positive', actual: 'spent', target: 'arrived' } } } });
    // a parameter that is the whole string keeps its type: the threshold stays a number
    expect((byName.get('payment.met') as Doc).conditions.all[0].value).toBe(1);
  });

  it('every xx-city-2024 case scores exactly as its gd-meizhou-2022 original', async () => {
    const cityDoc = (await resolveRuleSet(city(), parents())).document;
    const cityReport = await checkRuleSet(cityDoc, { cases: shippedCases('xx-city-2024') });
    expect(cityReport.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const gdReport = await checkRuleSet(ruleSet('gd-meizhou-2022'), { cases: shippedCases('gd-meizhou-2022') });
    for (const c of shippedCases('xx-city-2024').filter((x) => 'grade' in x.expect)) {
      const original = structuredClone(c.submission) as Doc;
      original.ruleset = { id: 'gd-meizhou-2022' };
      original.project.fiscalYear = 2022;
      const mine = scoreWithRuleSet(cityReport.compiled!, c.submission);
      const theirs = scoreWithRuleSet(gdReport.compiled!, original);
      expect(JSON.stringify(mine.items), c.name).toBe(JSON.stringify(theirs.items));
      expect(mine.total).toBe(theirs.total);
    }
  });

  it('refuses unknown leaves, missing and undeclared parameters, and appliesTo inside a group', async () => {
    const doc = city();
    const group = doc.sharedRuleGroups.rateReached;
    group.usedBy.push('nowhere');
    delete group.usedBy[0].with.ratioText;
    group.usedBy[1].with.extra = 1;
    group.rules[0].event.params.explanation += '{@undeclared}';
    doc.sharedRuleGroups.checklistDeduction.rules[0].event.params.appliesTo = 'decisionBasis';
    const r = await resolveRuleSet(doc, parents());
    expect(r.document).toBeNull();
    const got = r.diagnostics.map((d) => [d.code, d.location]);
    expect(got).toEqual(expect.arrayContaining([
      ['SHARED_GROUP_APPLIES_TO', '$.sharedRuleGroups.checklistDeduction.rules[0].event.params.appliesTo'],
      ['SHARED_GROUP_PARAMETER_MISSING', '$.sharedRuleGroups.rateReached.usedBy[0].with'],
      ['SHARED_GROUP_PARAMETER_UNKNOWN', '$.sharedRuleGroups.rateReached.usedBy[1].with.extra'],
      ['SHARED_GROUP_PARAMETER_UNKNOWN', '$.sharedRuleGroups.rateReached.rules[0]'],
      ['SHARED_GROUP_UNKNOWN_LEAF', '$.sharedRuleGroups.rateReached.usedBy[4]'],
    ]));
    expect(r.diagnostics.find((d) => d.code === 'SHARED_GROUP_PARAMETER_MISSING')?.message).toBe('「资金到位」使用共用规则组「比率达到 100% 得满分，否则按比例」时须给出参数「ratioText」（比率的算式）');
  });

  it('an expanded rule is checked like a written one: a bad operator from a parameter is a schema error at the rule', async () => {
    const doc = city();
    doc.sharedRuleGroups.rateReached.usedBy[0].with.fullRate = 'one';
    const resolved = (await resolveRuleSet(doc, parents())).document;
    const report = await checkRuleSet(resolved, { requireCaseCoverage: false });
    expect(report.ok).toBe(false);
    expect(report.diagnostics.some((d) => d.code === 'OPERATOR_VALUE_TYPE' || d.code === 'SCHEMA_VIOLATION')).toBe(true);
  });

  it('a file with neither extension nor shared groups is returned as it is (its content hash unchanged)', async () => {
    const gd = ruleSet('gd-meizhou-2022');
    const r = await resolveRuleSet(gd, parents());
    expect(r.document).toBe(gd);
    expect(contentHash(r.document as RuleSetDocument)).toBe(contentHash(JSON.parse(readFileSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), 'utf8'))));
  });
});
