// Synthetic rule sets of 12, 60 (the default, used by the differential tests and the result corpus), 240 and 1,000
// leaves of every fixed-leaf kind in turn (rates, costs, checklists, satisfaction, 定性), generated here and checked
// by the same passes as shipped rule sets; and submissions for them.
import type { RuleSetDocument } from '../src/domain/ruleset.js';

type Kind = 'rate' | 'cost' | 'checklist' | 'satisfaction' | 'qualitative';
const KINDS: Kind[] = ['rate', 'cost', 'checklist', 'satisfaction', 'qualitative'];

function leaf(id: string, name: string, points: number, kind: Kind) {
  switch (kind) {
    case 'rate':
      return {
        node: {
          id, name, points,
          facts: {
            planned: { label: '计划数', type: 'number', exclusiveMinimum: 0, maximum: 1e12 },
            done: { label: '完成数', type: 'number', minimum: 0, maximum: 1e12 },
          },
          derived: { rate: { label: '完成率', op: 'ratio', of: ['done', 'planned'] } },
        },
        rules: [
          { name: `${id}.met`, conditions: { all: [{ fact: 'rate', operator: 'greaterThanInclusive', value: 1 }] }, event: { type: 'award', params: { appliesTo: id, case: '完成', award: { method: 'full' }, explanation: '完成率 {rate|percent}，得满分 {max} 分' } } },
          { name: `${id}.short`, conditions: { all: [{ fact: 'rate', operator: 'lessThan', value: 1 }] }, event: { type: 'award', params: { appliesTo: id, case: '未完成', award: { method: 'positive', actual: 'done', target: 'planned' }, explanation: '完成率 {rate|percent}（{done}/{planned}），得 {points} 分（满分 {max} 分）' } } },
        ],
      };
    case 'cost':
      return {
        node: {
          id, name, points,
          facts: {
            budget: { label: '预算', type: 'number', unit: '万元', exclusiveMinimum: 0, maximum: 1e12 },
            cost: { label: '实际成本', type: 'number', unit: '万元', minimum: 0, maximum: 1e12 },
          },
          derived: { costRatio: { label: '成本比', op: 'ratio', of: ['cost', 'budget'] } },
        },
        rules: [
          { name: `${id}.within`, conditions: { all: [{ fact: 'costRatio', operator: 'lessThanInclusive', value: 1 }] }, event: { type: 'award', params: { appliesTo: id, case: '未超支', award: { method: 'full' }, explanation: '成本 {cost} ≤ 预算 {budget}，得满分 {max} 分' } } },
          { name: `${id}.over`, conditions: { all: [{ fact: 'costRatio', operator: 'greaterThan', value: 1 }] }, event: { type: 'award', params: { appliesTo: id, case: '超支', award: { method: 'negative', actual: 'cost', target: 'budget', variant: 'linear' }, explanation: '成本超出 {overrun|percent}，得 {points} 分（满分 {max} 分）' } } },
        ],
      };
    case 'checklist':
      return {
        node: {
          id, name, points,
          facts: { requirements: { label: '要求满足情况', type: 'checklist' } },
          derived: {
            unmetCount: { label: '未满足数', op: 'checklistUnmet', of: ['requirements'] },
            deduction: { label: '扣分', op: 'checklistDeduction', of: ['requirements'] },
          },
          checklist: [
            { id: 'a', requirement: '要求一', deduction: points / 2 },
            { id: 'b', requirement: '要求二', deduction: points / 2 },
            { id: 'c', requirement: '要求三', deduction: points / 4 },
          ],
        },
        rules: [
          { name: `${id}.allMet`, conditions: { all: [{ fact: 'unmetCount', operator: 'equal', value: 0 }] }, event: { type: 'award', params: { appliesTo: id, case: '全部满足', award: { method: 'full' }, explanation: '各项要求均满足，得满分 {max} 分' } } },
          { name: `${id}.deduct`, conditions: { all: [{ fact: 'unmetCount', operator: 'greaterThan', value: 0 }] }, event: { type: 'award', params: { appliesTo: id, case: '扣分', award: { method: 'checklist', checklist: 'requirements' }, explanation: '未满足：{unmetItems}；扣 {deduction} 分，得 {points} 分' } } },
        ],
      };
    case 'satisfaction':
      return {
        node: { id, name, points, facts: { satisfaction: { label: '满意度', type: 'number', minimum: 0, maximum: 1 } } },
        rules: [
          { name: `${id}.ok`, conditions: { all: [{ fact: 'satisfaction', operator: 'greaterThanInclusive', value: 0.9 }] }, event: { type: 'award', params: { appliesTo: id, case: '≥ 90%', award: { method: 'full' }, explanation: '满意度 {satisfaction|percent}，得满分 {max} 分' } } },
          { name: `${id}.low`, conditions: { any: [{ fact: 'satisfaction', operator: 'lessThan', value: 0.9 }] }, event: { type: 'award', params: { appliesTo: id, case: '< 90%', award: { method: 'thresholdRate', rate: 'satisfaction', threshold: 0.9 }, explanation: '满意度 {satisfaction|percent}，得 {points} 分' } } },
        ],
      };
    case 'qualitative':
      return {
        node: {
          id, name, points,
          facts: {
            tier: { label: '评价档次', type: 'string', enum: ['achieved', 'partial', 'notAchieved'] },
            score: { label: '所选得分', type: 'number', minimum: 0, maximum: points },
          },
        },
        rules: [
          { name: `${id}.tier`, conditions: { all: [{ fact: 'tier', operator: 'in', value: ['achieved', 'partial', 'notAchieved'] }] }, event: { type: 'award', params: { appliesTo: id, case: '定性', award: { method: 'qualitative', tier: 'tier', score: 'score' }, explanation: '评价「{tierLabel}」，得 {points} 分（{tierLower}–{tierUpper}）' } } },
        ],
      };
  }
}

export const SYNTHETIC_LEAVES = 60;

/**
 * Sizes of the scale curve. Each has 4 first-level groups of 25 points; `subPoints` are the second-level groups of one
 * first-level group, each with `perSub` leaves of equal points (60 is the original layout: 7.5, 7.5, 10 × 5 leaves).
 * Above 200 leaves a submission no longer passes the submission schema (at most 200 fact groups): the bench scores
 * those sizes past the structural check (see bench/run.ts, scale()).
 */
export const SYNTHETIC_LAYOUTS = {
  12: { perSub: 1, subPoints: [7.5, 7.5, 10] },
  60: { perSub: 5, subPoints: [7.5, 7.5, 10] },
  240: { perSub: 5, subPoints: [...Array(11).fill(2), 3] },
  1000: { perSub: 5, subPoints: Array(50).fill(0.5) },
} as const satisfies Record<number, { perSub: number; subPoints: readonly number[] }>;
export type SyntheticSize = keyof typeof SYNTHETIC_LAYOUTS;
export const SYNTHETIC_SIZES = Object.keys(SYNTHETIC_LAYOUTS).map(Number) as SyntheticSize[];

/** Points of every leaf of the synthetic rule set with `leaves` leaves, in leaf order. */
export function syntheticLeafPoints(leaves: SyntheticSize = 60): number[] {
  const { perSub, subPoints } = SYNTHETIC_LAYOUTS[leaves];
  const one = subPoints.flatMap((p) => Array<number>(perSub).fill(Math.round((p / perSub) * 1e6) / 1e6));
  return [one, one, one, one].flat();
}

export const syntheticKind = (index: number): Kind => KINDS[index % KINDS.length]!;

export function syntheticRuleSet(leaves: SyntheticSize = 60): RuleSetDocument {
  const { perSub, subPoints } = SYNTHETIC_LAYOUTS[leaves];
  const points = syntheticLeafPoints(leaves);
  const rules: unknown[] = [];
  const indicators = ['一', '二', '三', '四'].map((n, g) => ({
    id: `g${g}`,
    name: `一级指标${n}`,
    points: 25,
    children: subPoints.map((p, s) => ({
      id: `g${g}s${s}`,
      name: `二级指标${n}-${s + 1}`,
      points: p,
      children: Array.from({ length: perSub }, (_, l) => {
        const index = (g * subPoints.length + s) * perSub + l;
        const made = leaf(`leaf${index}`, `末级指标${index + 1}`, points[index]!, syntheticKind(index));
        rules.push(...made.rules);
        return made.node;
      }),
    })),
  }));
  return {
    id: `synthetic-${leaves}`,
    version: '1.0.0',
    title: `合成评分表（${leaves} 个末级指标，基准测试用）`,
    document: '基准测试用合成评分表',
    fiscalYears: { from: 2020 },
    changelog: '由 bench/synthetic.ts 生成',
    provisional: true,
    provisionalNote: '合成数据，仅用于基准测试与差分测试',
    total: 100,
    rounding: { decimals: 2, mode: 'halfUp', scope: 'leaf' },
    notApplicable: { policy: 'redistribute' },
    grades: [
      { code: 'excellent', name: '优', label: '优秀', min: 90 },
      { code: 'good', name: '良', label: '良好', min: 80 },
      { code: 'fair', name: '中', label: '中', min: 60 },
      { code: 'poor', name: '差', label: '差', min: 0 },
    ],
    indicators,
    rules,
  } as unknown as RuleSetDocument;
}

/** A deterministic pseudo-random source (mulberry32), so benchmarks score the same data every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Facts for one leaf of the synthetic rule set from numbers in [0, 1). */
export function syntheticLeafFacts(kind: Kind, points: number, r: () => number): Record<string, unknown> {
  const cents = (x: number) => Math.round(x * 100) / 100;
  switch (kind) {
    case 'rate': {
      const planned = 1 + Math.floor(r() * 100);
      return { planned, done: r() < 0.3 ? planned : cents(r() * planned * 1.2) };
    }
    case 'cost': {
      const budget = cents(1 + r() * 500);
      return { budget, cost: r() < 0.3 ? budget : cents(r() * budget * 2.2) };
    }
    case 'checklist':
      return { requirements: { a: r() < 0.8, b: r() < 0.8, c: r() < 0.8 } };
    case 'satisfaction':
      return { satisfaction: r() < 0.2 ? 0.9 : cents(r()) };
    case 'qualitative': {
      const tier = (['achieved', 'partial', 'notAchieved'] as const)[Math.floor(r() * 3)]!;
      const [lo, hi] = tier === 'achieved' ? [0.8, 1] : tier === 'partial' ? [0.6, 0.79] : [0, 0.59];
      // the tier's upper bound is exclusive below 'achieved': with small points (0.1) rounding to cents could reach it
      const below = tier === 'achieved' ? Infinity : cents(points * (tier === 'partial' ? 0.8 : 0.6)) - 0.01;
      return { tier, score: Math.min(cents(points * (lo + r() * (hi - lo))), cents(below)) };
    }
  }
}

export function syntheticSubmission(r: () => number, unitId = 'synthetic-unit', leaves: SyntheticSize = 60): Record<string, unknown> {
  const points = syntheticLeafPoints(leaves);
  const facts: Record<string, unknown> = {};
  for (let index = 0; index < points.length; index++) facts[`leaf${index}`] = syntheticLeafFacts(syntheticKind(index), points[index]!, r);
  return {
    ruleset: { id: `synthetic-${leaves}`, version: '1.0.0' },
    project: { name: '合成项目', unitId, unitName: '合成单位', fiscalYear: 2024 },
    facts,
  };
}
