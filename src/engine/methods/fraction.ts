// 按比例 fraction: a share of the points written in the rule.
import type { ScoringMethod } from './method.js';

type FractionAward = { readonly method: 'fraction'; readonly fraction: number };

export const fraction: ScoringMethod<FractionAward> = {
  name: 'fraction',
  label: '按比例',
  fields: { fraction: { kind: 'number', required: true, label: '得分比例', share: true } },
  placeholders: ['fraction'],
  example: { award: { method: 'fraction', fraction: 0.5 }, facts: {} },
  award: (award, { w }) => ({ points: award.fraction * w, values: { fraction: award.fraction } }),
  invert: (award, { w }) => ({ kind: 'constant', points: award.fraction * w }),
  defaultExplanation: () => '按满分的 {fraction|percent} 计，得 {points} 分（满分 {max} 分）',
};
