// Resolving and checking a set of rule files (from a directory on Node, from the bundle on Workers) into a registry.
import { checkRuleSet, type CheckReport, type Diagnostic, type GoldenCase } from './check/index.js';
import { resolveRuleSet } from './resolve.js';
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

/**
 * Every source is resolved (an extension against the other sources, by exact id and version; shared rule groups
 * expanded) and checked, golden cases and the coverage gate included; those that pass are registered, the others
 * refused. A parent is resolved and checked before its extensions; a refused parent refuses them too.
 */
export async function loadRuleSets(
  sources: readonly RuleSetSource[],
  cases: readonly GoldenCase[],
): Promise<{ registry: RuleSetRegistry; files: RuleFileReport[]; refused: RuleFileReport[] }> {
  const registry = new RuleSetRegistry();
  const key = (id: string, version: string) => `${id}@${version}`;
  const byKey = new Map(sources.map((s) => [key(s.id, s.version), s]));
  const done = new Map<string, RuleFileReport>();
  const inProgress = new Set<string>();

  const load = async (source: RuleSetSource): Promise<RuleFileReport> => {
    const k = key(source.id, source.version);
    const finished = done.get(k);
    if (finished) return finished;
    inProgress.add(k);
    const resolution = await resolveRuleSet(source.document, async (id, version) => {
      const parentKey = key(id, version);
      const parent = byKey.get(parentKey);
      if (!parent || inProgress.has(parentKey)) return undefined; // unknown, or a cycle: reported below
      return (await load(parent)).report.compiled?.document;
    });
    let report: CheckReport;
    if (resolution.document === null) {
      const cycle = source.document !== null && typeof source.document === 'object' && resolution.diagnostics.some((d) => d.code === 'EXTENDS_NOT_FOUND')
        ? cycleNote(source, byKey, inProgress)
        : undefined;
      report = { ok: false, diagnostics: cycle ? [cycle] : resolution.diagnostics, compiled: null, rulesReachedByCases: new Set() };
    } else {
      report = await checkRuleSet(resolution.document, { cases, expected: { id: source.id, version: source.version } });
    }
    inProgress.delete(k);
    const file: RuleFileReport = { ...source, report };
    done.set(k, file);
    if (report.compiled) registry.add(report.compiled);
    return file;
  };

  const files: RuleFileReport[] = [];
  for (const source of sources) files.push(await load(source));
  return { registry, files, refused: files.filter((f) => !f.report.compiled) };
}

/** When the parent an extension names is one of the files being loaded right now, the extensions form a cycle. */
function cycleNote(source: RuleSetSource, byKey: ReadonlyMap<string, RuleSetSource>, inProgress: ReadonlySet<string>): Diagnostic | undefined {
  const parent = (source.document as { extends?: { id?: unknown; version?: unknown } }).extends;
  const parentKey = `${String(parent?.id)}@${String(parent?.version)}`;
  if (!byKey.has(parentKey) || !inProgress.has(parentKey)) return undefined;
  return {
    pass: 'resolve',
    code: 'EXTENDS_CYCLE',
    severity: 'error',
    message: `规则集相互依据，形成循环：${[...inProgress].join(' → ')} → ${parentKey}`,
    location: '$.extends',
  };
}
