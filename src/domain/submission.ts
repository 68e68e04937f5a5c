// Types of a submission (schemas/submission.schema.json is the source of truth).

export type ChecklistAnswers = Readonly<Record<string, boolean>>;
export type FactValue = number | string | boolean | ChecklistAnswers;

export type Direction = 'gte' | 'lte' | 'eq' | 'qualitative';

export interface UnitIndicator {
  readonly id: string;
  readonly category: string;
  readonly name: string;
  readonly unitOfMeasure?: string;
  readonly direction: Direction;
  readonly target?: number | string;
  readonly actual?: number | string;
  readonly tier?: 'achieved' | 'partial' | 'notAchieved';
  readonly chosenScore?: number;
  readonly points: number;
  readonly notApplicable?: string;
  readonly deviationReason?: string;
  /** id of the goal (in the submission's goals) it belongs to, when the rule set groups indicators by goal */
  readonly goal?: string;
}

/** One of the unit's annual performance goals (年度绩效目标). */
export interface PerformanceGoal {
  readonly id: string;
  readonly name: string;
  /** the points the unit gives it; its indicators' points must add up to them */
  readonly points?: number;
}

export interface Submission {
  readonly $schema?: string;
  readonly ruleset: { readonly id: string; readonly version?: string };
  readonly project: {
    readonly name: string;
    readonly code?: string;
    readonly unitId: string;
    readonly unitName: string;
    readonly department?: string;
    readonly fiscalYear: number;
    readonly budgetTotal?: number;
  };
  readonly facts?: Readonly<Record<string, Readonly<Record<string, FactValue>>>>;
  readonly notApplicable?: Readonly<Record<string, string>>;
  readonly remarks?: Readonly<Record<string, string>>;
  readonly indicators?: readonly UnitIndicator[];
  readonly goals?: readonly PerformanceGoal[];
  readonly selfAssessment?: {
    readonly total?: number;
    readonly grade?: string;
    readonly items?: Readonly<Record<string, number>>;
  };
}

export const DIRECTION_LABELS: Readonly<Record<Direction, string>> = {
  gte: '正向（≥）',
  lte: '反向（≤）',
  eq: '等于（=）',
  qualitative: '定性',
};

export const TIER_LABELS: Readonly<Record<string, string>> = {
  achieved: '达成年度指标',
  partial: '部分达成并具有一定效果',
  notAchieved: '未达成且效果较差',
};

/**
 * The value a record holds under `key` itself, never one inherited from Object.prototype: keys here are names
 * from a submission or a rule set (a leaf may be called `constructor`, a fact `valueOf`).
 */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined | null, key: string): T | undefined {
  return record != null && Object.hasOwn(record, key) ? record[key] : undefined;
}
