// 不得分 zero: the case earns nothing.
import type { ScoringMethod } from './method.js';

type ZeroAward = { readonly method: 'zero' };

export const zero: ScoringMethod<ZeroAward> = {
  name: 'zero',
  label: '不得分',
  fields: {},
  placeholders: [],
  example: { award: { method: 'zero' }, facts: {} },
  award: () => ({ points: 0, values: {} }),
  invert: () => ({ kind: 'constant', points: 0 }),
  defaultExplanation: () => '不得分（满分 {max} 分）',
};
