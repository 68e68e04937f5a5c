// The rule-set checker: ordered named passes, each appending diagnostics and none stopping at the first.
// A rule set with any error diagnostic is refused and never scored with.
import type { RuleSetDocument } from '../../domain/ruleset.js';
import { ruleSetShapeErrors } from '../../validation/index.js';
import { compileChecked, type CompiledRuleSet } from '../compiled.js';
import { indexRuleSet, type RuleSetIndex } from '../model.js';
import { needsResolution, SOURCE_ONLY_FIELDS } from '../resolve.js';
import type { Diagnostic, GoldenCase, Pass, PassContext } from './diagnostics.js';
import { bandCoveragePass } from './passes/band-coverage.js';
import { operatorValuesPass } from './passes/operator-values.js';
import { factsPass } from './passes/facts.js';
import { goldenCasesPass } from './passes/golden-cases.js';
import { gradesPass } from './passes/grades.js';
import { referencesPass } from './passes/references.js';
import { structurePass } from './passes/structure.js';
import { templatesPass } from './passes/templates.js';
import { treeSumsPass } from './passes/tree-sums.js';

export type { Diagnostic, GoldenCase } from './diagnostics.js';
export { MAX_BAND_RULE_EVALUATIONS, MAX_CASE_RULE_EVALUATIONS, MAX_PROBES_PER_TARGET } from './budget.js';

/** After "schema" (which everything needs), in this order. */
export const PASSES: readonly Pass[] = [
  structurePass,
  treeSumsPass,
  gradesPass,
  factsPass,
  referencesPass,
  operatorValuesPass,
  bandCoveragePass,
  templatesPass,
  goldenCasesPass,
];

export interface CheckOptions {
  readonly cases?: readonly GoldenCase[];
  /** id and version the document must carry (from its path under rules/) */
  readonly expected?: { readonly id: string; readonly version: string };
  /**
   * The publish gate (default on): refuse the version unless its golden cases exercise every scoring rule and every
   * grade band. Off only where a document is checked for something else (e.g. the checker's own property tests).
   */
  readonly requireCaseCoverage?: boolean;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly compiled: CompiledRuleSet | null;
  readonly rulesReachedByCases: ReadonlySet<string>;
}

export async function checkRuleSet(input: unknown, options: CheckOptions = {}): Promise<CheckReport> {
  const diagnostics: Diagnostic[] = [];
  const reached = new Set<string>();
  let shape;
  try {
    shape = ruleSetShapeErrors(input);
  } catch (e) {
    diagnostics.push(passFailed('schema', e)); // e.g. a RangeError on input nested deeper than the stack allows
    return { ok: false, diagnostics, compiled: null, rulesReachedByCases: reached };
  }
  for (const e of shape) {
    diagnostics.push({ pass: 'schema', code: 'SCHEMA_VIOLATION', severity: 'error', message: e.message, location: e.path });
  }
  if (shape.length > 0) {
    diagnostics.push({ pass: 'schema', code: 'PASSES_SKIPPED', severity: 'warning', message: '规则集不符合格式要求，其余检查已跳过', location: '$' });
    return { ok: false, diagnostics, compiled: null, rulesReachedByCases: reached };
  }
  if (needsResolution(input)) {
    // extension and shared groups are resolved before checking (resolve.ts); a document still using them is a caller's slip
    diagnostics.push({ pass: 'schema', code: 'UNRESOLVED_RULE_FILE', severity: 'error', message: `规则文件使用了 ${SOURCE_ONLY_FIELDS.filter((f) => Object.hasOwn(input as object, f)).join('、')}，须先展开（resolveRuleSet）再检查`, location: '$' });
    return { ok: false, diagnostics, compiled: null, rulesReachedByCases: reached };
  }
  const document = input as RuleSetDocument;
  if (options.expected) {
    if (document.id !== options.expected.id) {
      diagnostics.push({ pass: 'identity', code: 'IDENTITY_MISMATCH', severity: 'error', message: `文件位于目录 ${options.expected.id}，但规则集 id 为 ${document.id}`, location: '$.id' });
    }
    if (document.version !== options.expected.version) {
      diagnostics.push({ pass: 'identity', code: 'IDENTITY_MISMATCH', severity: 'error', message: `文件名为 ${options.expected.version}.json，但规则集版本为 ${document.version}`, location: '$.version' });
    }
  }
  let index: RuleSetIndex;
  try {
    index = indexRuleSet(document);
  } catch (e) {
    diagnostics.push(passFailed('index', e));
    return { ok: false, diagnostics, compiled: null, rulesReachedByCases: reached };
  }
  let blocked = false;
  for (const pass of PASSES) {
    if (pass.needsSoundStructure && blocked) {
      diagnostics.push({ pass: pass.name, code: 'PASS_SKIPPED', severity: 'warning', message: `因前面的结构性错误，跳过检查「${pass.name}」`, location: '$' });
      continue;
    }
    const before = diagnostics.length;
    const ctx: PassContext = {
      document,
      index,
      cases: options.cases ?? [],
      coverage: { rulesReachedByCases: reached },
      requireCaseCoverage: options.requireCaseCoverage ?? true,
      report: (d) => diagnostics.push({ pass: pass.name, ...d }),
    };
    try {
      await pass.run(ctx);
    } catch (e) {
      // a pass that throws has found input nobody anticipated: that is a refusal naming the pass, never a 500
      diagnostics.push(passFailed(pass.name, e));
    }
    if (pass.blocking && diagnostics.slice(before).some((d) => d.severity === 'error')) blocked = true;
  }
  let compiled: CompiledRuleSet | null = null;
  if (!diagnostics.some((d) => d.severity === 'error')) {
    try {
      compiled = compileChecked(document);
    } catch (e) {
      diagnostics.push(passFailed('compile', e));
    }
  }
  return { ok: compiled !== null, diagnostics, compiled, rulesReachedByCases: reached };
}

/** The diagnostic for a pass that threw: an error naming the pass (the check is incomplete, so the version is refused). */
function passFailed(pass: string, e: unknown): Diagnostic {
  const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return {
    pass,
    code: 'CHECK_PASS_FAILED',
    severity: 'error',
    message: `检查「${pass}」意外中断（${reason.slice(0, 200)}），规则集未能完成检查，不予接受`,
    location: '$',
  };
}
