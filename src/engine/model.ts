// The compiled form of a rule set: an index of its tree and one json-rules-engine Engine per scoring target.
// This module and evaluate.ts are the only places that touch json-rules-engine.
import { Engine } from 'json-rules-engine';
import type { ChecklistRequirement } from '../domain/methods.js';
import {
  nodeKind,
  walkIndicators,
  type FactDeclaration,
  type GoalsDeclaration,
  type IndicatorNode,
  type NodeVisit,
  type RuleSetDocument,
  type ScoringRule,
} from '../domain/ruleset.js';
import type { FactScope } from './facts.js';

/** Fields of a unit-written indicator that a rule group may declare as facts (look up with `own`). */
export const INDICATOR_FACTS: Readonly<Record<string, FactDeclaration['type'][]>> = Object.assign(Object.create(null), {
  direction: ['string'],
  target: ['number'],
  actual: ['number'],
  tier: ['string'],
  chosenScore: ['number'],
});

/**
 * The entry a record holds under a name a rule set or submission supplies, or undefined: `constructor`,
 * `toString` or `__proto__` must never find Object.prototype's members.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

/**
 * A null-prototype copy of a record keyed by rule-set-supplied names, so that plain `record[name]` look-ups
 * downstream (facts.ts, evaluate.ts) see only what the rule set declares.
 */
export function dataRecord<T>(record: Readonly<Record<string, T>> | undefined): Readonly<Record<string, T>> {
  const out = Object.create(null) as Record<string, T>;
  if (record) for (const [key, value] of Object.entries(record)) out[key] = value;
  return out;
}

export interface IndexedRule {
  readonly rule: ScoringRule;
  /** position in the document's rules array */
  readonly index: number;
}

export interface ScoringTarget {
  /** a leaf id, or a rule-group name for unit-written indicators */
  readonly id: string;
  readonly kind: 'leaf' | 'ruleGroup';
  readonly name: string;
  readonly scope: FactScope;
  readonly rules: readonly IndexedRule[];
  readonly location: string;
}

export interface RuleSetIndex {
  readonly document: RuleSetDocument;
  readonly visits: readonly NodeVisit[];
  readonly nodes: ReadonlyMap<string, NodeVisit>;
  readonly leaves: ReadonlyMap<string, NodeVisit>;
  readonly slots: ReadonlyMap<string, NodeVisit>;
  readonly targets: ReadonlyMap<string, ScoringTarget>;
  /** the node grouping unit indicators by goal (the first, if the checker has more to refuse), or null */
  readonly goals: GoalsIndex | null;
  /** blocks whose points the unit splits among their dimensions */
  readonly splitBlocks: readonly NodeVisit[];
}

export interface GoalsIndex {
  readonly visit: NodeVisit;
  readonly declaration: GoalsDeclaration;
  /** slot id → the child of the goals node it lies under (a dimension, or the slot itself) */
  readonly childOfSlot: ReadonlyMap<string, IndicatorNode>;
}

const EMPTY_CHECKLIST: readonly ChecklistRequirement[] = [];

/** Builds the index of a schema-valid document. Duplicate ids keep the first; the checker reports them. */
export function indexRuleSet(document: RuleSetDocument): RuleSetIndex {
  const visits = walkIndicators(document.indicators);
  const nodes = new Map<string, NodeVisit>();
  const leaves = new Map<string, NodeVisit>();
  const slots = new Map<string, NodeVisit>();
  const targets = new Map<string, ScoringTarget>();
  // one pass over the rules (not one per target: 2,000 rules × 2,000 targets would be quadratic)
  const byTarget = new Map<string, IndexedRule[]>();
  document.rules.forEach((rule, index) => {
    const id = rule.event.params.appliesTo;
    let list = byTarget.get(id);
    if (!list) byTarget.set(id, (list = []));
    list.push({ rule, index });
  });
  const rulesFor = (id: string): readonly IndexedRule[] => byTarget.get(id) ?? [];

  for (const visit of visits) {
    if (nodes.has(visit.node.id)) continue;
    nodes.set(visit.node.id, visit);
    const kind = nodeKind(visit.node);
    if (kind === 'leaf') {
      leaves.set(visit.node.id, visit);
      targets.set(visit.node.id, {
        id: visit.node.id,
        kind: 'leaf',
        name: visit.node.name,
        scope: {
          facts: dataRecord(visit.node.facts),
          derived: dataRecord(visit.node.derived),
          checklist: visit.node.checklist ?? EMPTY_CHECKLIST,
        },
        rules: rulesFor(visit.node.id),
        location: visit.location,
      });
    } else if (kind === 'slot') {
      slots.set(visit.node.id, visit);
    }
  }
  for (const [name, group] of Object.entries(document.ruleGroups ?? {})) {
    if (targets.has(name)) continue;
    targets.set(name, {
      id: name,
      kind: 'ruleGroup',
      name: group.name,
      scope: { facts: dataRecord(group.facts), derived: dataRecord(group.derived), checklist: EMPTY_CHECKLIST },
      rules: rulesFor(name),
      location: `$.ruleGroups.${name}`,
    });
  }
  return { document, visits, nodes, leaves, slots, targets, goals: goalsIndex(visits), splitBlocks: visits.filter((v) => v.node.unitSplit === true) };
}

export function buildEngine(rules: readonly IndexedRule[]): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false, replaceFactsInEventParams: false });
  for (const { rule } of rules) {
    engine.addRule({
      name: rule.name,
      priority: rule.priority ?? 1,
      // json-rules-engine mutates nothing it is given here, but rules are data shared across versions: copy.
      conditions: structuredClone(rule.conditions) as never,
      event: { type: rule.event.type },
    });
  }
  return engine;
}

export interface FiredRule {
  readonly name: string;
  /** json-rules-engine's evaluated condition tree (with factResult / result on each fact condition) */
  readonly conditions: unknown;
}

/** Runs the target's rules over one set of facts and returns every rule whose conditions held. */
/** The run in progress (or last started) on each engine: runs on one engine take turns. */
const lastRun = new WeakMap<Engine, Promise<unknown>>();

/**
 * json-rules-engine is not re-entrant: Engine#run sets the engine's status to FINISHED when it ends, and a run still
 * under way on the same engine then skips its remaining rules — two verify requests at once could each see no case
 * fire. So runs on one engine are queued; different targets have different engines and still run side by side.
 */
export async function fireRules(engine: Engine, facts: Record<string, unknown>): Promise<FiredRule[]> {
  const before = lastRun.get(engine) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => engine.run(facts));
  lastRun.set(engine, run);
  const { results } = await run;
  return results.map((r) => ({ name: String(r.name), conditions: r.conditions }));
}

function goalsIndex(visits: readonly NodeVisit[]): GoalsIndex | null {
  const visit = visits.find((v) => v.node.goals !== undefined);
  if (!visit?.node.goals) return null;
  const childOfSlot = new Map<string, IndicatorNode>();
  for (const child of visit.node.children ?? []) {
    if (child.unitIndicators) childOfSlot.set(child.id, child);
    else for (const slot of child.children ?? []) if (slot.unitIndicators) childOfSlot.set(slot.id, child);
  }
  return { visit, declaration: visit.node.goals, childOfSlot };
}
