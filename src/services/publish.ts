// Use-case: the bureau publishes a new rule-set version after every check and its golden cases (the supplied ones and
// those shipped for its id) pass. Same content again is accepted as it is; other content under an existing version is
// a conflict. The catalogue picks the stored version up on its next read.
import { DomainError } from '../domain/errors.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { checkRuleSet, type GoldenCase } from '../engine/check/index.js';
import { compileChecked } from '../engine/compiled.js';
import { contentHash } from '../engine/hash.js';
import { toJsonText } from '../storage/json.js';
import { capDetails, goldenCaseShapeErrors, publishRequestShapeErrors } from '../validation/index.js';
import { versionSummary, type RuleSetVersionEntry, type RuleSetVersionSummary } from './catalogue.js';
import { authorize } from './policy.js';
import type { Clock, Principal, PublishedRuleSetStore, RuleSetChecker } from './ports.js';

export interface PublishDeps {
  readonly ruleSets: { version(id: string, version: string): Promise<RuleSetVersionEntry | undefined> };
  readonly publishedRuleSets: PublishedRuleSetStore;
  readonly checkRuleSet: RuleSetChecker;
  /** the golden cases shipped in rules/<id>/cases/, run against a new version of their rule set too */
  readonly bundledCases: readonly GoldenCase[];
  readonly clock: Clock;
}

export const checkInProcess: RuleSetChecker = async (document, cases) => {
  const report = await checkRuleSet(document, { cases });
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
  const caseErrors = (request.cases ?? []).flatMap((c, i) =>
    goldenCaseShapeErrors(c).map((e) => ({ path: `$.cases[${i}]${e.path.slice(1)}`, message: e.message })),
  );
  if (caseErrors.length > 0) throw new DomainError('RULESET_INVALID', '随附的测试用例不符合格式要求', capDetails(caseErrors));

  const doc = request.ruleset;
  const existing = typeof doc.id === 'string' && typeof doc.version === 'string' ? await deps.ruleSets.version(doc.id, doc.version) : undefined;
  if (existing) return sameOrConflict(existing, doc);

  const cases: GoldenCase[] = [
    ...(request.cases ?? []).map((c, i) => ({ ...(c as Omit<GoldenCase, 'source'>), source: `$.cases[${i}]` })),
    ...deps.bundledCases,
  ];
  const outcome = await deps.checkRuleSet(doc, cases);
  if (!outcome.ok) {
    throw new DomainError(
      'RULESET_INVALID',
      '规则集未通过检查，未发布',
      capDetails(
        outcome.diagnostics
          .filter((d) => d.severity === 'error')
          // rule-set locations are paths in the document, which sits at $.ruleset of the request; cases name their own
          .map((d) => ({ path: d.pass === 'goldenCases' ? d.location : `$.ruleset${d.location.slice(1)}`, message: `${d.code}（${d.pass}）：${d.message}` })),
      ),
    );
  }
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
