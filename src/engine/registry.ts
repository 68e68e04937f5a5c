// The rule-set versions a service may score with, and how a submission picks one.
import { DomainError } from '../domain/errors.js';
import { compareVersions, coversFiscalYear } from '../domain/ruleset.js';
import type { CompiledRuleSet } from './compiled.js';

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

  /** The named version, or else the newest version whose fiscal years contain the year. */
  resolve(id: string, version: string | undefined, fiscalYear: number): CompiledRuleSet {
    const versions = this.byId.get(id);
    if (!versions) {
      throw new DomainError('RULESET_NOT_FOUND', `没有编号为「${id}」的评分规则集`, [
        { path: '$.ruleset.id', message: `可用的规则集：${this.ids().join('、') || '无'}` },
      ]);
    }
    if (version !== undefined) {
      const found = versions.get(version);
      if (!found) {
        throw new DomainError('RULESET_NOT_FOUND', `评分规则集「${id}」没有版本 ${version}`, [
          { path: '$.ruleset.version', message: `可用的版本：${this.versions(id).map((v) => v.document.version).join('、')}` },
        ]);
      }
      return found;
    }
    const match = this.versions(id).find((v) => coversFiscalYear(v.document, fiscalYear));
    if (!match) {
      throw new DomainError('RULESET_NOT_FOUND', `评分规则集「${id}」没有适用于 ${fiscalYear} 年度的版本`, [
        {
          path: '$.project.fiscalYear',
          message: `各版本适用年度：${this.versions(id)
            .map((v) => `${v.document.version}（${v.document.fiscalYears.from}–${v.document.fiscalYears.to ?? ''}）`)
            .join('、')}`,
        },
      ]);
    }
    return match;
  }
}
