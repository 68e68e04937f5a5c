// Rule-set files named on the command line: `<id>@<version>` in a rules directory, read as JSON, and the parents an
// extension names looked up in the same directory (themselves resolved; the depth bound ends a cycle).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { MAX_EXTENSION_DEPTH, needsResolution, resolveRuleSet, type ParentLookup } from '../engine/resolve.js';
import { CliError } from './args.js';

/** id@version, the way rule sets are named on the command line; both parts keep to the schema's patterns. */
export const VERSION_REFERENCE = /^([a-z0-9][a-z0-9-]{0,63})@(\d{1,4}\.\d{1,4}\.\d{1,4})$/;

export function parseRuleSetFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`无法读取规则集文件 ${file}：${(e as Error).message.split('\n')[0]}`);
  }
}

/** Parents of an extension, from <rulesDir>/<id>/<version>.json, themselves resolved. */
export function parentsIn(rulesDir: string, depth = 0): ParentLookup {
  return async (id, version) => {
    const file = join(rulesDir, id, `${version}.json`);
    if (depth > MAX_EXTENSION_DEPTH || !VERSION_REFERENCE.test(`${id}@${version}`) || !existsSync(file)) return undefined;
    const parent = parseRuleSetFile(file);
    if (!needsResolution(parent)) return parent as RuleSetDocument;
    return ((await resolveRuleSet(parent, parentsIn(rulesDir, depth + 1))).document ?? undefined) as RuleSetDocument | undefined;
  };
}
