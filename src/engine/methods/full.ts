// 满分 full: the case itself earns all the points.
import type { ScoringMethod } from './method.js';

type FullAward = { readonly method: 'full' };

export const full: ScoringMethod<FullAward> = {
  name: 'full',
  label: '满分',
  fields: {},
  placeholders: [],
  example: { award: { method: 'full' }, facts: {} },
  award: (_award, { w }) => ({ points: w, values: {} }),
  invert: (_award, { w }) => ({ kind: 'constant', points: w }),
  defaultExplanation: () => '得满分 {max} 分',
};
