// Pass "treeSums": every inner node's points equal the sum of its children's (a split block's fixed shares leave room for
// the unit's); the first level adds up to the total.
import { formatNumber } from '../../../domain/methods.js';
import { isGroupNode, isSlotNode, type IndicatorNode } from '../../../domain/ruleset.js';
import { sumRounded } from '../../../domain/rounding.js';
import type { Pass, PassContext } from '../diagnostics.js';

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
      if (node.unitSplit) {
        splitBlockSums(node, location, decimals, ctx.report);
        continue;
      }
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

/**
 * A block the unit splits: with every dimension's share fixed they add up to the block as anywhere else; with some
 * open, the fixed ones must leave points for the unit to split.
 */
function splitBlockSums(block: IndicatorNode & { readonly children: readonly IndicatorNode[] }, location: string, decimals: number, report: PassContext['report']): void {
  if (block.points === undefined) return; // the structure pass reports it
  const fixed = block.children.filter((c) => c.points !== undefined);
  const fixedSum = sumRounded(fixed.map((c) => c.points ?? 0), decimals);
  if (fixed.length === block.children.length) {
    if (fixedSum !== block.points) {
      report({
        code: 'TREE_SUM_MISMATCH',
        severity: 'error',
        message: `「${block.name}」分值 ${formatNumber(block.points)} 分，但其下各维度的固定分值之和为 ${formatNumber(fixedSum)} 分`,
        location: `${location}.points`,
      });
    } else {
      report({ code: 'UNIT_SPLIT_UNUSED', severity: 'warning', message: `「${block.name}」各维度均已固定分值，unitSplit 不起作用，可删去`, location: `${location}.unitSplit` });
    }
  } else if (fixedSum >= block.points) {
    report({
      code: 'TREE_SUM_MISMATCH',
      severity: 'error',
      message: `「${block.name}」分值 ${formatNumber(block.points)} 分，其下固定分值的维度已合计 ${formatNumber(fixedSum)} 分，未固定分值的${block.children.filter((c) => c.points === undefined).map((c) => `「${c.name}」`).join('')}没有可由单位分配的分值`,
      location: `${location}.points`,
    });
  }
}
