// Diagnostics collected by the rule-set checker's passes.
import type { RuleSetDocument } from '../../domain/ruleset.js';
import type { RuleSetIndex } from '../model.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly pass: string;
  readonly code: string;
  readonly severity: Severity;
  /** for people, in Chinese */
  readonly message: string;
  /** JSON path inside the rule-set document (or the golden-case file) */
  readonly location: string;
}

export interface GoldenCase {
  /** where the case came from, e.g. rules/gd-meizhou-2022/cases/seed.json */
  readonly source: string;
  readonly name: string;
  readonly description?: string;
  readonly submission: unknown;
  readonly expect:
    | {
        readonly total: number;
        readonly grade: string;
        readonly items: Readonly<Record<string, number>>;
        readonly cases?: Readonly<Record<string, string>>;
        readonly subtotals?: Readonly<Record<string, number>>;
        /** subtotal per performance goal (绩效目标), for rule sets that group unit indicators by goals */
        readonly goals?: Readonly<Record<string, number>>;
        readonly explanationContains?: Readonly<Record<string, readonly string[]>>;
        readonly discrepancies?: readonly string[];
        /** phrases per item, and the next grade's recovery set (src/engine/what-it-would-take.ts) */
        readonly whatItWouldTake?: {
          readonly items?: Readonly<Record<string, readonly string[]>>;
          readonly nextGrade?: { readonly grade: string; readonly reachable?: boolean; readonly items: readonly string[] } | null;
        };
      }
    | { readonly error: { readonly code: string; readonly paths: readonly string[] } };
}

export interface PassContext {
  readonly document: RuleSetDocument;
  readonly index: RuleSetIndex;
  readonly cases: readonly GoldenCase[];
  /** probe points visited per rule name (band coverage) and rules reached by golden cases */
  readonly coverage: { readonly rulesReachedByCases: Set<string> };
  /** the publish gate: every scoring rule and every grade band must be exercised by a passing golden case */
  readonly requireCaseCoverage: boolean;
  report(d: Omit<Diagnostic, 'pass'>): void;
}

export interface Pass {
  readonly name: string;
  /** passes that need a sound structure are skipped when an earlier blocking pass reported errors */
  readonly blocking: boolean;
  readonly needsSoundStructure: boolean;
  run(ctx: PassContext): void | Promise<void>;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `  [${d.severity === 'error' ? '错误' : '提示'}] ${d.code} (${d.pass}) ${d.location}：${d.message}`;
}
