// Checking a set of rule-set documents (from a directory on Node, from the bundle on Workers) into a registry.
import { checkRuleSet, type CheckReport, type GoldenCase } from './check/index.js';
import { RuleSetRegistry } from './registry.js';

export interface RuleSetSource {
  /** where it came from, e.g. rules/gd-meizhou-2022/1.0.0.json */
  readonly file: string;
  /** id and version its location says it has */
  readonly id: string;
  readonly version: string;
  readonly document: unknown;
}

export interface RuleFileReport extends RuleSetSource {
  readonly report: CheckReport;
}

/** Every source is checked (golden cases included); those that pass are registered, the others refused. */
export async function loadRuleSets(
  sources: readonly RuleSetSource[],
  cases: readonly GoldenCase[],
): Promise<{ registry: RuleSetRegistry; files: RuleFileReport[]; refused: RuleFileReport[] }> {
  const registry = new RuleSetRegistry();
  const files: RuleFileReport[] = [];
  for (const source of sources) {
    const report = await checkRuleSet(source.document, { cases, expected: { id: source.id, version: source.version } });
    files.push({ ...source, report });
    if (report.compiled) registry.add(report.compiled);
  }
  return { registry, files, refused: files.filter((f) => !f.report.compiled) };
}
