// Reads rule sets and golden cases from a rules/ directory (Node only): rules/<id>/<version>.json and rules/<id>/cases/*.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic, GoldenCase } from '../engine/check/index.js';
import { loadRuleSets, type RuleFileReport, type RuleSetSource } from '../engine/load.js';
import type { RuleSetRegistry } from '../engine/registry.js';
import { toGoldenCases } from '../engine/golden.js';

export type { RuleFileReport } from '../engine/load.js';
export { formatDiagnostic } from '../engine/check/diagnostics.js';

const VERSION_FILE = /^(\d+\.\d+\.\d+)\.json$/;

export interface RulesDirReport {
  readonly files: readonly RuleFileReport[];
  /** problems with files that are not rule sets themselves (unreadable cases, stray files) */
  readonly problems: readonly Diagnostic[];
  readonly cases: readonly GoldenCase[];
}

function readJson(path: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (e) {
    return { ok: false, message: `无法读取或解析 JSON：${(e as Error).message}` };
  }
}

/** The golden cases in <dir>/cases/ (none when it has no such folder); unreadable or malformed ones become problems. */
export function readCases(dir: string, problems: Diagnostic[]): GoldenCase[] {
  let names: string[] = [];
  try {
    names = readdirSync(join(dir, 'cases')).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const parsed: { source: string; data: unknown }[] = [];
  for (const name of names) {
    const path = join(dir, 'cases', name);
    const source = relative(process.cwd(), path);
    const r = readJson(path);
    if (r.ok) parsed.push({ source, data: r.value });
    else problems.push({ pass: 'goldenCases', code: 'CASE_UNREADABLE', severity: 'error', message: r.message, location: source });
  }
  return toGoldenCases(parsed, problems);
}

/** Checks every rule-set file under `rulesDir` (all passes, golden cases included). */
export async function checkRulesDir(rulesDir: string): Promise<RulesDirReport & { registry: RuleSetRegistry; refused: RuleFileReport[] }> {
  const problems: Diagnostic[] = [];
  const cases: GoldenCase[] = [];
  const sources: RuleSetSource[] = [];
  const ids = readdirSync(rulesDir).filter((n) => statSync(join(rulesDir, n)).isDirectory()).sort();
  for (const id of ids) {
    const dir = join(rulesDir, id);
    cases.push(...readCases(dir, problems));
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (!statSync(path).isFile() || !name.endsWith('.json')) continue;
      const file = relative(process.cwd(), path);
      const m = VERSION_FILE.exec(name);
      if (!m) {
        problems.push({ pass: 'identity', code: 'FILE_NAME', severity: 'error', message: '规则集文件名应为 <版本号>.json，如 1.0.0.json', location: file });
        continue;
      }
      const parsed = readJson(path);
      if (!parsed.ok) {
        problems.push({ pass: 'parse', code: 'JSON_PARSE', severity: 'error', message: parsed.message, location: file });
        continue;
      }
      sources.push({ file, id, version: m[1]!, document: parsed.value });
    }
  }
  const { registry, files, refused } = await loadRuleSets(sources, cases);
  return { files, problems, cases, registry, refused };
}

/** Loads every rule set that passes its checks into a registry; bad files are refused and reported, never used. */
export async function loadRegistry(rulesDir: string) {
  const report = await checkRulesDir(rulesDir);
  return { registry: report.registry, refused: [...report.refused], report };
}
