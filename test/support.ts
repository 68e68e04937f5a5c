// Shared test helpers: read shipped rule sets, examples and golden cases from the repository.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleSetDocument } from '../src/domain/ruleset.js';
import { compileChecked, type CompiledRuleSet } from '../src/engine/compiled.js';
import { RuleSetRegistry } from '../src/engine/registry.js';

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

export function shippedRegistry(): RuleSetRegistry {
  const registry = new RuleSetRegistry();
  for (const id of readdirSync(join(ROOT, 'rules'))) {
    for (const file of readdirSync(join(ROOT, 'rules', id)).filter((f) => f.endsWith('.json'))) {
      registry.add(compileChecked(readJson(`rules/${id}/${file}`)));
    }
  }
  return registry;
}

export function compiled(id: 'gd-meizhou-2022' | 'cn-mof-2020'): CompiledRuleSet {
  return compileChecked(ruleSet(id));
}
