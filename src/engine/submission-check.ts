// Checks a structurally valid submission against what its rule set declares: the facts each leaf needs,
// not-applicable marks, unit-written indicators and their first-level budgets, self-reported item ids.
import { childPath, type ErrorDetail } from '../domain/errors.js';
import { formatNumber } from '../domain/methods.js';
import { isGroupNode, isSlotNode, type FactDeclaration, type IndicatorNode } from '../domain/ruleset.js';
import { sumRounded } from '../domain/rounding.js';
import type { Submission, UnitIndicator } from '../domain/submission.js';
import { TIER_LABELS, ownValue } from '../domain/submission.js';
import { capDetails } from '../validation/index.js';
import type { RuleSetIndex } from './model.js';

// Every key below is a name from the submission or the rule set: looked up with ownValue / Object.hasOwn / Maps,
// so a fact named `constructor` or a leaf named `valueOf` is data like any other.

/** Details (at most MAX_DETAILS, see capDetails) of where the submission does not fit its rule set. */
export function submissionFactErrors(index: RuleSetIndex, submission: Submission): ErrorDetail[] {
  return capDetails(factErrors(index, submission));
}

function factErrors(index: RuleSetIndex, submission: Submission): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const facts = submission.facts ?? {};
  const notApplicable = submission.notApplicable ?? {};

  for (const [leafId, leafFacts] of Object.entries(facts)) {
    const path = childPath('$.facts', leafId);
    const leaf = index.leaves.get(leafId);
    if (!leaf) {
      errors.push({ path, message: unknownLeafMessage(index, leafId) });
      continue;
    }
    if (Object.hasOwn(notApplicable, leafId)) {
      errors.push({ path, message: `指标「${leaf.node.name}」已标记为不适用，不应再提供数据` });
      continue;
    }
    const declared = leaf.node.facts ?? {};
    for (const [name, value] of Object.entries(leafFacts)) {
      const decl = ownValue(declared, name);
      if (!decl) {
        errors.push({
          path: childPath(path, name),
          message: `指标「${leaf.node.name}」没有名为「${name}」的数据项（应为：${Object.keys(declared).join('、')}）`,
        });
        continue;
      }
      errors.push(...factValueErrors(childPath(path, name), decl, value, leaf.node));
    }
  }

  for (const [leafId, visit] of index.leaves) {
    if (Object.hasOwn(notApplicable, leafId)) continue;
    const leafFacts = ownValue(facts, leafId);
    const path = childPath('$.facts', leafId);
    if (!leafFacts) {
      errors.push({ path, message: `缺少指标「${visit.namePath.join(' / ')}」的数据；如该指标不适用，请在 notApplicable 中说明理由` });
      continue;
    }
    for (const [name, decl] of Object.entries(visit.node.facts ?? {})) {
      if (ownValue(leafFacts, name) === undefined && !decl.optional) {
        errors.push({ path: childPath(path, name), message: `缺少「${decl.label}」${decl.unit ? `（${decl.unit}）` : ''}` });
      }
    }
  }

  for (const key of Object.keys(notApplicable)) {
    if (!index.leaves.has(key)) {
      errors.push({ path: childPath('$.notApplicable', key), message: unknownLeafMessage(index, key) });
    }
  }

  errors.push(...indicatorErrors(index, submission));

  const itemIds = new Set<string>([...index.leaves.keys(), ...(submission.indicators ?? []).map((i) => i.id)]);
  for (const key of Object.keys(submission.selfAssessment?.items ?? {})) {
    if (!itemIds.has(key)) {
      errors.push({ path: childPath('$.selfAssessment.items', key), message: `没有编号为「${key}」的指标项，无法对应自评分` });
    }
  }
  for (const key of Object.keys(submission.remarks ?? {})) {
    if (!itemIds.has(key) && !index.nodes.has(key)) {
      errors.push({ path: childPath('$.remarks', key), message: `没有编号为「${key}」的指标` });
    }
  }
  return errors;
}

function unknownLeafMessage(index: RuleSetIndex, id: string): string {
  const node = index.nodes.get(id);
  if (node) return `「${node.node.name}」不是末级指标，数据和不适用标记只能按末级指标填写`;
  return `规则集 ${index.document.id} ${index.document.version} 中没有编号为「${id}」的末级指标`;
}

function factValueErrors(path: string, decl: FactDeclaration, value: unknown, leaf: IndicatorNode): ErrorDetail[] {
  const label = `「${decl.label}」`;
  switch (decl.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number') return [{ path, message: `${label}应为数值` }];
      if (decl.type === 'integer' && !Number.isInteger(value)) return [{ path, message: `${label}应为整数` }];
      const unit = decl.unit ?? '';
      if (decl.minimum !== undefined && value < decl.minimum) {
        return [{ path, message: `${label}不能小于 ${formatNumber(decl.minimum)}${unit}` }];
      }
      if (decl.exclusiveMinimum !== undefined && value <= decl.exclusiveMinimum) {
        return [{ path, message: `${label}必须大于 ${formatNumber(decl.exclusiveMinimum)}${unit}` }];
      }
      if (decl.maximum !== undefined && value > decl.maximum) {
        return [{ path, message: `${label}不能大于 ${formatNumber(decl.maximum)}${unit}` }];
      }
      return [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [{ path, message: `${label}应为 true 或 false` }];
    case 'string':
      if (typeof value !== 'string') return [{ path, message: `${label}应为文字` }];
      if (decl.enum && !decl.enum.includes(value)) {
        return [{ path, message: `${label}取值无效，只能是：${decl.enum.map((v) => `${v}（${ownValue(decl.enumLabels, v) ?? ownValue(TIER_LABELS, v) ?? v}）`).join('、')}` }];
      }
      return [];
    case 'checklist': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return [{ path, message: `${label}应为对象：逐项写明各要求是否满足（true/false）` }];
      }
      const answers = value as Record<string, unknown>;
      const requirements = leaf.checklist ?? [];
      const out: ErrorDetail[] = [];
      const requirementIds = new Set(requirements.map((r) => r.id));
      for (const r of requirements) {
        const answer = ownValue(answers, r.id);
        if (answer === undefined) out.push({ path: childPath(path, r.id), message: `缺少对要求「${r.requirement}」是否满足的说明（true/false）` });
        else if (typeof answer !== 'boolean') out.push({ path: childPath(path, r.id), message: '应为 true 或 false' });
      }
      for (const key of Object.keys(answers)) {
        if (!requirementIds.has(key)) {
          out.push({ path: childPath(path, key), message: `「${leaf.name}」的评分要求中没有「${key}」（应为：${requirements.map((r) => r.id).join('、')}）` });
        }
      }
      return out;
    }
  }
}

/** A group whose children are slots: its points are the budget the unit's own indicators must fill. */
export function budgetGroups(index: RuleSetIndex): (IndicatorNode & { readonly children: readonly IndicatorNode[] })[] {
  return index.visits
    .map((v) => v.node)
    .filter(isGroupNode)
    .filter((n) => n.children.some(isSlotNode));
}

function indicatorErrors(index: RuleSetIndex, submission: Submission): ErrorDetail[] {
  const indicators = submission.indicators ?? [];
  const errors: ErrorDetail[] = [];
  if (index.slots.size === 0) {
    if (indicators.length > 0) {
      errors.push({ path: '$.indicators', message: `规则集 ${index.document.id} 的指标由评分表固定，不接受单位自设指标` });
    }
    return errors;
  }
  const seen = new Map<string, number>();
  indicators.forEach((ind, i) => {
    const path = `$.indicators[${i}]`;
    const first = seen.get(ind.id);
    if (first !== undefined) {
      errors.push({ path: `${path}.id`, message: `指标编号「${ind.id}」与第 ${first + 1} 项重复` });
    } else seen.set(ind.id, i);
    if (index.nodes.has(ind.id)) {
      errors.push({ path: `${path}.id`, message: `指标编号「${ind.id}」与评分表中的指标编号冲突，请换一个` });
    }
    if (!index.slots.has(ind.category)) {
      errors.push({
        path: `${path}.category`,
        message: `没有名为「${ind.category}」的指标类别（应为：${[...index.slots.values()].map((s) => `${s.node.id}（${s.namePath.join('/')}）`).join('、')}）`,
      });
    }
    if (ind.notApplicable !== undefined) return;
    errors.push(...directionErrors(path, ind));
  });

  for (const group of budgetGroups(index)) {
    const slotIds = new Set(group.children.map((c) => c.id));
    const members = indicators.filter((ind) => slotIds.has(ind.category));
    if (members.length === 0) continue; // no indicator at all: the first-level indicator does not apply
    const sum = sumRounded(members.map((m) => m.points), 2);
    if (sum !== group.points) {
      errors.push({
        path: '$.indicators',
        message: `「${group.name}」下各三级指标分值合计 ${formatNumber(sum)} 分，应等于该一级指标的 ${formatNumber(group.points ?? 0)} 分`,
      });
    }
  }
  return errors;
}

function directionErrors(path: string, ind: UnitIndicator): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (ind.direction === 'qualitative') {
    if (ind.tier === undefined) errors.push({ path: `${path}.tier`, message: '定性指标须选择评价档次（achieved / partial / notAchieved）' });
    if (ind.chosenScore === undefined) errors.push({ path: `${path}.chosenScore`, message: '定性指标须在所选档次内给出得分' });
    else if (ind.chosenScore > ind.points) {
      errors.push({ path: `${path}.chosenScore`, message: `得分 ${formatNumber(ind.chosenScore)} 超过该指标分值 ${formatNumber(ind.points)}` });
    }
    return errors;
  }
  for (const field of ['target', 'actual'] as const) {
    const value = ind[field];
    const label = field === 'target' ? '年度指标值' : '实际完成值';
    if (value === undefined) errors.push({ path: `${path}.${field}`, message: `定量指标须填写${label}（数值）` });
    else if (typeof value !== 'number') errors.push({ path: `${path}.${field}`, message: `定量指标的${label}应为数值，不能是文字` });
  }
  if (ind.tier !== undefined) errors.push({ path: `${path}.tier`, message: '只有定性指标才填写评价档次' });
  if (ind.chosenScore !== undefined) errors.push({ path: `${path}.chosenScore`, message: '定量指标的得分由系统计算，不能自选' });
  return errors;
}
