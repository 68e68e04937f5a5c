// Rule-set versions from two sources served the same way: bundled (rules/, checked at start) and published
// (database, checked once at publish; the row's sha256 is the check's outcome, so later loads verify the hash and
// compile without re-running the checks on the request path).
import { DomainError } from '../domain/errors.js';
import { compareVersions, type RuleSetDocument } from '../domain/ruleset.js';
import { checkRuleSet, type Diagnostic, type GoldenCase } from '../engine/check/index.js';
import { compileChecked, type CompiledRuleSet } from '../engine/compiled.js';
import { contentHash } from '../engine/hash.js';
import { RuleSetRegistry, selectVersion } from '../engine/registry.js';
import type { DB, RuleSetsTable } from '../storage/database.js';
import { fromJsonText, toJsonText } from '../storage/json.js';
import { findPublishedRuleSet, insertPublishedRuleSet, listPublishedRuleSets } from '../storage/rulesets.js';
import { capDetails, goldenCaseShapeErrors, publishRequestShapeErrors } from '../validation/index.js';
import type { Principal } from './deps.js';

export type RuleSetStatus = 'bundled' | 'published';

/** A published row; listings leave the document out (it is read only for versions not yet loaded). */
type PublishedRuleSetRow = Omit<RuleSetsTable, 'document'> & { document?: string };

export interface RuleSetVersionSummary {
  readonly id: string;
  readonly version: string;
  readonly status: RuleSetStatus;
  readonly title: string;
  readonly document: string;
  readonly fiscalYears: { readonly from: number; readonly to?: number };
  readonly provisional: boolean;
  readonly provisionalNote?: string;
  readonly changelog: string;
  readonly sha256: string;
  readonly publishedAt: string | null;
}

/** What publishing needs from the checker: every pass and case run, diagnostics back (no compiled closures). */
export interface RuleSetCheckOutcome {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The rule-set checker as a port: in-process on Workers (its own request isolate), in a worker thread on Node so a
 * large rule set being checked never holds up other requests.
 */
export type RuleSetChecker = (document: unknown, cases: readonly GoldenCase[]) => Promise<RuleSetCheckOutcome>;

export const checkInProcess: RuleSetChecker = async (document, cases) => {
  const report = await checkRuleSet(document, { cases });
  return { ok: report.ok, diagnostics: report.diagnostics };
};

export class RuleSetCatalog {
  /** published versions this process has loaded and checked */
  private readonly published = new RuleSetRegistry();
  private readonly publishedAt = new Map<string, string>();

  constructor(
    private readonly db: DB,
    private readonly bundled: RuleSetRegistry,
    private readonly bundledCases: readonly GoldenCase[],
    private readonly checker: RuleSetChecker = checkInProcess,
  ) {}

  private async loadPublished(row: PublishedRuleSetRow): Promise<CompiledRuleSet> {
    const cached = this.published.get(row.id, row.version);
    if (cached) return cached;
    if (row.document === undefined) {
      const full = await findPublishedRuleSet(this.db, row.id, row.version);
      if (!full) throw new DomainError('INTERNAL', `已发布的规则集 ${row.id} ${row.version} 读取失败`);
      row = full;
    }
    // The row was written only after every check and case passed for exactly this content: a matching hash is that
    // outcome, so only compile. A mismatch means the stored document was altered and is never scored with.
    const document = fromJsonText<RuleSetDocument>(row.document!);
    if (contentHash(document) !== row.sha256) {
      throw new DomainError('INTERNAL', `已发布的规则集 ${row.id} ${row.version} 的内容与发布时的 sha256 不符，拒绝使用`);
    }
    const compiled = compileChecked(document);
    this.published.add(compiled);
    this.publishedAt.set(`${row.id}@${row.version}`, row.published_at);
    return compiled;
  }

  async get(id: string, version: string): Promise<CompiledRuleSet | undefined> {
    const bundled = this.bundled.get(id, version);
    if (bundled) return bundled;
    const row = await findPublishedRuleSet(this.db, id, version);
    return row ? this.loadPublished(row) : undefined;
  }

  private async allVersions(id: string): Promise<{ compiled: CompiledRuleSet; status: RuleSetStatus }[]> {
    const rows = await listPublishedRuleSets(this.db, id);
    // a stored version that fails its hash is left out of listings (asking for it by version says why)
    const loaded = await Promise.allSettled(rows.map((r) => this.loadPublished(r)));
    const published = loaded.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    return [
      ...this.bundled.versions(id).map((compiled) => ({ compiled, status: 'bundled' as const })),
      ...published.map((compiled) => ({ compiled, status: 'published' as const })),
    ];
  }

  async resolve(id: string, version: string | undefined, fiscalYear: number): Promise<CompiledRuleSet> {
    const bundled = version !== undefined ? this.bundled.get(id, version) : undefined;
    if (bundled) return bundled;
    const versions = (await this.allVersions(id)).map((v) => v.compiled);
    // the list of ids is only for the error message
    return selectVersion(id, versions, version, fiscalYear, versions.length === 0 ? await this.ids() : []);
  }

  async ids(): Promise<string[]> {
    const rows = await listPublishedRuleSets(this.db);
    return [...new Set([...this.bundled.ids(), ...rows.map((r) => r.id)])].sort();
  }

  async list(): Promise<{ id: string; title: string; versions: RuleSetVersionSummary[] }[]> {
    const out = [];
    for (const id of await this.ids()) {
      const versions = await this.describe(id);
      if (versions.length > 0) out.push({ id, title: versions[0]!.title, versions });
    }
    return out;
  }

  /** Versions of one rule set, newest first. */
  async describe(id: string): Promise<RuleSetVersionSummary[]> {
    const versions = await this.allVersions(id);
    return versions
      .map(({ compiled, status }) => this.summary(compiled, status))
      .sort((a, b) => compareVersions(b.version, a.version));
  }

  summary(compiled: CompiledRuleSet, status: RuleSetStatus): RuleSetVersionSummary {
    const d = compiled.document;
    return {
      id: d.id,
      version: d.version,
      status,
      title: d.title,
      document: d.document,
      fiscalYears: d.fiscalYears,
      provisional: d.provisional,
      ...(d.provisionalNote !== undefined ? { provisionalNote: d.provisionalNote } : {}),
      changelog: d.changelog,
      sha256: compiled.sha256,
      publishedAt: this.publishedAt.get(`${d.id}@${d.version}`) ?? null,
    };
  }

  statusOf(compiled: CompiledRuleSet): RuleSetStatus {
    return this.bundled.get(compiled.document.id, compiled.document.version) ? 'bundled' : 'published';
  }

  /**
   * Publishes a new version after every check and its golden cases (the supplied ones and those shipped for its id)
   * pass. Same content again is accepted as it is; other content under an existing version is a conflict.
   */
  async publish(body: unknown, principal: Principal, now: Date): Promise<{ created: boolean; summary: RuleSetVersionSummary }> {
    const shape = publishRequestShapeErrors(body);
    if (shape.length > 0) throw new DomainError('RULESET_INVALID', '发布请求不符合格式要求', shape);
    const request = body as { ruleset: RuleSetDocument; cases?: unknown[] };
    const caseErrors = (request.cases ?? []).flatMap((c, i) =>
      goldenCaseShapeErrors(c).map((e) => ({ path: `$.cases[${i}]${e.path.slice(1)}`, message: e.message })),
    );
    if (caseErrors.length > 0) throw new DomainError('RULESET_INVALID', '随附的测试用例不符合格式要求', capDetails(caseErrors));

    const doc = request.ruleset;
    const existing = typeof doc.id === 'string' && typeof doc.version === 'string' ? await this.get(doc.id, doc.version) : undefined;
    if (existing) return this.sameOrConflict(existing, doc);

    const cases: GoldenCase[] = [
      ...(request.cases ?? []).map((c, i) => ({ ...(c as Omit<GoldenCase, 'source'>), source: `$.cases[${i}]` })),
      ...this.bundledCases,
    ];
    const outcome = await this.checker(doc, cases);
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
    const inserted = await insertPublishedRuleSet(this.db, {
      id: doc.id,
      version: doc.version,
      sha256: compiled.sha256,
      document: toJsonText(doc),
      published_by: principal.tokenId,
      published_at: now.toISOString(),
    });
    if (!inserted) {
      const raced = await this.get(doc.id, doc.version);
      return this.sameOrConflict(raced!, doc);
    }
    this.published.add(compiled);
    this.publishedAt.set(`${doc.id}@${doc.version}`, now.toISOString());
    return { created: true, summary: this.summary(compiled, 'published') };
  }

  private sameOrConflict(existing: CompiledRuleSet, doc: RuleSetDocument) {
    if (existing.sha256 !== contentHash(doc)) {
      throw new DomainError('VERSION_CONFLICT', `规则集 ${doc.id} 的版本 ${doc.version} 已发布且内容不同；已发布的版本不可修改，请使用新的版本号`, [
        { path: '$.ruleset.version', message: `已存在内容不同的 ${doc.version}（sha256 ${existing.sha256}）` },
      ]);
    }
    return { created: false, summary: this.summary(existing, this.statusOf(existing)) };
  }
}
