// Who may do what, as a matrix: every role × action × own/other unit → allowed, the exact error code, or (lists)
// left out. Checked twice: against the policy table itself, and through every use-case on a real database — so a
// use-case that skipped the policy, or mapped its answer wrongly, fails here. Refused writes leave no row behind.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import type { AppDeps } from '../../src/http/env.js';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import type { OpenDatabase } from '../../src/platform/sqlite.js';
import { describeRuleSet, getRuleSetVersion, listRuleSets } from '../../src/services/catalogue.js';
import { listEvaluations } from '../../src/services/evaluation-list.js';
import { getEvaluation } from '../../src/services/evaluation-view.js';
import { ACTIONS, authorize, decide, POLICY, ROLES, type Action, type Decision } from '../../src/services/policy.js';
import type { Principal } from '../../src/services/ports.js';
import { publishRuleSet } from '../../src/services/publish.js';
import { previewImpact, rescoreEvaluations } from '../../src/services/rescore.js';
import { answerDispute, raiseDispute } from '../../src/services/disputes.js';
import { attachEvidence } from '../../src/services/evidence.js';
import { addReview } from '../../src/services/review.js';
import { trialScore } from '../../src/services/scoring.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { verifyEvaluation } from '../../src/services/verify.js';
import type { Role } from '../../src/storage/database.js';
import { OTHER_UNIT, OWN_UNIT } from '../http/harness.js';
import { ROOT, compiled, example, ruleSet } from '../support.js';

type Target = 'own' | 'other';
type Expected = Readonly<Record<Role, Readonly<Record<Target, Decision>>>>;

const everyone: Expected = { bureau: { own: 'allowed', other: 'allowed' }, reviewer: { own: 'allowed', other: 'allowed' }, unit: { own: 'allowed', other: 'allowed' } };
const readers: Expected = { bureau: { own: 'allowed', other: 'allowed' }, reviewer: { own: 'allowed', other: 'allowed' }, unit: { own: 'allowed', other: 'NOT_FOUND' } };
const only = (role: Role): Expected =>
  Object.fromEntries(ROLES.map((r) => [r, r === role ? { own: 'allowed', other: 'allowed' } : { own: 'FORBIDDEN', other: 'FORBIDDEN' }])) as unknown as Expected;

/** The README's role table, written out: what each role may do with its own unit's things and another unit's. */
const EXPECTED: Readonly<Record<Action, Expected>> = {
  readRuleSets: everyone,
  publishRuleSet: only('bureau'),
  score: everyone,
  submitEvaluation: { bureau: { own: 'FORBIDDEN', other: 'FORBIDDEN' }, reviewer: { own: 'FORBIDDEN', other: 'FORBIDDEN' }, unit: { own: 'allowed', other: 'FORBIDDEN' } },
  listEvaluations: { bureau: { own: 'allowed', other: 'allowed' }, reviewer: { own: 'allowed', other: 'allowed' }, unit: { own: 'allowed', other: 'leftOut' } },
  readEvaluation: readers,
  verifyEvaluation: readers,
  reviewEvaluation: only('reviewer'),
  rescoreEvaluations: only('bureau'),
  previewImpact: only('bureau'),
  raiseDispute: { bureau: { own: 'FORBIDDEN', other: 'FORBIDDEN' }, reviewer: { own: 'FORBIDDEN', other: 'FORBIDDEN' }, unit: { own: 'allowed', other: 'NOT_FOUND' } },
  answerDispute: only('reviewer'),
  attachEvidence: { bureau: { own: 'FORBIDDEN', other: 'FORBIDDEN' }, reviewer: { own: 'FORBIDDEN', other: 'FORBIDDEN' }, unit: { own: 'allowed', other: 'NOT_FOUND' } },
};

const principal = (role: Role): Principal => ({ tokenId: `tok_${role}`, role, unitId: role === 'unit' ? OWN_UNIT : null });
const unitOf = (target: Target) => (target === 'own' ? OWN_UNIT : OTHER_UNIT);

describe('the policy table', () => {
  it('covers every action, and the matrix covers every action of the table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
    expect(ACTIONS.length).toBe(13);
  });

  for (const action of ACTIONS) {
    for (const role of ROLES) {
      for (const target of ['own', 'other'] as const) {
        it(`${role} · ${action} · ${target} unit → ${EXPECTED[action][role][target]}`, () => {
          expect(decide(principal(role), action, unitOf(target))).toBe(EXPECTED[action][role][target]);
        });
      }
    }
  }

  it('a unit token without a unit is refused whatever its role would allow for its own unit', () => {
    const broken: Principal = { tokenId: 'tok_x', role: 'unit', unitId: null };
    expect(decide(broken, 'submitEvaluation', OWN_UNIT)).toBe('FORBIDDEN');
    expect(decide(broken, 'listEvaluations')).toBe('FORBIDDEN');
    expect(decide(broken, 'score')).toBe('allowed');
  });

  it('authorize turns refusals into the error the client sees, in Chinese', () => {
    const refusal = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e as DomainError;
      }
      throw new Error('not refused');
    };
    const byRole = refusal(() => authorize(principal('reviewer'), 'publishRuleSet'));
    expect(byRole).toMatchObject({ code: 'FORBIDDEN', message: '只有财政局可以发布规则集新版本', details: [] });
    expect(refusal(() => authorize(principal('bureau'), 'submitEvaluation', { unitId: OWN_UNIT })).message).toBe('只有预算单位可以提交自评评价');
    const byUnit = refusal(() => authorize(principal('unit'), 'submitEvaluation', { unitId: OTHER_UNIT, path: '$.project.unitId' }));
    expect(byUnit.code).toBe('FORBIDDEN');
    expect(byUnit.message).toContain(OWN_UNIT);
    expect(byUnit.details).toEqual([{ path: '$.project.unitId', message: `令牌绑定的单位为「${OWN_UNIT}」，这里是单位「${OTHER_UNIT}」` }]);
    // another unit's evaluation is told exactly what a missing one is told
    const missing = new DomainError('NOT_FOUND', '没有编号为「ev_x」的评价记录');
    expect(refusal(() => authorize(principal('unit'), 'readEvaluation', { unitId: OTHER_UNIT, notFound: () => missing }))).toBe(missing);
    expect(() => authorize(principal('unit'), 'listEvaluations', { unitId: OTHER_UNIT })).toThrow(/leaves other units out/);
    expect(() => authorize(principal('unit'), 'readEvaluation', { unitId: OWN_UNIT })).not.toThrow();
  });

  it('names every role in every grant', () => {
    for (const action of ACTIONS) expect(Object.keys(POLICY[action].grants).sort()).toEqual([...ROLES].sort());
  });
});

describe('every use-case consults the policy', () => {
  let deps: AppDeps;
  let database: OpenDatabase;
  const evaluationOf: Record<Target, string> = { own: '', other: '' };
  /** a dispute on each target's evaluation, raised by its own unit, for the answer cells */
  const disputeOf: Record<Target, string> = { own: '', other: '' };
  const submissionOf = (target: Target) => example(target === 'own' ? 'meizhou-2022.json' : 'national-road-maintenance-2023.json');

  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jxzp-policy-')), 'p.db');
    ({ deps, database } = await buildNodeDeps({ databasePath: path, rulesDir: join(ROOT, 'rules'), log: () => {} }));
    for (const target of ['own', 'other'] as const) {
      const unit: Principal = { tokenId: `tok_${target}`, role: 'unit', unitId: unitOf(target) };
      evaluationOf[target] = (await submitEvaluation(deps, unit, submissionOf(target), undefined)).evaluation.id;
      disputeOf[target] = (await raiseDispute(deps, unit, evaluationOf[target], { itemId: (await firstItem(target))!, about: 'recomputed', criterion: '评分标准', reason: '矩阵测试' })).id;
    }
  });
  afterAll(() => database.close());

  const rows = () =>
    Object.fromEntries(
      ['evaluations', 'reviews', 'rulesets', 'rescore_runs', 'rescorings', 'disputes', 'dispute_answers', 'evidence'].map((t) => [t, (database.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]),
    );

  /** Runs the use-case that performs `action` on the target unit's evaluation (or with its submission). */
  const perform: Record<Action, (p: Principal, target: Target) => Promise<'allowed' | 'leftOut'>> = {
    readRuleSets: async (p) => {
      expect((await listRuleSets(deps, p)).length).toBeGreaterThan(0);
      expect((await describeRuleSet(deps, p, 'gd-meizhou-2022')).versions.length).toBeGreaterThan(0);
      expect((await getRuleSetVersion(deps, p, 'gd-meizhou-2022', '1.0.0')).ruleset.id).toBe('gd-meizhou-2022');
      return 'allowed';
    },
    publishRuleSet: async (p) => {
      const { created } = await publishRuleSet(deps, p, { ruleset: ruleSet('gd-meizhou-2022') });
      expect(created).toBe(false); // the bundled version again: accepted as it is
      return 'allowed';
    },
    score: async (p, target) => {
      expect((await trialScore(deps, p, submissionOf(target))).total).toBeGreaterThan(0);
      return 'allowed';
    },
    submitEvaluation: async (p, target) => {
      expect((await submitEvaluation(deps, p, submissionOf(target), undefined)).evaluation.unitId).toBe(unitOf(target));
      return 'allowed';
    },
    listEvaluations: async (p, target) => {
      const { evaluations } = await listEvaluations(deps, p, { unit: unitOf(target), limit: 100 });
      if (evaluations.length === 0) return 'leftOut';
      expect(evaluations.map((e) => e.id)).toContain(evaluationOf[target]);
      expect(evaluations.every((e) => e.unitId === unitOf(target))).toBe(true);
      return 'allowed';
    },
    readEvaluation: async (p, target) => {
      expect((await getEvaluation(deps, p, evaluationOf[target])).id).toBe(evaluationOf[target]);
      return 'allowed';
    },
    verifyEvaluation: async (p, target) => {
      expect((await verifyEvaluation(deps, p, evaluationOf[target])).identical).toBe(true);
      return 'allowed';
    },
    reviewEvaluation: async (p, target) => {
      const view = await addReview(deps, p, evaluationOf[target], { items: [{ itemId: (await firstItem(target))!, points: 0, reason: '矩阵测试' }] });
      expect(view.reviews.length).toBeGreaterThan(0);
      return 'allowed';
    },
    rescoreEvaluations: async (p) => {
      const summary = await rescoreEvaluations(deps, p, { rulesetId: 'gd-meizhou-2022', version: '1.0.0', selection: { rulesetId: 'gd-meizhou-2022' }, startedBy: 'matrix' });
      expect(summary.written).toBeGreaterThan(0);
      return 'allowed';
    },
    raiseDispute: async (p, target) => {
      const dispute = await raiseDispute(deps, p, evaluationOf[target], { itemId: (await firstItem(target))!, about: 'recomputed', criterion: '评分标准', reason: '矩阵测试' });
      expect(dispute.status).toBe('open');
      return 'allowed';
    },
    answerDispute: async (p, target) => {
      const answered = await answerDispute(deps, p, evaluationOf[target], disputeOf[target], { decision: 'rejected', reason: '矩阵测试' });
      expect(answered.status).toBe('rejected');
      return 'allowed';
    },
    attachEvidence: async (p, target) => {
      const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
      const entry = await attachEvidence(deps, p, evaluationOf[target], (await firstItem(target))!, '合同.pdf', pdf);
      expect(entry).toMatchObject({ fileName: '合同.pdf', mediaType: 'application/pdf', size: pdf.length });
      return 'allowed';
    },
    previewImpact: async (p) => {
      // the shipped version as its own candidate: the national example stored above, nothing changes
      const report = await previewImpact(deps, p, { candidate: compiled('cn-mof-2020') });
      expect(report).toMatchObject({ selected: 1, scored: 1, gradeChanged: 0, totalChanged: 0 });
      return 'allowed';
    },
  };
  const firstItem = async (target: Target) => {
    const reader: Principal = { tokenId: 'tok_reader', role: 'bureau', unitId: null };
    return (await getEvaluation(deps, reader, evaluationOf[target])).result.items.find((i) => i.applicable)?.id;
  };

  for (const action of ACTIONS) {
    for (const role of ROLES) {
      for (const target of ['own', 'other'] as const) {
        const expected = EXPECTED[action][role][target];
        it(`${role} · ${action} · ${target} unit → ${expected}`, async () => {
          const before = rows();
          let outcome: Decision;
          try {
            outcome = await perform[action](principal(role), target);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            expect(e.message).toMatch(/[\u4e00-\u9fff]/);
            outcome = e.code as Decision;
          }
          expect(outcome).toBe(expected);
          if (expected !== 'allowed') expect(rows()).toEqual(before);
        });
      }
    }
  }
});
