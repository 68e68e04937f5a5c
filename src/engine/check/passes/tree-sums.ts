// Pass "treeSums": every inner node's points equal the sum of its children's; the first level adds up to the total.
import { formatNumber } from '../../../domain/methods.js';
import { isGroupNode, isSlotNode, type IndicatorNode } from '../../../domain/ruleset.js';
import { sumRounded } from '../../../domain/rounding.js';
import type { Pass } from '../diagnostics.js';

export const treeSumsPass: Pass = {
  name: 'treeSums',
  blocking: false,
  needsSoundStructure: true,
  run(ctx) {
    const decimals = ctx.document.rounding.decimals;
    const points = (n: IndicatorNode) => n.points ?? 0;
    for (const { node, location } of ctx.index.visits) {
      if (!isGroupNode(node)) continue;
      if (node.children.some(isSlotNode)) continue; // filled by the unit's own indicators
      const sum = sumRounded(node.children.map(points), decimals);
      if (node.points === undefined) {
        ctx.report({ code: 'GROUP_POINTS_MISSING', severity: 'error', message: `「${node.name}」须给出分值 points（应为下级之和 ${formatNumber(sum)}）`, location });
      } else if (sum !== node.points) {
        ctx.report({
          code: 'TREE_SUM_MISMATCH',
          severity: 'error',
          message: `「${node.name}」分值 ${formatNumber(node.points)} 分，但其下级指标分值之和为 ${formatNumber(sum)} 分`,
          location: `${location}.points`,
        });
      }
    }
    const total = sumRounded(ctx.document.indicators.map(points), decimals);
    if (total !== ctx.document.total) {
      ctx.report({
        code: 'TOTAL_MISMATCH',
        severity: 'error',
        message: `一级指标分值之和为 ${formatNumber(total)} 分，与规则集总分 ${formatNumber(ctx.document.total)} 分不符`,
        location: '$.total',
      });
    }
  },
};
