// Use-case: the bureau publishes a new rule-set version after it is resolved (extends, shared rule groups) and every
// check and its golden cases (the supplied ones and those shipped for its id) pass, every rule and band exercised. Same content again is accepted as it is; other content under an existing version is
// a conflict. The catalogue picks the stored version up on its next read.
import { DomainError } from '../domain/errors.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { checkRuleSet, type GoldenCase } from '../engine/check/index.js';
import { compileChecked } from '../engine/compiled.js';
import { contentHash } from '../engine/hash.js';
import { toJsonText } from '../storage/json.js';
import { capDetails, goldenCaseShapeErrors, publishRequestShapeErrors } from '../validation/index.js';
import { versionSummary, type RuleSetVersionEntry, type RuleSetVersionSummary } from './catalogue.js';
import { requireChecked, resolveCandidate, suppliedCases } from './candidate.js';
import { authorize } from './policy.js';
import type { Clock, Principal, PublishedRuleSetStore, RuleSetChecker, RuleSetLookup } from './ports.js';

export interface PublishDeps {
  readonly ruleSets: RuleSetLookup & { version(id: string, version: string): Promise<RuleSetVersionEntry | undefined> };
  readonly publishedRuleSets: PublishedRuleSetStore;
  readonly checkRuleSet: RuleSetChecker;
  /** the golden cases shipped in rules/<id>/cases/, run against a new version of their rule set too */
  readonly bundledCases: readonly GoldenCase[];
  readonly clock: Clock;
}

export const checkInProcess: RuleSetChecker = async (document, cases, options = {}) => {
  const report = await checkRuleSet(document, { cases, ...options });
  return { ok: report.ok, diagnostics: report.diagnostics };
};

export async function publishRuleSet(
  deps: PublishDeps,
  principal: Principal,
  body: unknown,
): Promise<{ created: boolean; summary: RuleSetVersionSummary }> {
  authorize(principal, 'publishRuleSet');
  const shape = publishRequestShapeErrors(body);
  if (shape.length > 0) throw new DomainError('RULESET_INVALID', '发布请求不符合格式要求', shape);
  const request = body as { ruleset: RuleSetDocument; cases?: unknown[] };
  const cases = suppliedCases(request.cases);
  const doc = await resolveCandidate(deps, request.ruleset);
  const existing = typeof doc.id === 'string' && typeof doc.version === 'string' ? await deps.ruleSets.version(doc.id, doc.version) : undefined;
  if (existing) return sameOrConflict(existing, doc);
  await requireChecked(deps, doc, [...cases, ...deps.bundledCases], '规则集未通过检查，未发布');
  const compiled = compileChecked(doc);
  const publishedAt = deps.clock().toISOString();
  const inserted = await deps.publishedRuleSets.insert({
    id: doc.id,
    version: doc.version,
    sha256: compiled.sha256,
    document: toJsonText(doc),
    published_by: principal.tokenId,
    published_at: publishedAt,
  });
  if (!inserted) {
    const raced = await deps.ruleSets.version(doc.id, doc.version);
    if (!raced) throw new DomainError('INTERNAL', `规则集 ${doc.id} ${doc.version} 写入失败`);
    return sameOrConflict(raced, doc);
  }
  return { created: true, summary: versionSummary(compiled, 'published', publishedAt) };
}

function sameOrConflict(existing: RuleSetVersionEntry, doc: RuleSetDocument): { created: false; summary: RuleSetVersionSummary } {
  if (existing.compiled.sha256 !== contentHash(doc)) {
    throw new DomainError('VERSION_CONFLICT', `规则集 ${doc.id} 的版本 ${doc.version} 已发布且内容不同；已发布的版本不可修改，请使用新的版本号`, [
      { path: '$.ruleset.version', message: `已存在内容不同的 ${doc.version}（sha256 ${existing.compiled.sha256}）` },
    ]);
  }
  return { created: false, summary: existing.summary };
}
