// Structural diff of two rule-set versions, as data: grades and top-level settings, the indicator tree, rule groups and
// rules, each change with its JSON locations and the Chinese name path of the indicator it concerns.
import { canonicalJson } from '../domain/canonical.js';
import { childPath } from '../domain/errors.js';
import type { GradeBand } from '../domain/grades.js';
import type { ChecklistRequirement } from '../domain/methods.js';
import {
  walkIndicators,
  type Award,
  type Condition,
  type DerivedFact,
  type FactDeclaration,
  type IndicatorNode,
  type NodeVisit,
  type RuleSetDocument,
  type ScoringRule,
} from '../domain/ruleset.js';
import { fieldsOf } from './methods/method.js';
import { SCORING_METHODS } from './methods/registry.js';

/** Joins an indicator's name path: 决策／项目立项／论证决策. */
export const NAME_PATH_SEPARATOR = '／';

/** Where the changed thing sits in each version (JSON paths); null on the side where it does not exist. */
export interface ChangeLocation {
  readonly before: string | null;
  readonly after: string | null;
}

export interface IndicatorRef {
  readonly id: string;
  readonly name: string;
  /** names from the first level down, joined with ／ */
  readonly path: string;
}

/** What a rule applies to: a leaf, or a rule group of unit-written indicators with the places using it. */
export type RuleTarget =
  | { readonly kind: 'indicator'; readonly indicator: IndicatorRef }
  | { readonly kind: 'ruleGroup'; readonly id: string; readonly name: string; readonly usedBy: readonly IndicatorRef[] }
  | { readonly kind: 'unknown'; readonly id: string };

/** Where a fact is declared. */
export type FactScope =
  | { readonly kind: 'indicator'; readonly indicator: IndicatorRef }
  | { readonly kind: 'ruleGroup'; readonly id: string; readonly name: string; readonly usedBy: readonly IndicatorRef[] };

/** A fact as a condition or an award uses it. */
export interface FactRef {
  readonly name: string;
  /** its label, or null when the scope does not declare it */
  readonly label: string | null;
  /** a rate (a ratio, or a number within [0, 1]): shown as a percentage */
  readonly rate: boolean;
  /** labels of its values (enumLabels), for string facts that have them */
  readonly valueLabels: Readonly<Record<string, string>> | null;
}

/** Rules expanded from one shared, parametrised rule group: a change they all share is reported once. */
export interface SharedGroupRef {
  readonly id: string;
  readonly name: string;
  /** the indicators whose rules carry the change */
  readonly indicators: readonly IndicatorRef[];
  /** the rules that carry it, in file order */
  readonly rules: readonly string[];
  /** labels (or names) of the facts their conditions test, when the change is in a condition */
  readonly facts: readonly string[];
}

export interface FactCondition {
  readonly operator: string;
  readonly value: unknown;
}

export interface RuleSetRef {
  readonly id: string;
  readonly version: string;
}

/** The rule sets a resolved extension was built on (`basedOn`, newer than some documents: read defensively). */
function basedOnOf(doc: RuleSetDocument): RuleSetRef[] {
  const value = Object.hasOwn(doc, 'basedOn') ? (doc as unknown as { basedOn: unknown }).basedOn : undefined;
  if (!Array.isArray(value)) return [];
  return value.flatMap((x: unknown) => {
    const { id, version } = (x ?? {}) as { id?: unknown; version?: unknown };
    return typeof id === 'string' && typeof version === 'string' ? [{ id, version }] : [];
  });
}

/** A node's grouping of the unit's indicators under its annual performance goals. */
export interface GoalsSetting {
  readonly label: string;
  readonly maxGoals: number;
}

type FactField = 'label' | 'type' | 'unit' | 'minimum' | 'exclusiveMinimum' | 'maximum' | 'enum' | 'enumLabel' | 'optional' | 'formula';

interface Base {
  readonly location: ChangeLocation;
  /** the Chinese name path of the indicator concerned (a rule group's name for its facts), null for the rule set as a whole */
  readonly indicatorPath: string | null;
}

interface RuleBase extends Base {
  readonly rule: string;
  readonly target: RuleTarget;
  /** the case label (after the change, if it exists then) */
  readonly case: string;
  /** present when the rule comes from a shared rule group */
  readonly sharedGroup?: SharedGroupRef;
}

export type RuleSetChange =
  | (Base & { readonly kind: 'documentFieldChanged'; readonly field: 'title' | 'document' | 'issuer' | 'provisional' | 'provisionalNote'; readonly from: unknown; readonly to: unknown })
  | (Base & { readonly kind: 'basedOnChanged'; readonly from: readonly RuleSetRef[]; readonly to: readonly RuleSetRef[] })
  | (Base & { readonly kind: 'fiscalYearsChanged'; readonly from: RuleSetDocument['fiscalYears']; readonly to: RuleSetDocument['fiscalYears'] })
  | (Base & { readonly kind: 'totalChanged'; readonly from: number; readonly to: number })
  | (Base & { readonly kind: 'roundingChanged'; readonly from: RuleSetDocument['rounding']; readonly to: RuleSetDocument['rounding'] })
  | (Base & { readonly kind: 'notApplicablePolicyChanged'; readonly from: string | null; readonly to: string | null })
  | (Base & { readonly kind: 'gradeBandAdded'; readonly band: GradeBand })
  | (Base & { readonly kind: 'gradeBandRemoved'; readonly band: GradeBand })
  | (Base & { readonly kind: 'gradeBandMinChanged'; readonly band: GradeBand; readonly from: number; readonly to: number })
  | (Base & { readonly kind: 'gradeBandNameChanged'; readonly band: GradeBand; readonly from: string; readonly to: string })
  | (Base & { readonly kind: 'gradeBandLabelChanged'; readonly band: GradeBand; readonly from: string; readonly to: string })
  | (Base & { readonly kind: 'indicatorAdded'; readonly indicator: IndicatorRef; readonly points: number | null; readonly descendants: readonly string[] })
  | (Base & { readonly kind: 'indicatorRemoved'; readonly indicator: IndicatorRef; readonly points: number | null; readonly descendants: readonly string[] })
  | (Base & { readonly kind: 'indicatorRenamed'; readonly indicator: IndicatorRef; readonly from: string; readonly to: string })
  | (Base & { readonly kind: 'indicatorPointsChanged'; readonly indicator: IndicatorRef; readonly from: number | null; readonly to: number | null })
  | (Base & { readonly kind: 'indicatorMoved'; readonly indicator: IndicatorRef; readonly from: string; readonly to: string })
  | (Base & { readonly kind: 'indicatorDescriptionChanged'; readonly indicator: IndicatorRef; readonly from: string | null; readonly to: string | null })
  | (Base & { readonly kind: 'indicatorUnitSplitChanged'; readonly indicator: IndicatorRef; readonly from: boolean; readonly to: boolean })
  | (Base & { readonly kind: 'indicatorGoalsChanged'; readonly indicator: IndicatorRef; readonly from: GoalsSetting | null; readonly to: GoalsSetting | null })
  | (Base & { readonly kind: 'indicatorRuleGroupChanged'; readonly indicator: IndicatorRef; readonly from: string | null; readonly to: string | null })
  | (Base & { readonly kind: 'checklistRequirementAdded'; readonly indicator: IndicatorRef; readonly requirement: ChecklistRequirement })
  | (Base & { readonly kind: 'checklistRequirementRemoved'; readonly indicator: IndicatorRef; readonly requirement: ChecklistRequirement })
  | (Base & { readonly kind: 'checklistDeductionChanged'; readonly indicator: IndicatorRef; readonly requirement: ChecklistRequirement; readonly from: number; readonly to: number })
  | (Base & { readonly kind: 'checklistRequirementTextChanged'; readonly indicator: IndicatorRef; readonly requirementId: string; readonly from: string; readonly to: string })
  | (Base & { readonly kind: 'factAdded'; readonly scope: FactScope; readonly fact: string; readonly label: string })
  | (Base & { readonly kind: 'factRemoved'; readonly scope: FactScope; readonly fact: string; readonly label: string })
  | (Base & {
      readonly kind: 'factChanged';
      readonly scope: FactScope;
      readonly fact: string;
      readonly label: string;
      readonly field: FactField;
      /** the value whose label changed (field enumLabel) */
      readonly key?: string;
      readonly rate: boolean;
      readonly from: unknown;
      readonly to: unknown;
    })
  | (Base & { readonly kind: 'ruleGroupAdded'; readonly group: { readonly id: string; readonly name: string }; readonly usedBy: readonly IndicatorRef[] })
  | (Base & { readonly kind: 'ruleGroupRemoved'; readonly group: { readonly id: string; readonly name: string }; readonly usedBy: readonly IndicatorRef[] })
  | (Base & { readonly kind: 'ruleGroupRenamed'; readonly group: { readonly id: string; readonly name: string }; readonly from: string; readonly to: string })
  | (RuleBase & { readonly kind: 'ruleAdded'; readonly award: Award })
  | (RuleBase & { readonly kind: 'ruleRemoved'; readonly award: Award })
  | (RuleBase & { readonly kind: 'ruleTargetChanged'; readonly from: RuleTarget; readonly to: RuleTarget })
  | (RuleBase & {
      readonly kind: 'ruleThresholdChanged';
      readonly fact: FactRef;
      readonly operator: string;
      readonly from: unknown;
      readonly to: unknown;
      /** a band boundary: the rules of one indicator whose condition on this fact moved from the same value to the same value (e.g. met ≥ 1 and short < 1) */
      readonly boundary?: { readonly rules: readonly string[] };
    })
  | (RuleBase & { readonly kind: 'ruleOperatorChanged'; readonly fact: FactRef; readonly from: FactCondition; readonly to: FactCondition })
  | (RuleBase & { readonly kind: 'ruleConditionsChanged'; readonly from: Condition; readonly to: Condition })
  | (RuleBase & { readonly kind: 'ruleMethodChanged'; readonly from: Award; readonly to: Award })
  | (RuleBase & {
      readonly kind: 'ruleAwardFieldChanged';
      readonly method: string;
      readonly field: string;
      /** the method's label for the field, or the field name for one the method does not declare */
      readonly fieldLabel: string;
      readonly fieldKind: 'fact' | 'number' | 'choice' | 'object' | 'unknown';
      readonly rate: boolean;
      readonly from: unknown;
      readonly to: unknown;
    })
  | (RuleBase & { readonly kind: 'ruleCaseChanged'; readonly from: string; readonly to: string })
  | (RuleBase & { readonly kind: 'ruleExplanationChanged'; readonly from: string; readonly to: string })
  | (RuleBase & { readonly kind: 'rulePriorityChanged'; readonly from: number | null; readonly to: number | null });

export type RuleSetChangeKind = RuleSetChange['kind'];

const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;

const at = (before: string | null, after: string | null): ChangeLocation => ({ before, after });

/** One version's indicator tree, rule groups and rules, indexed for look-ups by id (ids are data: Maps). */
class VersionIndex {
  readonly visits: readonly NodeVisit[];
  readonly byId = new Map<string, NodeVisit>();

  constructor(readonly doc: RuleSetDocument) {
    this.visits = walkIndicators(doc.indicators ?? []);
    for (const v of this.visits) if (!this.byId.has(v.node.id)) this.byId.set(v.node.id, v);
  }

  ref(v: NodeVisit): IndicatorRef {
    return { id: v.node.id, name: v.node.name, path: v.namePath.join(NAME_PATH_SEPARATOR) };
  }

  parentPath(v: NodeVisit): string {
    return v.namePath.slice(0, -1).join(NAME_PATH_SEPARATOR);
  }

  group(id: string) {
    return own(this.doc.ruleGroups, id);
  }

  /** the places for unit-written indicators that use rule group `id`, in tree order */
  usersOf(id: string): IndicatorRef[] {
    return this.visits.filter((v) => v.node.unitIndicators?.ruleGroup === id).map((v) => this.ref(v));
  }

  target(appliesTo: string): RuleTarget {
    const leaf = this.byId.get(appliesTo);
    if (leaf) return { kind: 'indicator', indicator: this.ref(leaf) };
    const group = this.group(appliesTo);
    if (group) return { kind: 'ruleGroup', id: appliesTo, name: group.name, usedBy: this.usersOf(appliesTo) };
    return { kind: 'unknown', id: appliesTo };
  }

  /** facts and derived facts in the scope a rule applying to `appliesTo` sees */
  factScope(appliesTo: string): { facts?: Readonly<Record<string, FactDeclaration>>; derived?: Readonly<Record<string, DerivedFact>> } {
    const leaf = this.byId.get(appliesTo);
    if (leaf) return { facts: leaf.node.facts, derived: leaf.node.derived };
    const group = this.group(appliesTo);
    return group ? { facts: group.facts, derived: group.derived } : {};
  }

  factRef(appliesTo: string, name: string): FactRef {
    const scope = this.factScope(appliesTo);
    const declared = own(scope.facts, name);
    if (declared) return { name, label: declared.label, rate: isRateDeclaration(declared), valueLabels: declared.enumLabels ?? null };
    const derived = own(scope.derived, name);
    if (derived) return { name, label: derived.label, rate: derived.op === 'ratio', valueLabels: null };
    return { name, label: null, rate: false, valueLabels: null };
  }
}

/** A number confined to [0, 1] is a rate (满意度 0.9 = 90%). */
export function isRateDeclaration(d: FactDeclaration): boolean {
  const lower = d.minimum ?? d.exclusiveMinimum;
  return (d.type === 'number' || d.type === 'integer') && d.maximum !== undefined && d.maximum <= 1 && lower !== undefined && lower >= 0;
}

function indicatorPathOf(target: RuleTarget): string | null {
  switch (target.kind) {
    case 'indicator':
      return target.indicator.path;
    case 'ruleGroup':
      return target.name;
    default:
      return null;
  }
}

/** The shared rule group a rule was expanded from, read defensively: the property is newer than some documents. */
function sharedGroupOf(rule: ScoringRule | undefined): { id: string; name: string } | undefined {
  if (rule === undefined || !Object.hasOwn(rule, 'sharedGroup')) return undefined;
  const value = (rule as unknown as { sharedGroup: unknown }).sharedGroup;
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, name } = value as { id?: unknown; name?: unknown };
  return typeof id === 'string' ? { id, name: typeof name === 'string' ? name : id } : undefined;
}

// ---- top level and grades

const DOCUMENT_FIELDS = ['title', 'document', 'issuer', 'provisional', 'provisionalNote'] as const;

function diffTopLevel(a: RuleSetDocument, b: RuleSetDocument, out: RuleSetChange[]): void {
  const top = (key: string) => at(`$.${key}`, `$.${key}`);
  for (const field of DOCUMENT_FIELDS) {
    if (!same(a[field], b[field])) {
      out.push({ kind: 'documentFieldChanged', field, from: a[field] ?? null, to: b[field] ?? null, location: top(field), indicatorPath: null });
    }
  }
  const basedOnA = basedOnOf(a);
  const basedOnB = basedOnOf(b);
  if (!same(basedOnA, basedOnB)) out.push({ kind: 'basedOnChanged', from: basedOnA, to: basedOnB, location: top('basedOn'), indicatorPath: null });
  if (!same(a.fiscalYears, b.fiscalYears)) out.push({ kind: 'fiscalYearsChanged', from: a.fiscalYears, to: b.fiscalYears, location: top('fiscalYears'), indicatorPath: null });
  if (a.total !== b.total) out.push({ kind: 'totalChanged', from: a.total, to: b.total, location: top('total'), indicatorPath: null });
  if (!same(a.rounding, b.rounding)) out.push({ kind: 'roundingChanged', from: a.rounding, to: b.rounding, location: top('rounding'), indicatorPath: null });
  if (a.notApplicable?.policy !== b.notApplicable?.policy) {
    out.push({ kind: 'notApplicablePolicyChanged', from: a.notApplicable?.policy ?? null, to: b.notApplicable?.policy ?? null, location: top('notApplicable.policy'), indicatorPath: null });
  }
}

function diffGrades(a: readonly GradeBand[], b: readonly GradeBand[], out: RuleSetChange[]): void {
  // bands are matched by code; a band whose code changed is matched by its name (优/良/中/差)
  const matchOf = new Map<number, number>();
  const taken = new Set<number>();
  b.forEach((band, j) => {
    const i = a.findIndex((x, k) => !taken.has(k) && x.code === band.code);
    if (i >= 0) {
      matchOf.set(j, i);
      taken.add(i);
    }
  });
  b.forEach((band, j) => {
    if (matchOf.has(j)) return;
    const i = a.findIndex((x, k) => !taken.has(k) && x.name === band.name);
    if (i >= 0) {
      matchOf.set(j, i);
      taken.add(i);
    }
  });
  b.forEach((band, j) => {
    const after = `$.grades[${j}]`;
    const i = matchOf.get(j);
    if (i === undefined) {
      out.push({ kind: 'gradeBandAdded', band, location: at(null, after), indicatorPath: null });
      return;
    }
    const old = a[i]!;
    const before = `$.grades[${i}]`;
    if (old.name !== band.name) out.push({ kind: 'gradeBandNameChanged', band, from: old.name, to: band.name, location: at(`${before}.name`, `${after}.name`), indicatorPath: null });
    if (old.label !== band.label) out.push({ kind: 'gradeBandLabelChanged', band, from: old.label, to: band.label, location: at(`${before}.label`, `${after}.label`), indicatorPath: null });
    if (old.min !== band.min) out.push({ kind: 'gradeBandMinChanged', band, from: old.min, to: band.min, location: at(`${before}.min`, `${after}.min`), indicatorPath: null });
  });
  a.forEach((band, i) => {
    if (!taken.has(i)) out.push({ kind: 'gradeBandRemoved', band, location: at(`$.grades[${i}]`, null), indicatorPath: null });
  });
}

// ---- facts (of a leaf or of a rule group)

function diffFacts(
  scope: FactScope,
  indicatorPath: string,
  a: { facts?: Readonly<Record<string, FactDeclaration>>; derived?: Readonly<Record<string, DerivedFact>> },
  b: typeof a,
  baseA: string,
  baseB: string,
  out: RuleSetChange[],
): void {
  const facts = (x: typeof a) => Object.keys(x.facts ?? {});
  const deriveds = (x: typeof a) => Object.keys(x.derived ?? {});
  const push = (c: Omit<Extract<RuleSetChange, { kind: 'factChanged' }>, 'kind' | 'scope' | 'indicatorPath'>) =>
    out.push({ kind: 'factChanged', scope, indicatorPath, ...c });

  for (const name of facts(b)) {
    const nb = own(b.facts, name)!;
    const locB = childPath(`${baseB}.facts`, name);
    const na = own(a.facts, name);
    if (!na) {
      out.push({ kind: 'factAdded', scope, fact: name, label: nb.label, location: at(null, locB), indicatorPath });
      continue;
    }
    const locA = childPath(`${baseA}.facts`, name);
    const rate = isRateDeclaration(nb) || isRateDeclaration(na);
    for (const field of ['label', 'type', 'unit', 'minimum', 'exclusiveMinimum', 'maximum', 'optional', 'enum'] as const) {
      if (!same(na[field], nb[field])) {
        push({ fact: name, label: nb.label, field, rate, from: na[field] ?? null, to: nb[field] ?? null, location: at(`${locA}.${field}`, `${locB}.${field}`) });
      }
    }
    // tier labels: one change per value whose label changed (values added or removed show in `enum`)
    const la = na.enumLabels ?? {};
    const lb = nb.enumLabels ?? {};
    for (const key of Object.keys(lb)) {
      const from = own(la, key);
      if (from !== undefined && from !== lb[key]) {
        push({
          fact: name,
          label: nb.label,
          field: 'enumLabel',
          key,
          rate: false,
          from,
          to: lb[key],
          location: at(childPath(`${locA}.enumLabels`, key), childPath(`${locB}.enumLabels`, key)),
        });
      }
    }
  }
  for (const name of facts(a)) {
    if (own(b.facts, name) === undefined) {
      out.push({ kind: 'factRemoved', scope, fact: name, label: own(a.facts, name)!.label, location: at(childPath(`${baseA}.facts`, name), null), indicatorPath });
    }
  }
  for (const name of deriveds(b)) {
    const db = own(b.derived, name)!;
    const locB = childPath(`${baseB}.derived`, name);
    const da = own(a.derived, name);
    if (!da) {
      out.push({ kind: 'factAdded', scope, fact: name, label: db.label, location: at(null, locB), indicatorPath });
      continue;
    }
    const locA = childPath(`${baseA}.derived`, name);
    if (da.label !== db.label) push({ fact: name, label: db.label, field: 'label', rate: false, from: da.label, to: db.label, location: at(`${locA}.label`, `${locB}.label`) });
    if (da.op !== db.op || !same(da.of, db.of)) {
      push({ fact: name, label: db.label, field: 'formula', rate: false, from: { op: da.op, of: da.of }, to: { op: db.op, of: db.of }, location: at(locA, locB) });
    }
  }
  for (const name of deriveds(a)) {
    if (own(b.derived, name) === undefined) {
      out.push({ kind: 'factRemoved', scope, fact: name, label: own(a.derived, name)!.label, location: at(childPath(`${baseA}.derived`, name), null), indicatorPath });
    }
  }
}

// ---- indicators

/** A node property newer than some documents (unitSplit, goals), read defensively. */
function nodeSetting(node: IndicatorNode, key: string): unknown {
  return Object.hasOwn(node, key) ? (node as unknown as Readonly<Record<string, unknown>>)[key] : undefined;
}

function goalsOf(node: IndicatorNode): GoalsSetting | null {
  const goals = nodeSetting(node, 'goals');
  if (typeof goals !== 'object' || goals === null) return null;
  const { label, maxGoals } = goals as { label?: unknown; maxGoals?: unknown };
  return typeof label === 'string' && typeof maxGoals === 'number' ? { label, maxGoals } : null;
}

function descendantsOf(node: IndicatorNode): string[] {
  return (node.children ?? []).flatMap((c) => [c.name, ...descendantsOf(c)]);
}

function diffChecklist(
  indicator: IndicatorRef,
  a: readonly ChecklistRequirement[],
  b: readonly ChecklistRequirement[],
  baseA: string,
  baseB: string,
  out: RuleSetChange[],
): void {
  const indicatorPath = indicator.path;
  b.forEach((req, j) => {
    const locB = `${baseB}.checklist[${j}]`;
    const i = a.findIndex((r) => r.id === req.id);
    if (i < 0) {
      out.push({ kind: 'checklistRequirementAdded', indicator, requirement: req, location: at(null, locB), indicatorPath });
      return;
    }
    const old = a[i]!;
    const locA = `${baseA}.checklist[${i}]`;
    if (old.requirement !== req.requirement) {
      out.push({ kind: 'checklistRequirementTextChanged', indicator, requirementId: req.id, from: old.requirement, to: req.requirement, location: at(`${locA}.requirement`, `${locB}.requirement`), indicatorPath });
    }
    if (old.deduction !== req.deduction) {
      out.push({ kind: 'checklistDeductionChanged', indicator, requirement: req, from: old.deduction, to: req.deduction, location: at(`${locA}.deduction`, `${locB}.deduction`), indicatorPath });
    }
  });
  a.forEach((req, i) => {
    if (!b.some((r) => r.id === req.id)) out.push({ kind: 'checklistRequirementRemoved', indicator, requirement: req, location: at(`${baseA}.checklist[${i}]`, null), indicatorPath });
  });
}

function diffIndicators(A: VersionIndex, B: VersionIndex, out: RuleSetChange[]): void {
  for (const vb of B.visits) {
    if (B.byId.get(vb.node.id) !== vb) continue; // a repeated id (refused by the checks) is compared once
    const va = A.byId.get(vb.node.id);
    const indicator = B.ref(vb);
    const indicatorPath = indicator.path;
    if (!va) {
      // a new group brings its children: one change for the group
      const parentIsNew = vb.parentId !== null && !A.byId.has(vb.parentId);
      if (!parentIsNew) {
        out.push({ kind: 'indicatorAdded', indicator, points: vb.node.points ?? null, descendants: descendantsOf(vb.node), location: at(null, vb.location), indicatorPath });
      }
      continue;
    }
    const a = va.node;
    const b = vb.node;
    if (a.name !== b.name) out.push({ kind: 'indicatorRenamed', indicator, from: a.name, to: b.name, location: at(`${va.location}.name`, `${vb.location}.name`), indicatorPath });
    if (va.parentId !== vb.parentId) {
      out.push({ kind: 'indicatorMoved', indicator, from: A.parentPath(va), to: B.parentPath(vb), location: at(va.location, vb.location), indicatorPath });
    }
    if (a.points !== b.points) {
      out.push({ kind: 'indicatorPointsChanged', indicator, from: a.points ?? null, to: b.points ?? null, location: at(`${va.location}.points`, `${vb.location}.points`), indicatorPath });
    }
    if ((a.description ?? null) !== (b.description ?? null)) {
      out.push({ kind: 'indicatorDescriptionChanged', indicator, from: a.description ?? null, to: b.description ?? null, location: at(`${va.location}.description`, `${vb.location}.description`), indicatorPath });
    }
    const splitA = nodeSetting(a, 'unitSplit') === true;
    const splitB = nodeSetting(b, 'unitSplit') === true;
    if (splitA !== splitB) {
      out.push({ kind: 'indicatorUnitSplitChanged', indicator, from: splitA, to: splitB, location: at(`${va.location}.unitSplit`, `${vb.location}.unitSplit`), indicatorPath });
    }
    const goalsA = goalsOf(a);
    const goalsB = goalsOf(b);
    if (!same(goalsA, goalsB)) {
      out.push({ kind: 'indicatorGoalsChanged', indicator, from: goalsA, to: goalsB, location: at(`${va.location}.goals`, `${vb.location}.goals`), indicatorPath });
    }
    const ga = a.unitIndicators?.ruleGroup ?? null;
    const gb = b.unitIndicators?.ruleGroup ?? null;
    if (ga !== gb) {
      out.push({ kind: 'indicatorRuleGroupChanged', indicator, from: ga, to: gb, location: at(`${va.location}.unitIndicators`, `${vb.location}.unitIndicators`), indicatorPath });
    }
    diffChecklist(indicator, a.checklist ?? [], b.checklist ?? [], va.location, vb.location, out);
    diffFacts({ kind: 'indicator', indicator }, indicatorPath, a, b, va.location, vb.location, out);
  }
  for (const va of A.visits) {
    if (A.byId.get(va.node.id) !== va || B.byId.has(va.node.id)) continue;
    if (va.parentId !== null && !B.byId.has(va.parentId)) continue; // reported with its removed parent
    const indicator = A.ref(va);
    out.push({ kind: 'indicatorRemoved', indicator, points: va.node.points ?? null, descendants: descendantsOf(va.node), location: at(va.location, null), indicatorPath: indicator.path });
  }
}

// ---- rule groups

function diffRuleGroups(A: VersionIndex, B: VersionIndex, out: RuleSetChange[]): void {
  const ga = A.doc.ruleGroups ?? {};
  const gb = B.doc.ruleGroups ?? {};
  for (const id of Object.keys(gb)) {
    const b = own(gb, id)!;
    const locB = childPath('$.ruleGroups', id);
    const a = own(ga, id);
    if (!a) {
      out.push({ kind: 'ruleGroupAdded', group: { id, name: b.name }, usedBy: B.usersOf(id), location: at(null, locB), indicatorPath: b.name });
      continue;
    }
    const locA = childPath('$.ruleGroups', id);
    if (a.name !== b.name) out.push({ kind: 'ruleGroupRenamed', group: { id, name: b.name }, from: a.name, to: b.name, location: at(`${locA}.name`, `${locB}.name`), indicatorPath: b.name });
    diffFacts({ kind: 'ruleGroup', id, name: b.name, usedBy: B.usersOf(id) }, b.name, a, b, locA, locB, out);
  }
  for (const id of Object.keys(ga)) {
    if (own(gb, id) === undefined) {
      const a = own(ga, id)!;
      out.push({ kind: 'ruleGroupRemoved', group: { id, name: a.name }, usedBy: A.usersOf(id), location: at(childPath('$.ruleGroups', id), null), indicatorPath: a.name });
    }
  }
}

// ---- rules

interface FlatCondition {
  readonly location: string;
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
}

/** The fact conditions in order, and the shape of the condition tree (all/any/not and facts, without operators and values). */
function flatten(condition: Condition, location: string, out: FlatCondition[]): string {
  if ('all' in condition) return `all(${condition.all.map((c, i) => flatten(c, `${location}.all[${i}]`, out)).join(',')})`;
  if ('any' in condition) return `any(${condition.any.map((c, i) => flatten(c, `${location}.any[${i}]`, out)).join(',')})`;
  if ('not' in condition) return `not(${flatten(condition.not, `${location}.not`, out)})`;
  out.push({ location, fact: condition.fact, operator: condition.operator, value: condition.value });
  return JSON.stringify(condition.fact);
}

function awardFieldSpec(method: string, field: string): { label: string; kind: 'fact' | 'number' | 'choice' | 'object' | 'unknown'; share?: boolean } {
  const m = SCORING_METHODS.get(method);
  const spec = m ? fieldsOf(m).find(([name]) => name === field)?.[1] : undefined;
  return spec ? { label: spec.label, kind: spec.kind, share: spec.kind === 'number' && spec.share === true } : { label: field, kind: 'unknown' };
}

/** Fields of an award in the method's order, then any others by name. */
function awardFieldNames(method: string, a: Award, b: Award): string[] {
  const m = SCORING_METHODS.get(method);
  const declared = m ? fieldsOf(m).map(([name]) => name) : [];
  const present = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => k !== 'method'));
  return [...declared.filter((f) => present.has(f)), ...[...present].filter((f) => !declared.includes(f)).sort()];
}

function awardValue(award: Award, field: string): unknown {
  return Object.hasOwn(award, field) ? (award as unknown as Readonly<Record<string, unknown>>)[field] : null;
}

function diffRule(A: VersionIndex, B: VersionIndex, ra: ScoringRule, rb: ScoringRule, ia: number, ib: number, out: RuleSetChange[]): void {
  const pa = ra.event.params;
  const pb = rb.event.params;
  const target = B.target(pb.appliesTo);
  const base = { rule: rb.name, target, case: pb.case, indicatorPath: indicatorPathOf(target) };
  const locA = `$.rules[${ia}]`;
  const locB = `$.rules[${ib}]`;
  if (pa.appliesTo !== pb.appliesTo) {
    out.push({ kind: 'ruleTargetChanged', ...base, from: A.target(pa.appliesTo), to: target, location: at(`${locA}.event.params.appliesTo`, `${locB}.event.params.appliesTo`) });
  }
  if ((ra.priority ?? null) !== (rb.priority ?? null)) {
    out.push({ kind: 'rulePriorityChanged', ...base, from: ra.priority ?? null, to: rb.priority ?? null, location: at(`${locA}.priority`, `${locB}.priority`) });
  }
  const ca: FlatCondition[] = [];
  const cb: FlatCondition[] = [];
  const shapeA = flatten(ra.conditions, `${locA}.conditions`, ca);
  const shapeB = flatten(rb.conditions, `${locB}.conditions`, cb);
  if (shapeA !== shapeB) {
    out.push({ kind: 'ruleConditionsChanged', ...base, from: ra.conditions, to: rb.conditions, location: at(`${locA}.conditions`, `${locB}.conditions`) });
  } else {
    cb.forEach((b, k) => {
      const a = ca[k]!;
      const fact = B.factRef(pb.appliesTo, b.fact);
      if (a.operator !== b.operator) {
        out.push({ kind: 'ruleOperatorChanged', ...base, fact, from: { operator: a.operator, value: a.value }, to: { operator: b.operator, value: b.value }, location: at(a.location, b.location) });
      } else if (!same(a.value, b.value)) {
        out.push({ kind: 'ruleThresholdChanged', ...base, fact, operator: b.operator, from: a.value, to: b.value, location: at(`${a.location}.value`, `${b.location}.value`) });
      }
    });
  }
  if (pa.award.method !== pb.award.method) {
    out.push({ kind: 'ruleMethodChanged', ...base, from: pa.award, to: pb.award, location: at(`${locA}.event.params.award`, `${locB}.event.params.award`) });
  } else {
    const method = pb.award.method;
    for (const field of awardFieldNames(method, pa.award, pb.award)) {
      const from = awardValue(pa.award, field);
      const to = awardValue(pb.award, field);
      if (same(from, to)) continue;
      const spec = awardFieldSpec(method, field);
      const rateFact = awardValue(pb.award, 'actual') ?? awardValue(pb.award, 'rate');
      // thresholds and cut points are shares; an interval's bounds are on the scale of the fact it bounds
      const rate =
        spec.share === true || field === 'cutPoints' ||
        ((field === 'low' || field === 'high') && typeof rateFact === 'string' && B.factRef(pb.appliesTo, rateFact).rate);
      out.push({
        kind: 'ruleAwardFieldChanged',
        ...base,
        method,
        field,
        fieldLabel: spec.label,
        fieldKind: spec.kind,
        rate,
        from,
        to,
        location: at(childPath(`${locA}.event.params.award`, field), childPath(`${locB}.event.params.award`, field)),
      });
    }
  }
  if (pa.case !== pb.case) out.push({ kind: 'ruleCaseChanged', ...base, from: pa.case, to: pb.case, location: at(`${locA}.event.params.case`, `${locB}.event.params.case`) });
  if (pa.explanation !== pb.explanation) {
    out.push({ kind: 'ruleExplanationChanged', ...base, from: pa.explanation, to: pb.explanation, location: at(`${locA}.event.params.explanation`, `${locB}.event.params.explanation`) });
  }
}

/** What a rule change says apart from which rule and indicator it is on: equal keys in one shared group are one change. */
function sharedChangeKey(change: RuleSetChange & RuleBase, groupId: string): string {
  const { rule, target: _target, case: _case, location: _location, indicatorPath: _path, sharedGroup: _shared, ...rest } = change;
  // an added, removed or retargeted rule is a change of its own, whatever the others in the group do
  const alone = change.kind === 'ruleAdded' || change.kind === 'ruleRemoved' || change.kind === 'ruleTargetChanged';
  // the group's parameters may name each leaf's own fact: the same change is the same place in the rule, same values
  const { fact: _fact, ...values } = rest as typeof rest & { fact?: FactRef };
  const place = (change.location.after ?? change.location.before ?? '').replace(/^\$\.rules\[\d+\]/, '');
  return `${groupId}\u0000${alone ? rule : ''}\u0000${place}\u0000${canonicalJson(values)}`;
}

function targetIndicators(target: RuleTarget): IndicatorRef[] {
  if (target.kind === 'indicator') return [target.indicator];
  if (target.kind === 'ruleGroup') return [...target.usedBy];
  return [];
}

function diffRules(A: VersionIndex, B: VersionIndex, out: RuleSetChange[]): void {
  const indexA = new Map<string, number>();
  const rulesA = A.doc.rules ?? [];
  const rulesB = B.doc.rules ?? [];
  rulesA.forEach((r, i) => {
    if (!indexA.has(r.name)) indexA.set(r.name, i);
  });
  const namesB = new Set(rulesB.map((r) => r.name));
  const ruleChanges: { change: RuleSetChange & RuleBase; group: { id: string; name: string } | undefined }[] = [];
  const collect = (rule: ScoringRule | undefined, other: ScoringRule | undefined, from: number) => {
    const group = sharedGroupOf(rule) ?? sharedGroupOf(other);
    for (const change of out.splice(from)) ruleChanges.push({ change: change as RuleSetChange & RuleBase, group });
  };
  rulesB.forEach((rb, ib) => {
    const start = out.length;
    const ia = indexA.get(rb.name);
    if (ia === undefined) {
      const target = B.target(rb.event.params.appliesTo);
      out.push({ kind: 'ruleAdded', rule: rb.name, target, case: rb.event.params.case, award: rb.event.params.award, location: at(null, `$.rules[${ib}]`), indicatorPath: indicatorPathOf(target) });
      collect(rb, undefined, start);
      return;
    }
    const ra = rulesA[ia]!;
    diffRule(A, B, ra, rb, ia, ib, out);
    collect(rb, ra, start);
  });
  rulesA.forEach((ra, ia) => {
    if (namesB.has(ra.name)) return;
    const start = out.length;
    const target = A.target(ra.event.params.appliesTo);
    out.push({ kind: 'ruleRemoved', rule: ra.name, target, case: ra.event.params.case, award: ra.event.params.award, location: at(`$.rules[${ia}]`, null), indicatorPath: indicatorPathOf(target) });
    collect(ra, undefined, start);
  });

  // A band boundary moved: the rules of one indicator whose condition on the same fact moved from the same value to
  // the same value (the bureau changed one threshold; "met ≥ 1" and "short < 1" both follow) are one change.
  const boundaries = new Map<string, { first: RuleSetChange & RuleBase; rules: string[] }>();
  const boundaryKey = (c: RuleSetChange & RuleBase) =>
    c.kind === 'ruleThresholdChanged' ? `${c.target.kind === 'indicator' ? c.target.indicator.id : c.target.id}\u0000${c.fact.name}\u0000${canonicalJson(c.from)}\u0000${canonicalJson(c.to)}` : null;
  for (const { change, group } of ruleChanges) {
    const key = group ? null : boundaryKey(change);
    if (key === null) continue;
    const entry = boundaries.get(key);
    if (entry) entry.rules.push(change.rule);
    else boundaries.set(key, { first: change, rules: [change.rule] });
  }
  for (let i = ruleChanges.length - 1; i >= 0; i--) {
    const { change, group } = ruleChanges[i]!;
    const key = group ? null : boundaryKey(change);
    const entry = key === null ? undefined : boundaries.get(key);
    if (!entry || entry.rules.length < 2) continue;
    if (entry.first === change) ruleChanges[i] = { change: { ...change, boundary: { rules: entry.rules } } as RuleSetChange & RuleBase, group };
    else ruleChanges.splice(i, 1);
  }

  // Rules expanded from one shared group and changed alike: one change naming the group and the indicators using it.
  const merged = new Map<string, { change: RuleSetChange & RuleBase; indicators: IndicatorRef[]; rules: string[]; facts: string[]; group: { id: string; name: string } }>();
  const ordered: (RuleSetChange | string)[] = [];
  for (const { change, group } of ruleChanges) {
    if (!group) {
      ordered.push(change);
      continue;
    }
    const key = sharedChangeKey(change, group.id);
    let entry = merged.get(key);
    if (!entry) {
      entry = { change, indicators: [], rules: [], facts: [], group };
      merged.set(key, entry);
      ordered.push(key);
    }
    for (const ind of targetIndicators(change.target)) if (!entry.indicators.some((x) => x.id === ind.id)) entry.indicators.push(ind);
    if (!entry.rules.includes(change.rule)) entry.rules.push(change.rule);
    if (change.kind === 'ruleThresholdChanged' || change.kind === 'ruleOperatorChanged') {
      const label = change.fact.label ?? change.fact.name;
      if (!entry.facts.includes(label)) entry.facts.push(label);
    }
  }
  for (const item of ordered) {
    if (typeof item !== 'string') {
      out.push(item);
      continue;
    }
    const { change, indicators, rules, facts, group } = merged.get(item)!;
    out.push({ ...change, indicatorPath: group.name, sharedGroup: { id: group.id, name: group.name, indicators, rules, facts } } as RuleSetChange);
  }
}

/**
 * The changes from `before` to `after`: grades and top-level settings first, then the indicator tree in tree order
 * (removed indicators after it), rule groups, then rules in file order (removed rules last). `version`, `changelog`
 * and `$schema` are not compared: a notice names the versions it compares instead.
 */
export function diffRuleSets(before: RuleSetDocument, after: RuleSetDocument): RuleSetChange[] {
  const A = new VersionIndex(before);
  const B = new VersionIndex(after);
  const out: RuleSetChange[] = [];
  diffGrades(before.grades ?? [], after.grades ?? [], out);
  diffTopLevel(before, after, out);
  diffIndicators(A, B, out);
  diffRuleGroups(A, B, out);
  diffRules(A, B, out);
  return out;
}
