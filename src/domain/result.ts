// Types of a scoring result (schemas/result.schema.json is the source of truth).
import type { GradeOutcome, NextGrade } from './grades.js';

export interface Evidence {
  readonly fact: string;
  readonly label: string;
  readonly operator: string;
  readonly threshold: unknown;
  readonly actual: unknown;
  readonly passed: boolean;
}

export interface ItemResult {
  readonly id: string;
  readonly name: string;
  /** names from the first level down to this item */
  readonly path: readonly string[];
  readonly parentId: string;
  readonly source: 'table' | 'unit';
  readonly applicable: boolean;
  readonly notApplicableReason?: string;
  readonly points: number;
  /** the points this item is scored out of (after any redistribution) */
  readonly max: number;
  /** the points the table (or the unit, for its own indicators) gives the item */
  readonly declaredMax: number;
  readonly case: { readonly rule: string; readonly label: string; readonly method: string } | null;
  readonly evidence: readonly Evidence[];
  readonly facts: Readonly<Record<string, unknown>>;
  readonly explanation: string;
  readonly remark?: string;
}

export interface NodeResult {
  readonly id: string;
  readonly name: string;
  readonly level: number;
  readonly parentId: string | null;
  readonly points: number;
  readonly max: number;
  readonly declaredMax: number;
  readonly applicable: boolean;
  readonly children: readonly string[];
}

/** Subtotal of one of the unit's goals, and of its items under each dimension. */
export interface GoalResult {
  readonly id: string;
  readonly name: string;
  readonly points: number;
  readonly max: number;
  /** the points the unit gave the goal (or, when it gave none, its indicators' points) */
  readonly declaredMax: number;
  readonly byDimension: readonly { readonly nodeId: string; readonly name: string; readonly points: number; readonly max: number }[];
}

export interface PointsLost {
  readonly itemId: string;
  readonly name: string;
  readonly lost: number;
  readonly reason: string;
}

export interface Discrepancy {
  readonly itemId: string;
  readonly name: string;
  readonly reported: number;
  readonly recomputed: number;
  /** reported − recomputed */
  readonly difference: number;
}

export interface ScoreResult {
  readonly ruleset: {
    readonly id: string;
    readonly version: string;
    readonly sha256: string;
    readonly title: string;
    readonly provisional: boolean;
  };
  readonly engine: { readonly name: string; readonly version: string };
  readonly project: {
    readonly name: string;
    readonly code?: string;
    readonly unitId: string;
    readonly unitName: string;
    readonly fiscalYear: number;
  };
  readonly items: readonly ItemResult[];
  readonly nodes: readonly NodeResult[];
  /** only for rule sets that group unit indicators by goal */
  readonly goals?: readonly GoalResult[];
  readonly total: number;
  readonly maxTotal: number;
  /** with the rescale policy: the unscaled sum and the points that applied */
  readonly rescale: { readonly rawTotal: number; readonly applicableMax: number } | null;
  readonly grade: GradeOutcome;
  readonly nextGrade: NextGrade | null;
  readonly pointsLost: readonly PointsLost[];
  readonly selfReported: { readonly total: number | null; readonly grade: string | null } | null;
  readonly discrepancies: readonly Discrepancy[];
  readonly warnings: readonly string[];
}
