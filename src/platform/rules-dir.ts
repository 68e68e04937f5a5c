// Reads rule sets and golden cases from a rules/ directory (Node only): rules/<id>/<version>.json and rules/<id>/cases/*.json.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkRuleSet, type CheckReport, type Diagnostic, type GoldenCase } from '../engine/check/index.js';
import { RuleSetRegistry } from '../engine/registry.js';
import { goldenCaseShapeErrors } from '../validation/index.js';

const VERSION_FILE = /^(\d+\.\d+\.\d+)\.json$/;

export interface RuleFileReport {
  /** path relative to the working directory */
  readonly file: string;
  readonly id: string;
  readonly version: string;
  /** the parsed file, or null when it is not JSON */
  readonly document: unknown;
  readonly report: CheckReport;
}

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

export function loadGoldenCases(dir: string, problems: Diagnostic[]): GoldenCase[] {
  const casesDir = join(dir, 'cases');
  let names: string[] = [];
  try {
    names = readdirSync(casesDir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: GoldenCase[] = [];
  for (const name of names) {
    const path = join(casesDir, name);
    const source = relative(process.cwd(), path);
    const parsed = readJson(path);
    if (!parsed.ok) {
      problems.push({ pass: 'goldenCases', code: 'CASE_UNREADABLE', severity: 'error', message: parsed.message, location: source });
      continue;
    }
    const errors = goldenCaseShapeErrors(parsed.value);
    if (errors.length > 0) {
      for (const e of errors) problems.push({ pass: 'goldenCases', code: 'CASE_INVALID', severity: 'error', message: `${e.path}：${e.message}`, location: source });
      continue;
    }
    out.push({ ...(parsed.value as Omit<GoldenCase, 'source'>), source });
  }
  return out;
}

/** Checks every rule-set file under `rulesDir` (all passes, golden cases included). */
export async function checkRulesDir(rulesDir: string): Promise<RulesDirReport> {
  const files: RuleFileReport[] = [];
  const problems: Diagnostic[] = [];
  const allCases: GoldenCase[] = [];
  const ids = readdirSync(rulesDir)
    .filter((n) => statSync(join(rulesDir, n)).isDirectory())
    .sort();
  for (const id of ids) {
    const dir = join(rulesDir, id);
    const cases = loadGoldenCases(dir, problems);
    allCases.push(...cases);
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
      const report: CheckReport = parsed.ok
        ? await checkRuleSet(parsed.value, { cases, expected: { id, version: m[1]! } })
        : { ok: false, compiled: null, rulesReachedByCases: new Set(), diagnostics: [{ pass: 'parse', code: 'JSON_PARSE', severity: 'error', message: parsed.message, location: '$' }] };
      files.push({ file, id, version: m[1]!, document: parsed.ok ? parsed.value : null, report });
    }
  }
  return { files, problems, cases: allCases };
}

/** Loads every rule set that passes its checks into a registry; bad files are refused and reported, never used. */
export async function loadRegistry(rulesDir: string): Promise<{ registry: RuleSetRegistry; refused: RuleFileReport[]; report: RulesDirReport }> {
  const report = await checkRulesDir(rulesDir);
  const registry = new RuleSetRegistry();
  const refused: RuleFileReport[] = [];
  for (const f of report.files) {
    if (f.report.compiled) registry.add(f.report.compiled);
    else refused.push(f);
  }
  return { registry, refused, report };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `  [${d.severity === 'error' ? '错误' : '提示'}] ${d.code} (${d.pass}) ${d.location}：${d.message}`;
}
