// Checks a structurally valid submission against what its rule set declares: the facts each leaf needs,
// not-applicable marks, unit-written indicators and their budgets (first-level, split blocks, goals), self-reported item ids.
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

  // paths are written only for an error (a valid submission, the usual case, needs none)
  for (const leafId of Object.keys(facts)) {
    const leafFacts = facts[leafId]!;
    const leaf = index.leaves.get(leafId);
    if (!leaf) {
      errors.push({ path: childPath('$.facts', leafId), message: unknownLeafMessage(index, leafId) });
      continue;
    }
    if (Object.hasOwn(notApplicable, leafId)) {
      errors.push({ path: childPath('$.facts', leafId), message: `指标「${leaf.node.name}」已标记为不适用，不应再提供数据` });
      continue;
    }
    const declared = leaf.node.facts ?? {};
    for (const name of Object.keys(leafFacts)) {
      const decl = ownValue(declared, name);
      if (!decl) {
        errors.push({
          path: childPath(childPath('$.facts', leafId), name),
          message: `指标「${leaf.node.name}」没有名为「${name}」的数据项（应为：${Object.keys(declared).join('、')}）`,
        });
        continue;
      }
      const wrong = factValueErrors(leafId, name, decl, leafFacts[name], leaf.node);
      if (wrong !== null) errors.push(...wrong);
    }
  }

  for (const [leafId, visit] of index.leaves) {
    if (Object.hasOwn(notApplicable, leafId)) continue;
    const leafFacts = ownValue(facts, leafId);
    if (!leafFacts) {
      errors.push({ path: childPath('$.facts', leafId), message: `缺少指标「${visit.namePath.join(' / ')}」的数据；如该指标不适用，请在 notApplicable 中说明理由` });
      continue;
    }
    for (const [name, decl] of requiredFactsOf(visit.node)) {
      if (ownValue(leafFacts, name) === undefined) {
        errors.push({ path: childPath(childPath('$.facts', leafId), name), message: `缺少「${decl.label}」${decl.unit ? `（${decl.unit}）` : ''}` });
      }
    }
  }

  for (const key of Object.keys(notApplicable)) {
    if (!index.leaves.has(key)) {
      errors.push({ path: childPath('$.notApplicable', key), message: unknownLeafMessage(index, key) });
    }
  }

  errors.push(...indicatorErrors(index, submission));

  // the unit's own item ids, gathered only when a self-assessment or a remark names something
  let unitItemIds: Set<string> | undefined;
  const isItem = (key: string) => index.leaves.has(key) || (unitItemIds ??= new Set<string>((submission.indicators ?? []).map((i) => i.id))).has(key);
  for (const key of Object.keys(submission.selfAssessment?.items ?? {})) {
    if (!isItem(key)) {
      errors.push({ path: childPath('$.selfAssessment.items', key), message: `没有编号为「${key}」的指标项，无法对应自评分` });
    }
  }
  for (const key of Object.keys(submission.remarks ?? {})) {
    if (!isItem(key) && !index.nodes.has(key)) {
      errors.push({ path: childPath('$.remarks', key), message: `没有编号为「${key}」的指标` });
    }
  }
  return errors;
}

/** A leaf's facts that are not optional, in declaration order: found once per rule-set node. */
const requiredFacts = new WeakMap<IndicatorNode, readonly (readonly [string, FactDeclaration])[]>();

function requiredFactsOf(node: IndicatorNode): readonly (readonly [string, FactDeclaration])[] {
  let found = requiredFacts.get(node);
  if (!found) requiredFacts.set(node, (found = Object.entries(node.facts ?? {}).filter(([, decl]) => !decl.optional)));
  return found;
}

function unknownLeafMessage(index: RuleSetIndex, id: string): string {
  const node = index.nodes.get(id);
  if (node) return `「${node.node.name}」不是末级指标，数据和不适用标记只能按末级指标填写`;
  return `规则集 ${index.document.id} ${index.document.version} 中没有编号为「${id}」的末级指标`;
}

/** Where a declared fact's value does not fit its declaration, or null when it fits. */
function factValueErrors(leafId: string, name: string, decl: FactDeclaration, value: unknown, leaf: IndicatorNode): ErrorDetail[] | null {
  const found = factValueProblems(leafId, name, decl, value, leaf);
  return found.length === 0 ? null : found;
}

const NONE: readonly ErrorDetail[] = Object.freeze([]);

function factValueProblems(leafId: string, name: string, decl: FactDeclaration, value: unknown, leaf: IndicatorNode): ErrorDetail[] {
  switch (decl.type) {
    case 'number':
    case 'integer':
      if (typeof value === 'number' && (decl.type === 'number' || Number.isInteger(value)) && (decl.minimum === undefined || value >= decl.minimum) && (decl.exclusiveMinimum === undefined || value > decl.exclusiveMinimum) && (decl.maximum === undefined || value <= decl.maximum)) {
        return NONE as ErrorDetail[];
      }
      break;
    case 'boolean':
      if (typeof value === 'boolean') return NONE as ErrorDetail[];
      break;
    case 'string':
      if (typeof value === 'string' && (!decl.enum || decl.enum.includes(value))) return NONE as ErrorDetail[];
      break;
    case 'checklist':
      if (checklistAnswered(value, leaf.checklist ?? [])) return NONE as ErrorDetail[];
      break;
  }
  return factValueMessages(childPath(childPath('$.facts', leafId), name), decl, value, leaf);
}

/** Every requirement answered true or false and nothing else answered: what factValueMessages finds no fault with. */
function checklistAnswered(value: unknown, requirements: readonly { readonly id: string }[]): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const answers = value as Record<string, unknown>;
  for (const r of requirements) if (typeof ownValue(answers, r.id) !== 'boolean') return false;
  for (const key of Object.keys(answers)) if (!requirements.some((r) => r.id === key)) return false;
  return true;
}

function factValueMessages(path: string, decl: FactDeclaration, value: unknown, leaf: IndicatorNode): ErrorDetail[] {
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

/** A group whose children are slots: its points, when the table fixes them, are the budget the unit's own indicators must fill. */
type BudgetGroup = IndicatorNode & { readonly children: readonly IndicatorNode[] };

/** A budget group with the ids of its children (the categories whose indicators fill it). */
interface BudgetGroupEntry {
  readonly group: BudgetGroup;
  readonly childIds: ReadonlySet<string>;
}

function budgetGroups(index: RuleSetIndex): readonly BudgetGroupEntry[] {
  let groups = budgetGroupsOf.get(index);
  if (!groups) {
    groups = index.visits
      .map((v) => v.node)
      .filter(isGroupNode)
      .filter((n) => n.children.some(isSlotNode))
      .map((group) => ({ group, childIds: new Set(group.children.map((c) => c.id)) }));
    budgetGroupsOf.set(index, groups);
  }
  return groups;
}

/** An index never changes: its budget groups are found once. */
const budgetGroupsOf = new WeakMap<RuleSetIndex, readonly BudgetGroupEntry[]>();

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
  for (let i = 0; i < indicators.length; i++) {
    const ind = indicators[i]!;
    // the path is written only for an error
    const path = () => `$.indicators[${i}]`;
    const first = seen.get(ind.id);
    if (first !== undefined) {
      errors.push({ path: `${path()}.id`, message: `指标编号「${ind.id}」与第 ${first + 1} 项重复` });
    } else seen.set(ind.id, i);
    if (index.nodes.has(ind.id)) {
      errors.push({ path: `${path()}.id`, message: `指标编号「${ind.id}」与评分表中的指标编号冲突，请换一个` });
    }
    if (!index.slots.has(ind.category)) {
      errors.push({
        path: `${path()}.category`,
        message: `没有名为「${ind.category}」的指标类别（应为：${[...index.slots.values()].map((s) => `${s.node.id}（${s.namePath.join('/')}）`).join('、')}）`,
      });
    }
    if (ind.notApplicable !== undefined || directionFits(ind)) continue;
    errors.push(...directionErrors(path(), ind));
  }

  for (const { group, childIds } of budgetGroups(index)) {
    if (group.points === undefined) continue; // a dimension whose share the unit sets: checked with its block below
    const points: number[] = [];
    for (const ind of indicators) if (childIds.has(ind.category)) points.push(ind.points);
    if (points.length === 0) continue; // no indicator at all: the first-level indicator does not apply
    const sum = sumRounded(points, 2);
    if (sum !== group.points) {
      errors.push({
        path: '$.indicators',
        message: `「${group.name}」下各三级指标分值合计 ${formatNumber(sum)} 分，应等于该一级指标的 ${formatNumber(group.points ?? 0)} 分`,
      });
    }
  }
  errors.push(...splitBlockErrors(index, indicators), ...goalErrors(index, submission));
  return errors;
}

/** 「少 5 分」 / 「多 5 分」: how far `sum` is from `wanted`. */
function shortfall(sum: number, wanted: number): string {
  const difference = sumRounded([sum, -wanted], 2);
  return difference < 0 ? `少 ${formatNumber(-difference)} 分` : `多 ${formatNumber(difference)} 分`;
}

const slotIdsOf = (nodes: readonly IndicatorNode[]): Set<string> => new Set(nodes.flatMap((d) => (d.children ?? []).map((c) => c.id)));

/**
 * A block the unit splits: the indicators of its dimensions without fixed points fill what the fixed ones leave
 * (all of it when none is fixed). Dimensions with fixed points are checked one by one above, like cn-mof-2020's.
 */
function splitBlockErrors(index: RuleSetIndex, indicators: readonly UnitIndicator[]): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  for (const { node: block } of index.splitBlocks) {
    const dimensions = block.children ?? [];
    const open = dimensions.filter((d) => d.points === undefined);
    if (open.length === 0) continue;
    const inBlock = slotIdsOf(dimensions);
    if (!indicators.some((ind) => inBlock.has(ind.category))) continue; // no indicator at all: the block does not apply
    const openSlots = slotIdsOf(open);
    const sum = sumRounded(indicators.filter((ind) => openSlots.has(ind.category)).map((ind) => ind.points), 2);
    const fixed = dimensions.filter((d) => d.points !== undefined);
    const fixedPoints = sumRounded(fixed.map((d) => d.points ?? 0), 2);
    const wanted = sumRounded([block.points ?? 0, -fixedPoints], 2);
    if (sum === wanted) continue;
    errors.push({
      path: '$.indicators',
      message:
        fixed.length === 0
          ? `「${block.name}」下各三级指标分值合计 ${formatNumber(sum)} 分，应等于该指标的 ${formatNumber(wanted)} 分（${shortfall(sum, wanted)}）`
          : `「${block.name}」中${open.map((d) => `「${d.name}」`).join('')}下各三级指标分值合计 ${formatNumber(sum)} 分，` +
            `应等于 ${formatNumber(wanted)} 分（${formatNumber(block.points ?? 0)} 分减去固定分值的${fixed.map((d) => `「${d.name}」`).join('')} ${formatNumber(fixedPoints)} 分；${shortfall(sum, wanted)}）`,
    });
  }
  return errors;
}

/**
 * Goals (年度绩效目标): every indicator under the goals node names a declared goal; a goal's indicators add up to the
 * points the unit gave it; the goals add up to what the node's indicators must fill (its points, less the fixed
 * shares of dimensions the unit set no indicator in, whose points move as the not-applicable policy says).
 * When some goal gives no points, only the goals that give them are checked (the node's own sum still is).
 */
function goalErrors(index: RuleSetIndex, submission: Submission): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const indicators = submission.indicators ?? [];
  const goals = submission.goals ?? [];
  const grouping = index.goals;
  if (!grouping) {
    if (submission.goals !== undefined) {
      errors.push({ path: '$.goals', message: `规则集 ${index.document.id} 的指标不按绩效目标分组，不应填写 goals` });
    }
    for (let i = 0; i < indicators.length; i++) {
      if (indicators[i]!.goal !== undefined) errors.push({ path: `$.indicators[${i}].goal`, message: `规则集 ${index.document.id} 的指标不按绩效目标分组，不应填写所属目标 goal` });
    }
    return errors;
  }
  const { node } = grouping.visit;
  const label = grouping.declaration.label;
  const goalName = (i: number) => `${label} ${i + 1}「${goals[i]?.name ?? ''}」`;
  const byId = new Map<string, number>();
  goals.forEach((goal, i) => {
    if (byId.has(goal.id)) errors.push({ path: `$.goals[${i}].id`, message: `${label}编号「${goal.id}」与第 ${(byId.get(goal.id) ?? 0) + 1} 个目标重复` });
    else byId.set(goal.id, i);
  });
  if (goals.length > grouping.declaration.maxGoals) {
    errors.push({ path: '$.goals', message: `${label}最多 ${grouping.declaration.maxGoals} 个，实际填写了 ${goals.length} 个` });
  }
  const members = indicators.map((ind, i) => ({ ind, i })).filter(({ ind }) => grouping.childOfSlot.has(ind.category));
  if (members.length > 0 && goals.length === 0) {
    errors.push({
      path: '$.goals',
      message: `「${node.name}」下的三级指标须按${label}分组：请在 goals 中列出各目标（编号、名称、分值），并在每项指标的 goal 中注明所属目标`,
    });
  }
  const expected = `（应为：${goals.map((g) => `${g.id}（${g.name}）`).join('、')}）`;
  const pointsOfGoal = goals.map(() => [] as number[]);
  indicators.forEach((ind, i) => {
    const path = `$.indicators[${i}].goal`;
    if (!grouping.childOfSlot.has(ind.category)) {
      if (ind.goal !== undefined) errors.push({ path, message: `指标「${ind.name}」不在「${node.name}」之下，不按${label}分组，不应填写 goal` });
      return;
    }
    if (goals.length === 0) return; // reported once above
    if (ind.goal === undefined) {
      errors.push({ path, message: `指标「${ind.name}」须注明所属${label}${expected}` });
      return;
    }
    const at = byId.get(ind.goal);
    if (at === undefined) errors.push({ path, message: `没有编号为「${ind.goal}」的${label}${expected}` });
    else pointsOfGoal[at]?.push(ind.points);
  });
  goals.forEach((goal, i) => {
    if (byId.get(goal.id) !== i) return; // a duplicate: reported above
    const own = pointsOfGoal[i] ?? [];
    if (own.length === 0) {
      errors.push({ path: `$.goals[${i}]`, message: `${goalName(i)}下没有任何指标` });
      return;
    }
    const sum = sumRounded(own, 2);
    if (goal.points !== undefined && sum !== goal.points) {
      errors.push({
        path: `$.goals[${i}].points`,
        message: `${goalName(i)}下各指标分值合计 ${formatNumber(sum)} 分，比该目标的 ${formatNumber(goal.points)} 分${shortfall(sum, goal.points)}`,
      });
    }
  });
  if (members.length > 0 && goals.length > 0 && goals.every((g) => g.points !== undefined)) {
    const declared = sumRounded(goals.map((g) => g.points ?? 0), 2);
    const used = new Set(members.map(({ ind }) => grouping.childOfSlot.get(ind.category)?.id));
    const unused = (node.children ?? []).filter((c) => c.points !== undefined && !used.has(c.id));
    const wanted = sumRounded([node.points ?? 0, ...unused.map((c) => -(c.points ?? 0))], 2);
    if (declared !== wanted) {
      errors.push({
        path: '$.goals',
        message:
          `各${label}分值合计 ${formatNumber(declared)} 分，比「${node.name}」的 ${formatNumber(wanted)} 分${shortfall(declared, wanted)}` +
          (unused.length > 0 ? `（${formatNumber(node.points ?? 0)} 分中未设指标的${unused.map((c) => `「${c.name}」`).join('')}不计入）` : ''),
      });
    }
  }
  return errors;
}

/** Whether directionErrors finds nothing, without building a path or a message. */
function directionFits(ind: UnitIndicator): boolean {
  if (ind.direction === 'qualitative') return ind.tier !== undefined && ind.chosenScore !== undefined && !(ind.chosenScore > ind.points);
  return typeof ind.target === 'number' && typeof ind.actual === 'number' && ind.tier === undefined && ind.chosenScore === undefined;
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
