// Types of a rule-set document (schemas/ruleset.schema.json is the source of truth) and tree helpers.
import type { GradeBand } from './grades.js';
import type { ChecklistRequirement } from './methods.js';

export type FactType = 'number' | 'integer' | 'string' | 'boolean' | 'checklist';

export interface FactDeclaration {
  readonly label: string;
  readonly type: FactType;
  readonly unit?: string;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly enumLabels?: Readonly<Record<string, string>>;
  readonly optional?: boolean;
}

export type DerivedOp = 'ratio' | 'difference' | 'sum' | 'checklistUnmet' | 'checklistDeduction';

export interface DerivedFact {
  readonly label: string;
  readonly op: DerivedOp;
  readonly of: readonly string[];
}

export interface IndicatorNode {
  readonly id: string;
  readonly name: string;
  readonly points?: number;
  readonly description?: string;
  readonly children?: readonly IndicatorNode[];
  readonly facts?: Readonly<Record<string, FactDeclaration>>;
  readonly derived?: Readonly<Record<string, DerivedFact>>;
  readonly checklist?: readonly ChecklistRequirement[];
  readonly unitIndicators?: { readonly ruleGroup: string };
  /** a block whose points the unit divides among its dimensions (those without points of their own) */
  readonly unitSplit?: true;
  /** the unit's indicators below are grouped under its annual performance goals (at most one node per rule set) */
  readonly goals?: GoalsDeclaration;
}

export interface GoalsDeclaration {
  /** what the table calls a goal, e.g. 年度绩效目标 */
  readonly label: string;
  readonly maxGoals: number;
}

export interface RuleGroup {
  readonly name: string;
  readonly facts: Readonly<Record<string, FactDeclaration>>;
  readonly derived?: Readonly<Record<string, DerivedFact>>;
}

/**
 * The award of a rule: a method from the closed catalogue (src/engine/methods/, one module each, which declares the
 * method's other fields) and those fields as the schema admits them.
 */
export interface Award {
  readonly method: string;
}

export interface FactCondition {
  readonly fact: string;
  readonly operator: string;
  readonly value: unknown;
}

export type Condition =
  | FactCondition
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

export interface AwardEvent {
  readonly appliesTo: string;
  readonly case: string;
  readonly award: Award;
  readonly explanation: string;
}

export interface ScoringRule {
  readonly name: string;
  readonly priority?: number;
  readonly conditions: Condition;
  readonly event: { readonly type: 'award'; readonly params: AwardEvent };
  /** set when the rule was expanded from a shared rule group (src/engine/resolve.ts) */
  readonly sharedGroup?: { readonly id: string; readonly name: string };
}

export interface RuleSetDocument {
  readonly $schema?: string;
  readonly id: string;
  readonly version: string;
  /** set by resolution: the rule sets this one was built on (extends), oldest first, with their content hashes */
  readonly basedOn?: readonly { readonly id: string; readonly version: string; readonly sha256: string }[];
  readonly title: string;
  readonly document: string;
  readonly issuer?: string;
  readonly fiscalYears: { readonly from: number; readonly to?: number };
  readonly changelog: string;
  readonly provisional: boolean;
  readonly provisionalNote?: string;
  readonly total: number;
  readonly rounding: { readonly decimals: number; readonly mode: 'halfUp'; readonly scope: 'leaf' };
  readonly notApplicable: { readonly policy: 'redistribute' | 'rescale' };
  readonly grades: readonly GradeBand[];
  readonly indicators: readonly IndicatorNode[];
  readonly ruleGroups?: Readonly<Record<string, RuleGroup>>;
  readonly rules: readonly ScoringRule[];
}

export type NodeKind = 'group' | 'leaf' | 'slot';

export function nodeKind(node: IndicatorNode): NodeKind {
  if (node.children) return 'group';
  if (node.unitIndicators) return 'slot';
  return 'leaf';
}

/** A node with children (nodeKind 'group'). */
export function isGroupNode(node: IndicatorNode): node is IndicatorNode & { readonly children: readonly IndicatorNode[] } {
  return node.children !== undefined;
}

/** A place for unit-written indicators (nodeKind 'slot'). */
export function isSlotNode(node: IndicatorNode): node is IndicatorNode & { readonly unitIndicators: { readonly ruleGroup: string } } {
  return node.children === undefined && node.unitIndicators !== undefined;
}

export interface NodeVisit {
  readonly node: IndicatorNode;
  /** names from the first level down to this node */
  readonly namePath: readonly string[];
  readonly parentId: string | null;
  readonly level: number;
  /** JSON path of the node inside the rule-set document */
  readonly location: string;
}

/** Depth-first walk over the indicator tree, parents before children. */
export function walkIndicators(nodes: readonly IndicatorNode[]): NodeVisit[] {
  const out: NodeVisit[] = [];
  const visit = (list: readonly IndicatorNode[], names: readonly string[], parentId: string | null, level: number, base: string) => {
    list.forEach((node, i) => {
      const location = `${base}[${i}]`;
      const namePath = [...names, node.name];
      out.push({ node, namePath, parentId, level, location });
      if (node.children) visit(node.children, namePath, node.id, level + 1, `${location}.children`);
    });
  };
  visit(nodes, [], null, 1, '$.indicators');
  return out;
}

/** Semantic version order. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function coversFiscalYear(doc: Pick<RuleSetDocument, 'fiscalYears'>, year: number): boolean {
  return year >= doc.fiscalYears.from && (doc.fiscalYears.to === undefined || year <= doc.fiscalYears.to);
}

/** A group whose children are all slots: one dimension (产出, 效益 …) of the unit's own indicators. */
export function isDimensionNode(node: IndicatorNode): node is IndicatorNode & { readonly children: readonly IndicatorNode[] } {
  return node.children !== undefined && node.children.length > 0 && node.children.every(isSlotNode);
}

/** A group whose children are all dimensions: a block of unit-written indicators (e.g. 年度绩效指标). */
export function isBlockNode(node: IndicatorNode): node is IndicatorNode & { readonly children: readonly IndicatorNode[] } {
  return node.children !== undefined && node.children.length > 0 && node.children.every(isDimensionNode);
}

/** A fact holding a checklist's answers (the checklist method and derived counts read it). */
export function isChecklistFact(declaration: Pick<FactDeclaration, 'type'> | undefined): boolean {
  return declaration?.type === 'checklist';
}
