// A rule-set document on its way in (publish, impact preview): resolved against published parents, then checked;
// refusals become RULESET_INVALID with paths into the request.
import { DomainError } from '../domain/errors.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import type { Diagnostic, GoldenCase } from '../engine/check/index.js';
import { resolveRuleSet } from '../engine/resolve.js';
import { capDetails, goldenCaseShapeErrors } from '../validation/index.js';
import type { RuleSetChecker, RuleSetCheckOptions, RuleSetLookup } from './ports.js';

export interface CandidateDeps {
  readonly ruleSets: RuleSetLookup;
  readonly checkRuleSet: RuleSetChecker;
}

/**
 * Applies an extension to its published (or bundled) parent and expands shared rule groups: what is checked, hashed
 * and stored is the resolved rule set, independent of later versions of its parent.
 */
export async function resolveCandidate(deps: Pick<CandidateDeps, 'ruleSets'>, ruleset: unknown): Promise<RuleSetDocument> {
  const resolution = await resolveRuleSet(ruleset, async (id, version) => (await deps.ruleSets.get(id, version))?.document);
  if (resolution.document === null) throw new DomainError('RULESET_INVALID', '规则集无法展开', requestDetails(resolution.diagnostics));
  return resolution.document as RuleSetDocument;
}

/** Runs every check (and the cases) on a resolved document; refuses with `refusal` and the error diagnostics. */
export async function requireChecked(
  deps: Pick<CandidateDeps, 'checkRuleSet'>,
  document: RuleSetDocument,
  cases: readonly GoldenCase[],
  refusal: string,
  options: RuleSetCheckOptions = {},
): Promise<void> {
  const outcome = await deps.checkRuleSet(document, cases, options);
  if (!outcome.ok) throw new DomainError('RULESET_INVALID', refusal, requestDetails(outcome.diagnostics.filter((d) => d.severity === 'error')));
}

/** Golden cases supplied with a request, shape-checked and named by where they sit in it. */
export function suppliedCases(cases: readonly unknown[] | undefined): GoldenCase[] {
  const errors = (cases ?? []).flatMap((c, i) => goldenCaseShapeErrors(c).map((e) => ({ path: `$.cases[${i}]${e.path.slice(1)}`, message: e.message })));
  if (errors.length > 0) throw new DomainError('RULESET_INVALID', '随附的测试用例不符合格式要求', capDetails(errors));
  return (cases ?? []).map((c, i) => ({ ...(c as Omit<GoldenCase, 'source'>), source: `$.cases[${i}]` }));
}

/**
 * Rule-set locations are paths in the document, which sits at $.ruleset of the request; a failing case names its
 * own source (a supplied case its place in the request, a shipped one its file).
 */
function requestDetails(diagnostics: readonly Diagnostic[]): { path: string; message: string }[] {
  return capDetails(
    diagnostics.map((d) => ({ path: d.code === 'CASE_FAILED' ? d.location : `$.ruleset${d.location.slice(1)}`, message: `${d.code}（${d.pass}）：${d.message}` })),
  );
}
