// The rule-set catalogue (reads): versions from two sources served the same way — bundled (rules/, checked at
// start) and published (stored, checked once at publish; the row's sha256 is the check's outcome, so later loads
// verify the hash and compile without re-running the checks on the request path).
import { DomainError } from '../domain/errors.js';
import { compareVersions, type RuleSetDocument } from '../domain/ruleset.js';
import { compileChecked, type CompiledRuleSet } from '../engine/compiled.js';
import { contentHash } from '../engine/hash.js';
import { RuleSetRegistry, selectVersion } from '../engine/registry.js';
import type { RuleSetsTable } from '../storage/database.js';
import { fromJsonText } from '../storage/json.js';
import { authorize } from './policy.js';
import type { BundledRuleSets, Principal, PublishedRuleSetStore, RuleSetLookup, RuleSetResolver } from './ports.js';

export type RuleSetStatus = 'bundled' | 'published';

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

export interface RuleSetVersionEntry {
  readonly compiled: CompiledRuleSet;
  readonly summary: RuleSetVersionSummary;
}

/** The catalogue as the use-cases see it. */
export interface RuleSetCatalogue extends RuleSetLookup, RuleSetResolver {
  resolve(id: string, version: string | undefined, fiscalYear: number): Promise<CompiledRuleSet>;
  /** every rule-set id, bundled or published (reads the store) */
  ids(): Promise<string[]>;
  /** versions of one rule set, newest first; [] for an unknown id */
  describe(id: string): Promise<RuleSetVersionSummary[]>;
  /** one version with its summary */
  version(id: string, version: string): Promise<RuleSetVersionEntry | undefined>;
}

export interface CatalogueDeps {
  readonly ruleSets: RuleSetCatalogue;
}

export function versionSummary(compiled: CompiledRuleSet, status: RuleSetStatus, publishedAt: string | null): RuleSetVersionSummary {
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
    publishedAt,
  };
}

/** A published row; listings leave the document out (it is read only for versions not yet loaded). */
type PublishedRuleSetRow = Omit<RuleSetsTable, 'document'> & { document?: string };

/** Bundled versions and the published ones in a store, the latter loaded (hash-checked, compiled) once per process. */
export class BundledAndPublishedRuleSets implements RuleSetCatalogue {
  /** published versions this process has loaded */
  private readonly published = new RuleSetRegistry();
  /** "id@version" → when it was published */
  private readonly publishedAt = new Map<string, string>();

  constructor(
    private readonly bundled: BundledRuleSets,
    private readonly store: PublishedRuleSetStore,
  ) {}

  private async loadPublished(row: PublishedRuleSetRow): Promise<CompiledRuleSet> {
    const cached = this.published.get(row.id, row.version);
    if (cached) return cached;
    const text = row.document ?? (await this.store.find(row.id, row.version))?.document;
    if (text === undefined) throw new DomainError('INTERNAL', `已发布的规则集 ${row.id} ${row.version} 读取失败`);
    // The row was written only after every check and case passed for exactly this content: a matching hash is that
    // outcome, so only compile. A mismatch means the stored document was altered and is never scored with.
    const document = fromJsonText<RuleSetDocument>(text);
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
    const row = await this.store.find(id, version);
    return row ? this.loadPublished(row) : undefined;
  }

  async version(id: string, version: string): Promise<RuleSetVersionEntry | undefined> {
    const compiled = await this.get(id, version);
    return compiled ? { compiled, summary: this.summaryOf(compiled) } : undefined;
  }

  private summaryOf(compiled: CompiledRuleSet): RuleSetVersionSummary {
    const { id, version } = compiled.document;
    return this.bundled.get(id, version)
      ? versionSummary(compiled, 'bundled', null)
      : versionSummary(compiled, 'published', this.publishedAt.get(`${id}@${version}`) ?? null);
  }

  private async allVersions(id: string): Promise<CompiledRuleSet[]> {
    const rows = await this.store.list(id);
    // a stored version that fails its hash is left out of listings (asking for it by version says why)
    const loaded = await Promise.allSettled(rows.map((r) => this.loadPublished(r)));
    return [...this.bundled.versions(id), ...loaded.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
  }

  async resolve(id: string, version: string | undefined, fiscalYear: number): Promise<CompiledRuleSet> {
    const bundled = version !== undefined ? this.bundled.get(id, version) : undefined;
    if (bundled) return bundled;
    const versions = await this.allVersions(id);
    // the list of ids is only for the error message
    return selectVersion(id, versions, version, fiscalYear, versions.length === 0 ? await this.ids() : []);
  }

  async ids(): Promise<string[]> {
    const rows = await this.store.list();
    return [...new Set([...this.bundled.ids(), ...rows.map((r) => r.id)])].sort();
  }

  async describe(id: string): Promise<RuleSetVersionSummary[]> {
    return (await this.allVersions(id)).map((c) => this.summaryOf(c)).sort((a, b) => compareVersions(b.version, a.version));
  }
}

// ---- the read use-cases

export interface RuleSetListing {
  readonly id: string;
  readonly title: string;
  readonly versions: readonly RuleSetVersionSummary[];
}

export async function listRuleSets(deps: CatalogueDeps, principal: Principal): Promise<RuleSetListing[]> {
  authorize(principal, 'readRuleSets');
  const out: RuleSetListing[] = [];
  for (const id of await deps.ruleSets.ids()) {
    const versions = await deps.ruleSets.describe(id);
    if (versions.length > 0) out.push({ id, title: versions[0]!.title, versions });
  }
  return out;
}

export async function describeRuleSet(deps: CatalogueDeps, principal: Principal, id: string): Promise<RuleSetListing> {
  authorize(principal, 'readRuleSets');
  const versions = await deps.ruleSets.describe(id);
  const newest = versions[0];
  if (!newest) throw new DomainError('NOT_FOUND', `没有编号为「${id}」的评分规则集`);
  return { id, title: newest.title, versions };
}

export async function getRuleSetVersion(
  deps: CatalogueDeps,
  principal: Principal,
  id: string,
  version: string,
): Promise<RuleSetVersionSummary & { readonly ruleset: RuleSetDocument }> {
  authorize(principal, 'readRuleSets');
  const entry = await deps.ruleSets.version(id, version);
  if (!entry) throw new DomainError('NOT_FOUND', `评分规则集「${id}」没有版本 ${version}`);
  return { ...entry.summary, ruleset: entry.compiled.document };
}
