// The rule-set versions a process may score with, and how a submission picks one.
import { DomainError } from '../domain/errors.js';
import { compareVersions, coversFiscalYear } from '../domain/ruleset.js';
import type { CompiledRuleSet } from './compiled.js';

/**
 * The named version, or else the newest version whose fiscal years contain the year.
 * `candidates` are all known versions of `id` (any order); `knownIds` only feeds the error message.
 */
export function selectVersion(
  id: string,
  candidates: readonly CompiledRuleSet[],
  version: string | undefined,
  fiscalYear: number,
  knownIds: readonly string[],
): CompiledRuleSet {
  if (candidates.length === 0) {
    throw new DomainError('RULESET_NOT_FOUND', `没有编号为「${id}」的评分规则集`, [
      { path: '$.ruleset.id', message: `可用的规则集：${knownIds.join('、') || '无'}` },
    ]);
  }
  const newestFirst = [...candidates].sort((a, b) => compareVersions(b.document.version, a.document.version));
  if (version !== undefined) {
    const found = newestFirst.find((v) => v.document.version === version);
    if (!found) {
      throw new DomainError('RULESET_NOT_FOUND', `评分规则集「${id}」没有版本 ${version}`, [
        { path: '$.ruleset.version', message: `可用的版本：${newestFirst.map((v) => v.document.version).join('、')}` },
      ]);
    }
    return found;
  }
  const match = newestFirst.find((v) => coversFiscalYear(v.document, fiscalYear));
  if (!match) {
    throw new DomainError('RULESET_NOT_FOUND', `评分规则集「${id}」没有适用于 ${fiscalYear} 年度的版本`, [
      {
        path: '$.project.fiscalYear',
        message: `各版本适用年度：${newestFirst
          .map((v) => `${v.document.version}（${v.document.fiscalYears.from}–${v.document.fiscalYears.to ?? ''}）`)
          .join('、')}`,
      },
    ]);
  }
  return match;
}

export class RuleSetRegistry {
  private readonly byId = new Map<string, Map<string, CompiledRuleSet>>();

  add(compiled: CompiledRuleSet): void {
    const { id, version } = compiled.document;
    let versions = this.byId.get(id);
    if (!versions) this.byId.set(id, (versions = new Map()));
    const existing = versions.get(version);
    if (existing && existing.sha256 !== compiled.sha256) {
      throw new Error(`rule set ${id} ${version} registered twice with different content`);
    }
    versions.set(version, compiled);
  }

  ids(): string[] {
    return [...this.byId.keys()].sort();
  }

  /** Versions of one rule set, newest first. */
  versions(id: string): CompiledRuleSet[] {
    return [...(this.byId.get(id)?.values() ?? [])].sort((a, b) => compareVersions(b.document.version, a.document.version));
  }

  get(id: string, version: string): CompiledRuleSet | undefined {
    return this.byId.get(id)?.get(version);
  }

  resolve(id: string, version: string | undefined, fiscalYear: number): CompiledRuleSet {
    return selectVersion(id, this.versions(id), version, fiscalYear, this.ids());
  }
}
