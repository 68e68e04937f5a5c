// Use-case: verify a stored evaluation — re-score its stored input with its stored rule-set version, with
// json-rules-engine itself deciding every case (the reference; stored results come from the compiled fast path),
// and compare with the stored result, difference by difference.
import { canonicalJson } from '../domain/canonical.js';
import { DomainError } from '../domain/errors.js';
import { contentHash } from '../engine/hash.js';
import { scoreWithReference } from '../engine/score.js';
import { fromJsonText } from '../storage/json.js';
import { findEvaluationFor } from './evaluation-view.js';
import type { EvaluationStore, Principal, RuleSetLookup } from './ports.js';

export interface VerifyDeps {
  readonly evaluations: EvaluationStore;
  readonly ruleSets: RuleSetLookup;
}

export interface Difference {
  readonly path: string;
  readonly stored: unknown;
  readonly recomputed: unknown;
}

export interface VerifyReport {
  readonly evaluationId: string;
  readonly identical: boolean;
  readonly ruleset: { readonly id: string; readonly version: string; readonly storedSha256: string; readonly currentSha256: string | null };
  readonly inputSha256Matches: boolean;
  readonly differences: readonly Difference[];
}

export async function verifyEvaluation(deps: VerifyDeps, principal: Principal, id: string): Promise<VerifyReport> {
  const row = await findEvaluationFor(deps, principal, 'verifyEvaluation', id);
  const compiled = await deps.ruleSets.get(row.ruleset_id, row.ruleset_version);
  const input = fromJsonText<unknown>(row.input);
  const inputSha256Matches = contentHash(input) === row.input_sha256;
  const base = {
    evaluationId: row.id,
    ruleset: { id: row.ruleset_id, version: row.ruleset_version, storedSha256: row.ruleset_sha256, currentSha256: compiled?.sha256 ?? null },
    inputSha256Matches,
  };
  if (!compiled) {
    return { ...base, identical: false, differences: [{ path: '$.ruleset', stored: `${row.ruleset_id} ${row.ruleset_version}`, recomputed: null }] };
  }
  const stored = fromJsonText<unknown>(row.result);
  let recomputed: unknown;
  try {
    recomputed = await scoreWithReference(compiled, input);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ...base, identical: false, differences: [{ path: '$', stored: 'result', recomputed: `${e.code}: ${e.message}` }] };
  }
  const differences = diff(stored, recomputed, '$');
  if (compiled.sha256 !== row.ruleset_sha256) {
    differences.unshift({ path: '$.ruleset.sha256', stored: row.ruleset_sha256, recomputed: compiled.sha256 });
  }
  return { ...base, identical: differences.length === 0 && inputSha256Matches, differences };
}

/** Leaf-level differences between two JSON values, with JSON paths. */
export function diff(a: unknown, b: unknown, path: string, out: Difference[] = [], limit = 200): Difference[] {
  if (out.length >= limit) return out;
  const isObj = (x: unknown) => x !== null && typeof x === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) diff(a[i], b[i], `${path}[${i}]`, out, limit);
    } else {
      const ra = a as Record<string, unknown>;
      const rb = b as Record<string, unknown>;
      // own properties only: keys are names from stored documents
      const at = (r: Record<string, unknown>, k: string) => (Object.hasOwn(r, k) ? r[k] : undefined);
      for (const k of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) diff(at(ra, k), at(rb, k), `${path}.${k}`, out, limit);
    }
    return out;
  }
  if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) out.push({ path, stored: a ?? null, recomputed: b ?? null });
  return out;
}
