// The change notice a budget unit reads: one plain-Chinese line per change of a rule-set diff, each with before → after.
import { formatNumber } from '../domain/methods.js';
import type { Condition, DerivedFact, FactDeclaration, IndicatorNode, RuleSetDocument } from '../domain/ruleset.js';
import { walkIndicators } from '../domain/ruleset.js';
import { SCORING_METHODS } from './methods/registry.js';
import { isRateDeclaration, type FactRef, type GoalsSetting, type RuleSetRef, type FactScope, type IndicatorRef, type RuleSetChange, type RuleTarget } from './ruleset-diff.js';

export const NO_DIFFERENCE = '两个版本的评分规则没有差异';

export interface ChangeNotice {
  readonly header: string;
  readonly lines: string[];
}

const OPERATOR_SIGNS: Readonly<Record<string, string>> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: '属于',
  notIn: '不属于',
};

const POLICY_WORDS: Readonly<Record<string, string>> = {
  redistribute: '分值按比例分给同级其他指标',
  rescale: '总分按适用指标折算为百分制',
};

const FACT_TYPE_WORDS: Readonly<Record<string, string>> = { number: '数值', integer: '整数', string: '文字', boolean: '是/否', checklist: '逐项清单' };

const DOCUMENT_FIELD_WORDS: Readonly<Record<string, string>> = {
  title: '规则集名称',
  document: '依据文件',
  issuer: '发布机关',
  provisional: '暂行分值',
  provisionalNote: '暂行分值说明',
};

const FACT_FIELD_WORDS: Readonly<Record<string, string>> = {
  label: '名称',
  type: '类型',
  unit: '计量单位',
  minimum: '最小值',
  exclusiveMinimum: '下限（不含）',
  maximum: '最大值',
  optional: '填报要求',
  enum: '可选档次',
  formula: '计算方法',
};

/** Words for choice values of award fields (反向 variants). */
const CHOICE_WORDS: Readonly<Record<string, string>> = {
  ratio: '目标值 ÷ 实际值 × 分值',
  linear: '（1 − 超出比例）× 分值，超出一倍及以上得 0 分',
};

const TIER_WORDS: Readonly<Record<string, string>> = { achieved: '达成', partial: '部分达成', notAchieved: '未达成' };

const lookup = (record: Readonly<Record<string, string>> | null | undefined, key: string): string | undefined =>
  record != null && Object.hasOwn(record, key) ? record[key] : undefined;

const percent = (v: number): string => `${formatNumber(v * 100)}%`;
const quoted = (s: string): string => `「${s}」`;

function points(v: number | null): string {
  return v === null ? '不设分值' : `${formatNumber(v)} 分`;
}

/** An indicator by name, with its path when it is not on the first level. */
function indicatorText(ref: IndicatorRef): string {
  return ref.path === ref.name ? ref.name : `${ref.name}（${ref.path}）`;
}

/** The indicators using a rule group; a long list is cut short, the count says how many. */
function namesOf(refs: readonly IndicatorRef[]): string {
  if (refs.length === 0) return '暂无指标使用';
  if (refs.length <= 4) return `用于 ${refs.map((r) => r.name).join('、')}`;
  return `用于 ${refs.slice(0, 3).map((r) => r.name).join('、')} 等 ${refs.length} 个指标`;
}

function scopeText(scope: FactScope): string {
  return scope.kind === 'indicator' ? indicatorText(scope.indicator) : `单位自设指标规则组「${scope.name}」（${namesOf(scope.usedBy)}）`;
}

function targetText(target: RuleTarget): string {
  switch (target.kind) {
    case 'indicator':
      return indicatorText(target.indicator);
    case 'ruleGroup':
      return `单位自设指标规则组「${target.name}」（${namesOf(target.usedBy)}）`;
    default:
      return quoted(target.id);
  }
}

function plainValue(v: unknown): string {
  if (v === null || v === undefined) return '（无）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return quoted(v);
  return JSON.stringify(v);
}

/** A condition's value as the unit knows it: rates as percentages, coded values by their labels. */
function conditionValue(fact: FactRef, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => conditionValue(fact, x)).join('、');
  if (typeof v === 'number' && fact.rate) return percent(v);
  if (typeof v === 'string') return quoted(lookup(fact.valueLabels, v) ?? v);
  return plainValue(v);
}

function factName(fact: FactRef): string {
  return fact.label ?? fact.name;
}

function sign(operator: string): string {
  return lookup(OPERATOR_SIGNS, operator) ?? operator;
}

function methodLabel(method: string): string {
  return SCORING_METHODS.get(method)?.label ?? method;
}

const NODES = new WeakMap<RuleSetDocument, Map<string, IndicatorNode>>();

/** A document's indicators by id, walked once per document however many lines need them. */
function nodesOf(doc: RuleSetDocument): Map<string, IndicatorNode> {
  let nodes = NODES.get(doc);
  if (!nodes) {
    nodes = new Map();
    for (const v of walkIndicators(doc.indicators ?? [])) if (!nodes.has(v.node.id)) nodes.set(v.node.id, v.node);
    NODES.set(doc, nodes);
  }
  return nodes;
}

/** Facts visible to a rule applying to `appliesTo` in `doc`, for labels in whole conditions. */
function factsFor(doc: RuleSetDocument, appliesTo: string): (name: string) => FactRef {
  const node = nodesOf(doc).get(appliesTo);
  const group = doc.ruleGroups && Object.hasOwn(doc.ruleGroups, appliesTo) ? doc.ruleGroups[appliesTo] : undefined;
  const facts: Readonly<Record<string, FactDeclaration>> = node?.facts ?? group?.facts ?? {};
  const derived: Readonly<Record<string, DerivedFact>> = node?.derived ?? group?.derived ?? {};
  return (name) => {
    if (Object.hasOwn(facts, name)) {
      const d = facts[name]!;
      return { name, label: d.label, rate: isRateDeclaration(d), valueLabels: d.enumLabels ?? null };
    }
    if (Object.hasOwn(derived, name)) return { name, label: derived[name]!.label, rate: derived[name]!.op === 'ratio', valueLabels: null };
    return { name, label: null, rate: false, valueLabels: null };
  };
}

function conditionText(c: Condition, fact: (name: string) => FactRef): string {
  if ('all' in c) return c.all.length === 1 ? conditionText(c.all[0]!, fact) : c.all.map((x) => conditionText(x, fact)).join(' 且 ');
  if ('any' in c) return c.any.length === 1 ? conditionText(c.any[0]!, fact) : `（${c.any.map((x) => conditionText(x, fact)).join(' 或 ')}）`;
  if ('not' in c) return `并非（${conditionText(c.not, fact)}）`;
  const f = fact(c.fact);
  return `${factName(f)} ${sign(c.operator)} ${conditionValue(f, c.value)}`;
}

function cutPointsText(v: unknown): string {
  if (v === null || v === undefined) return '默认（达成 ≥ 80%、部分达成 ≥ 60%）';
  if (typeof v !== 'object') return plainValue(v);
  const cut = v as Readonly<Record<string, unknown>>;
  return Object.keys(TIER_WORDS)
    .filter((k) => typeof cut[k] === 'number')
    .map((k) => `${TIER_WORDS[k]} ≥ ${percent(cut[k] as number)}`)
    .join('、');
}

function awardFieldValue(change: Extract<RuleSetChange, { kind: 'ruleAwardFieldChanged' }>, v: unknown, fact: (name: string) => FactRef): string {
  if (change.field === 'cutPoints') return cutPointsText(v);
  if (v === null) return '（无）';
  if (change.fieldKind === 'fact' && typeof v === 'string') return quoted(factName(fact(v)));
  if (change.fieldKind === 'choice' && typeof v === 'string') return quoted(lookup(CHOICE_WORDS, v) ?? v);
  if (typeof v === 'number') return change.rate ? percent(v) : formatNumber(v);
  return plainValue(v);
}

function factFieldValue(change: Extract<RuleSetChange, { kind: 'factChanged' }>, v: unknown, enumLabels: Readonly<Record<string, string>> | null): string {
  if (v === null || v === undefined) return change.field === 'optional' ? '必填' : '（无）';
  switch (change.field) {
    case 'type':
      return lookup(FACT_TYPE_WORDS, String(v)) ?? String(v);
    case 'optional':
      return v === true ? '可不填' : '必填';
    case 'enum':
      return (v as readonly string[]).map((x) => quoted(lookup(enumLabels, x) ?? x)).join('、');
    case 'formula': {
      const { op, of } = v as { op: string; of: readonly string[] };
      const join: Readonly<Record<string, string>> = { ratio: ' ÷ ', difference: ' − ', sum: ' + ' };
      if (Object.hasOwn(join, op)) return of.join(join[op]!);
      return `${op === 'checklistUnmet' ? '未满足的要求数' : op === 'checklistDeduction' ? '扣分合计' : op}（${of.join('、')}）`;
    }
    default:
      if (typeof v === 'number') return change.rate ? percent(v) : formatNumber(v);
      return plainValue(v);
  }
}

function lineageText(refs: readonly RuleSetRef[]): string {
  return refs.length === 0 ? '（无，独立制定）' : refs.map((r) => `${r.id} ${r.version}`).join('、');
}

function policyText(policy: string | null): string {
  return policy === null ? '（未规定）' : (lookup(POLICY_WORDS, policy) ?? policy);
}

function goalsText(goals: GoalsSetting | null): string {
  return goals === null ? '不分组' : `最多 ${goals.maxGoals} 个「${goals.label}」`;
}

function fiscalYearsText(y: RuleSetDocument['fiscalYears']): string {
  if (y.to === undefined) return `${y.from} 年起`;
  return y.to === y.from ? `${y.from} 年` : `${y.from}–${y.to} 年`;
}

/** `ruleGroup` names for a slot's rule-group change, from whichever version has the group. */
function groupName(before: RuleSetDocument, after: RuleSetDocument, id: string | null): string {
  if (id === null) return '（无）';
  for (const doc of [after, before]) if (doc.ruleGroups && Object.hasOwn(doc.ruleGroups, id)) return quoted(doc.ruleGroups[id]!.name);
  return quoted(id);
}

function enumLabelsOf(doc: RuleSetDocument, scope: FactScope, fact: string): Readonly<Record<string, string>> | null {
  const facts =
    scope.kind === 'indicator'
      ? nodesOf(doc).get(scope.indicator.id)?.facts
      : doc.ruleGroups && Object.hasOwn(doc.ruleGroups, scope.id)
        ? doc.ruleGroups[scope.id]!.facts
        : undefined;
  return facts && Object.hasOwn(facts, fact) ? (facts[fact]!.enumLabels ?? null) : null;
}

function changeLine(before: RuleSetDocument, after: RuleSetDocument, c: RuleSetChange): string {
  switch (c.kind) {
    case 'documentFieldChanged':
      return `${DOCUMENT_FIELD_WORDS[c.field]}：${plainValue(c.from)} → ${plainValue(c.to)}`;
    case 'basedOnChanged':
      return `所依据的规则集：${lineageText(c.from)} → ${lineageText(c.to)}`;
    case 'fiscalYearsChanged':
      return `适用年度：${fiscalYearsText(c.from)} → ${fiscalYearsText(c.to)}`;
    case 'totalChanged':
      return `总分：${formatNumber(c.from)} → ${formatNumber(c.to)} 分`;
    case 'roundingChanged':
      return `得分保留小数位数：${c.from.decimals} 位 → ${c.to.decimals} 位`;
    case 'notApplicablePolicyChanged':
      return `不适用指标的处理：${policyText(c.from)} → ${policyText(c.to)}`;
    case 'gradeBandAdded':
      return `等级「${c.band.name}」（${c.band.label}）：新增，下限 ${formatNumber(c.band.min)} 分`;
    case 'gradeBandRemoved':
      return `等级「${c.band.name}」（${c.band.label}）：删除（原下限 ${formatNumber(c.band.min)} 分）`;
    case 'gradeBandMinChanged':
      return `等级「${c.band.name}」（${c.band.label}）：下限 ${formatNumber(c.from)} → ${formatNumber(c.to)} 分`;
    case 'gradeBandNameChanged':
      return `等级（${c.band.label}）：等级名称「${c.from}」 → 「${c.to}」`;
    case 'gradeBandLabelChanged':
      return `等级「${c.band.name}」：显示名称「${c.from}」 → 「${c.to}」`;
    case 'indicatorAdded':
      return `新增指标 ${indicatorText(c.indicator)}：${points(c.points)}${c.descendants.length > 0 ? `，下设 ${c.descendants.join('、')}` : ''}`;
    case 'indicatorRemoved':
      return `删除指标 ${indicatorText(c.indicator)}（原 ${points(c.points)}${c.descendants.length > 0 ? `，下设 ${c.descendants.join('、')}` : ''}）`;
    case 'indicatorRenamed':
      return `${indicatorText(c.indicator)}：指标名称「${c.from}」 → 「${c.to}」`;
    case 'indicatorPointsChanged':
      return `${indicatorText(c.indicator)}：分值 ${c.from === null ? '不设分值' : formatNumber(c.from)} → ${points(c.to)}`;
    case 'indicatorMoved':
      return `${c.indicator.name}：所属上级指标 ${c.from === '' ? '（第一级）' : c.from} → ${c.to === '' ? '（第一级）' : c.to}`;
    case 'indicatorDescriptionChanged':
      return `${indicatorText(c.indicator)}：评分说明 ${plainValue(c.from)} → ${plainValue(c.to)}`;
    case 'indicatorUnitSplitChanged':
      return `${indicatorText(c.indicator)}：分值由单位在各维度间分配 ${c.from ? '是' : '否'} → ${c.to ? '是' : '否'}`;
    case 'indicatorGoalsChanged':
      return `${indicatorText(c.indicator)}：三级指标按${c.to?.label ?? c.from?.label ?? '年度绩效目标'}分组 ${goalsText(c.from)} → ${goalsText(c.to)}`;
    case 'indicatorRuleGroupChanged':
      return `${indicatorText(c.indicator)}：单位自设指标的计分规则组 ${groupName(before, after, c.from)} → ${groupName(before, after, c.to)}`;
    case 'checklistRequirementAdded':
      return `${indicatorText(c.indicator)}：新增评分要求「${c.requirement.requirement}」，未满足扣 ${formatNumber(c.requirement.deduction)} 分`;
    case 'checklistRequirementRemoved':
      return `${indicatorText(c.indicator)}：删除评分要求「${c.requirement.requirement}」（原未满足扣 ${formatNumber(c.requirement.deduction)} 分）`;
    case 'checklistDeductionChanged':
      return `${indicatorText(c.indicator)}：要求「${c.requirement.requirement}」未满足时扣分 ${formatNumber(c.from)} → ${formatNumber(c.to)} 分`;
    case 'checklistRequirementTextChanged':
      return `${indicatorText(c.indicator)}：评分要求「${c.from}」 → 「${c.to}」`;
    case 'factAdded':
      return `${scopeText(c.scope)}：新增填报项「${c.label}」`;
    case 'factRemoved':
      return `${scopeText(c.scope)}：删除填报项「${c.label}」`;
    case 'factChanged': {
      if (c.field === 'enumLabel') return `${scopeText(c.scope)}：填报项「${c.label}」的档次名称「${c.from as string}」 → 「${c.to as string}」`;
      const what = FACT_FIELD_WORDS[c.field];
      const labelsA = enumLabelsOf(before, c.scope, c.fact);
      const labelsB = enumLabelsOf(after, c.scope, c.fact);
      return `${scopeText(c.scope)}：填报项「${c.label}」的${what} ${factFieldValue(c, c.from, labelsA)} → ${factFieldValue(c, c.to, labelsB)}`;
    }
    case 'ruleGroupAdded':
      return `新增单位自设指标规则组「${c.group.name}」（${namesOf(c.usedBy)}）`;
    case 'ruleGroupRemoved':
      return `删除单位自设指标规则组「${c.group.name}」（原${namesOf(c.usedBy)}）`;
    case 'ruleGroupRenamed':
      return `单位自设指标规则组名称「${c.from}」 → 「${c.to}」`;
    default:
      return ruleLine(before, after, c);
  }
}

type RuleChange = Extract<RuleSetChange, { rule: string }>;

function ruleLine(before: RuleSetDocument, after: RuleSetDocument, c: RuleChange): string {
  const shared = c.sharedGroup;
  const subject = shared ? `规则组「${shared.name}」（用于 ${shared.indicators.map((i) => i.name).join('、') || '—'}）` : targetText(c.target);
  // the rules of a shared group may each test their own leaf's fact
  const factText = (fact: FactRef) => (shared && shared.facts.length > 1 ? shared.facts.join('／') : factName(fact));
  const rule = shared && shared.rules.length > 1 ? `${shared.rules.length} 条规则（${c.case}）` : `规则 ${c.rule}（${c.case}）`;
  const targetId = c.target.kind === 'indicator' ? c.target.indicator.id : c.target.id;
  // a removed rule's facts are those of the version it was in
  const factAfter = factsFor(c.kind === 'ruleRemoved' ? before : after, targetId);
  switch (c.kind) {
    case 'ruleAdded':
      return `${subject}：新增计分规则 ${c.rule}（${c.case}），按「${methodLabel(c.award.method)}」计分`;
    case 'ruleRemoved':
      return `${subject}：删除计分规则 ${c.rule}（${c.case}）`;
    case 'ruleTargetChanged':
      return `${rule}：适用对象 ${targetText(c.from)} → ${targetText(c.to)}`;
    case 'ruleThresholdChanged':
      if (c.boundary) {
        return `${subject}：分档界限 ${factText(c.fact)} ${conditionValue(c.fact, c.from)} → ${conditionValue(c.fact, c.to)}（规则 ${c.boundary.rules.join('、')}）`;
      }
      return `${subject}：${rule}的条件 ${factText(c.fact)} ${sign(c.operator)} ${conditionValue(c.fact, c.from)} → ${sign(c.operator)} ${conditionValue(c.fact, c.to)}`;
    case 'ruleOperatorChanged':
      return `${subject}：${rule}的条件 ${factText(c.fact)} ${sign(c.from.operator)} ${conditionValue(c.fact, c.from.value)} → ${sign(c.to.operator)} ${conditionValue(c.fact, c.to.value)}`;
    case 'ruleConditionsChanged': {
      const fromTarget = before.rules.find((r) => r.name === c.rule)?.event.params.appliesTo;
      const factBefore = fromTarget !== undefined ? factsFor(before, fromTarget) : factAfter;
      return `${subject}：${rule}的适用条件 ${conditionText(c.from, factBefore)} → ${conditionText(c.to, factAfter)}`;
    }
    case 'ruleMethodChanged':
      return `${subject}：${rule}的计分方法「${methodLabel(c.from.method)}」 → 「${methodLabel(c.to.method)}」`;
    case 'ruleAwardFieldChanged':
      return `${subject}：${rule}的${c.fieldLabel} ${awardFieldValue(c, c.from, factAfter)} → ${awardFieldValue(c, c.to, factAfter)}`;
    case 'ruleCaseChanged':
      return `${subject}：${shared && shared.rules.length > 1 ? `${shared.rules.length} 条规则` : `规则 ${c.rule} `}的情形名称「${c.from}」 → 「${c.to}」`;
    case 'ruleExplanationChanged':
      return `${subject}：${rule}的得分说明「${c.from}」 → 「${c.to}」`;
    case 'rulePriorityChanged':
      return `${subject}：${rule}的优先级 ${c.from ?? '默认'} → ${c.to ?? '默认'}`;
  }
}

/** The notice: a header naming the versions compared, then one line per change (or one line saying there is none). */
export function renderChangeNotice(before: RuleSetDocument, after: RuleSetDocument, changes: readonly RuleSetChange[]): ChangeNotice {
  const to = after.id === before.id ? after.version : `${after.id} ${after.version}`;
  const count = changes.length === 0 ? '没有变化' : `共 ${changes.length} 处变化`;
  // no arrow here: every line with an arrow is a change
  const header = `评分规则变更通知：${after.title}。旧版本 ${before.id} ${before.version}，新版本 ${to}，${count}。`;
  return { header, lines: changes.length === 0 ? [NO_DIFFERENCE] : changes.map((c) => changeLine(before, after, c)) };
}
