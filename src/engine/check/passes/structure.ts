// Pass "structure": every node is exactly one of group / leaf / slot; ids are unique; slots sit under a budget;
// split blocks and goals sit over unit-indicator slots.
import { isBlockNode, isDimensionNode, isGroupNode, isSlotNode, nodeKind } from '../../../domain/ruleset.js';
import { own } from '../../model.js';
import type { Pass } from '../diagnostics.js';

export const structurePass: Pass = {
  name: 'structure',
  blocking: true,
  needsSoundStructure: false,
  run(ctx) {
    const seen = new Map<string, string>();
    const parentSplits = (parentId: string | null) => parentId !== null && ctx.index.nodes.get(parentId)?.node.unitSplit === true;
    let goalsAt: string | null = null;
    for (const visit of ctx.index.visits) {
      const { node, location } = visit;
      const shapes = [node.children, node.facts, node.unitIndicators].filter((x) => x !== undefined).length;
      if (shapes !== 1) {
        ctx.report({
          code: 'NODE_SHAPE',
          severity: 'error',
          message: `指标「${node.name}」必须且只能有 children（下级指标）、facts（末级指标的数据项）、unitIndicators（单位自设指标位）三者之一`,
          location,
        });
      }
      if (seen.has(node.id)) {
        ctx.report({ code: 'DUPLICATE_ID', severity: 'error', message: `指标编号「${node.id}」重复（另见 ${seen.get(node.id)}）`, location: `${location}.id` });
      } else seen.set(node.id, location);

      const kind = nodeKind(node);
      if (kind === 'leaf' && node.points === undefined) {
        ctx.report({ code: 'LEAF_POINTS_MISSING', severity: 'error', message: `末级指标「${node.name}」必须给出分值 points`, location });
      }
      if (isSlotNode(node)) {
        if (node.points !== undefined) {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `单位自设指标位「${node.name}」不设分值：分值由单位自设指标填写，合计须等于上级一级指标分值`, location: `${location}.points` });
        }
        if (!own(ctx.document.ruleGroups, node.unitIndicators.ruleGroup)) {
          ctx.report({ code: 'UNKNOWN_RULE_GROUP', severity: 'error', message: `单位自设指标位「${node.name}」引用的规则组「${node.unitIndicators.ruleGroup}」不存在`, location: `${location}.unitIndicators.ruleGroup` });
        }
      }
      if (isGroupNode(node)) {
        const slotChildren = node.children.filter(isSlotNode).length;
        if (slotChildren > 0 && slotChildren !== node.children.length) {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `「${node.name}」的下级不能既有单位自设指标位又有其他指标`, location: `${location}.children` });
        }
        if (slotChildren > 0 && node.points === undefined && !parentSplits(visit.parentId)) {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `「${node.name}」下为单位自设指标，必须给出该一级指标的分值 points`, location });
        }
      }
      if (node.unitSplit) {
        if (!isBlockNode(node)) {
          ctx.report({
            code: 'NODE_SHAPE',
            severity: 'error',
            message: `「${node.name}」声明由单位分配分值（unitSplit），其下级须全部是下设单位自设指标位的维度（如产出、效益、满意度指标）`,
            location: `${location}.unitSplit`,
          });
        }
        if (node.points === undefined) {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `「${node.name}」由单位分配分值，须给出本块总分 points`, location });
        }
      }
      if (node.goals) {
        if (!isBlockNode(node) && !isDimensionNode(node)) {
          ctx.report({
            code: 'NODE_SHAPE',
            severity: 'error',
            message: `「${node.name}」声明了按${node.goals.label}分组（goals），但其下没有单位自设指标位：goals 只能设在下级为单位自设指标位、或为下设单位自设指标位的维度的指标上`,
            location: `${location}.goals`,
          });
        } else if (node.points === undefined) {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `「${node.name}」按${node.goals.label}分组，须给出分值 points（各目标分值合计应等于它）`, location });
        }
        if (goalsAt !== null) {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `一个规则集只能有一处按绩效目标分组（另见 ${goalsAt}）`, location: `${location}.goals` });
        } else goalsAt = location;
      }
      if (node.checklist) {
        if (kind !== 'leaf') {
          ctx.report({ code: 'NODE_SHAPE', severity: 'error', message: `只有末级指标才能有评分要求清单 checklist`, location: `${location}.checklist` });
        }
        const ids = new Set<string>();
        node.checklist.forEach((r, i) => {
          if (ids.has(r.id)) ctx.report({ code: 'DUPLICATE_ID', severity: 'error', message: `评分要求编号「${r.id}」重复`, location: `${location}.checklist[${i}].id` });
          ids.add(r.id);
        });
      }
      for (const [name, decl] of Object.entries(node.facts ?? {})) {
        if (decl.type === 'checklist' && !node.checklist) {
          ctx.report({ code: 'CHECKLIST_MISSING', severity: 'error', message: `数据项「${decl.label}」为清单类型，但指标「${node.name}」没有 checklist`, location: `${location}.facts.${name}` });
        }
        if (decl.optional) {
          ctx.report({ code: 'OPTIONAL_FACT', severity: 'error', message: `评分表固定指标的数据项不能是可选的（optional 只用于单位自设指标）`, location: `${location}.facts.${name}.optional` });
        }
      }
    }
    const names = new Map<string, number>();
    ctx.document.rules.forEach((rule, i) => {
      if (names.has(rule.name)) {
        ctx.report({ code: 'DUPLICATE_RULE_NAME', severity: 'error', message: `规则名「${rule.name}」重复（另见 $.rules[${names.get(rule.name)}]）`, location: `$.rules[${i}].name` });
      } else names.set(rule.name, i);
    });
    for (const name of Object.keys(ctx.document.ruleGroups ?? {})) {
      if (seen.has(name)) {
        ctx.report({ code: 'DUPLICATE_ID', severity: 'error', message: `规则组名「${name}」与指标编号重复`, location: `$.ruleGroups.${name}` });
      }
    }
  },
};
