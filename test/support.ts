// Shared test helpers: read shipped rule sets, examples and golden cases from the repository.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSetDocument } from '../src/domain/ruleset.js';
import type { EvaluationsTable } from '../src/storage/database.js';
import { checkRuleSet, type CheckOptions, type CheckReport, type GoldenCase } from '../src/engine/check/index.js';
import { compileChecked, type CompiledRuleSet } from '../src/engine/compiled.js';
import { RuleSetRegistry } from '../src/engine/registry.js';
import { resolveRuleSetWith } from '../src/engine/resolve.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function readJson<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(join(ROOT, relativePath), 'utf8')) as T;
}

/** A fresh deep copy each call, so tests can break it freely. */
export function ruleSet(id: 'gd-meizhou-2022' | 'cn-mof-2020', version = '1.0.0'): RuleSetDocument {
  return readJson<RuleSetDocument>(`rules/${id}/${version}.json`);
}

export function example(name: string): Record<string, any> {
  return readJson(`examples/${name}`);
}

/** Every rule set under rules/, resolved (extensions applied to their parents there, shared groups expanded). */
export function shippedRuleSets(): RuleSetDocument[] {
  const files = new Map<string, unknown>();
  for (const id of readdirSync(join(ROOT, 'rules'))) {
    for (const file of readdirSync(join(ROOT, 'rules', id)).filter((f) => f.endsWith('.json'))) {
      files.set(`${id}@${file.slice(0, -'.json'.length)}`, readJson(`rules/${id}/${file}`));
    }
  }
  const resolved = new Map<string, RuleSetDocument>();
  const resolve = (key: string): RuleSetDocument | undefined => {
    const known = resolved.get(key);
    if (known || !files.has(key)) return known;
    const r = resolveRuleSetWith(files.get(key), (id, version) => resolve(`${id}@${version}`));
    if (r.document === null) throw new Error(`${key}: ${JSON.stringify(r.diagnostics)}`);
    resolved.set(key, r.document as RuleSetDocument);
    return r.document as RuleSetDocument;
  };
  return [...files.keys()].map((k) => resolve(k)!);
}

export function shippedRegistry(): RuleSetRegistry {
  const registry = new RuleSetRegistry();
  for (const doc of shippedRuleSets()) registry.add(compileChecked(doc));
  return registry;
}

export function compiled(id: 'gd-meizhou-2022' | 'cn-mof-2020'): CompiledRuleSet {
  return compileChecked(ruleSet(id));
}

/** The golden cases shipped in rules/<id>/cases/, as the checker takes them. */
export function shippedCases(id: string): GoldenCase[] {
  const dir = join(ROOT, 'rules', id, 'cases');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ ...readJson<Omit<GoldenCase, 'source'>>(`rules/${id}/cases/${f}`), source: `rules/${id}/cases/${f}` }));
}

/**
 * The checker without the publish gate on case coverage: for tests of the other passes on documents that have no
 * golden cases of their own (the gate itself is tested in test/engine/publish-gate.test.ts).
 */
export function checkWithoutCaseGate(document: unknown, options: CheckOptions = {}): Promise<CheckReport> {
  return checkRuleSet(document, { ...options, requireCaseCoverage: false });
}

/**
 * The shipped golden cases of a rule set, each pointed at another version of it (as a publish request's `cases`):
 * what a bureau sends along when a new version keeps the scoring of the old one for other years.
 */
export function casesForVersion(id: string, version: string): Record<string, any>[] {
  return shippedCases(id).map(({ source: _source, ...c }) => {
    const copy = structuredClone(c) as Record<string, any>;
    copy.submission.ruleset = { ...copy.submission.ruleset, version };
    return copy;
  });
}

/** A minimal evaluations row (storage and writer tests): `key` is its Idempotency-Key. */
export const evaluationRow = (id: string, key: string | null = null): EvaluationsTable => ({
  id,
  unit_id: 'u',
  fiscal_year: 2022,
  project_name: 'p',
  ruleset_id: 'gd-meizhou-2022',
  ruleset_version: '1.0.0',
  ruleset_sha256: 'x',
  engine_version: '0',
  input: '{}',
  input_sha256: 'h',
  result: '{}',
  total: 100,
  grade_code: 'excellent',
  submitted_by: 'tok',
  idempotency_key: key,
  created_at: new Date().toISOString(),
});
