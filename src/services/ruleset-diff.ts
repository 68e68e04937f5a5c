// Use-case: the change notice between two versions of one rule set (GET /v1/rulesets/{id}/diff?from=&to=).
import { DomainError } from '../domain/errors.js';
import { renderChangeNotice } from '../engine/change-notice.js';
import { diffRuleSets, type RuleSetChange } from '../engine/ruleset-diff.js';
import type { RuleSetVersionEntry } from './catalogue.js';
import { authorize } from './policy.js';
import type { Principal } from './ports.js';

export interface RuleSetDiffDeps {
  readonly ruleSets: { version(id: string, version: string): Promise<RuleSetVersionEntry | undefined> };
}

export interface RuleSetDiff {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string };
  /** names the versions compared and counts the changes */
  readonly header: string;
  readonly changes: readonly RuleSetChange[];
  /** one plain-Chinese line per change, in the order of `changes` (or one line saying there is none) */
  readonly notice: readonly string[];
}

export async function diffRuleSetVersions(
  deps: RuleSetDiffDeps,
  principal: Principal,
  id: string,
  from: string,
  to: string,
): Promise<RuleSetDiff> {
  authorize(principal, 'readRuleSets');
  const [before, after] = await Promise.all([deps.ruleSets.version(id, from), deps.ruleSets.version(id, to)]);
  const missing = [
    ...(before ? [] : [{ path: 'query.from', message: `评分规则集「${id}」没有版本 ${from}` }]),
    ...(after || from === to ? [] : [{ path: 'query.to', message: `评分规则集「${id}」没有版本 ${to}` }]),
  ];
  if (!before || !after) {
    const versions = [...new Set([...(before ? [] : [from]), ...(after ? [] : [to])])].join('、');
    throw new DomainError('RULESET_NOT_FOUND', `评分规则集「${id}」没有版本 ${versions}`, missing);
  }
  const a = before.compiled.document;
  const b = after.compiled.document;
  const changes = diffRuleSets(a, b);
  const notice = renderChangeNotice(a, b, changes);
  return { from: { id, version: a.version }, to: { id, version: b.version }, header: notice.header, changes, notice: notice.lines };
}
