// Use-case: re-score stored evaluations (all, or by fiscal year / rule set) under a chosen rule-set version,
// writing new result rows and never touching the evaluations or their original results.
import { DomainError } from '../domain/errors.js';
import { ENGINE_VERSION } from '../engine/compiled.js';
import { scoreWithRuleSet } from '../engine/score.js';
import type { RescoringsTable } from '../storage/database.js';
import { toJsonText } from '../storage/json.js';
import type { RescoreSelection } from '../storage/rescorings.js';
import { newId } from './deps.js';
import { authorize } from './policy.js';
import type { Clock, Principal, RescoreStore, RuleSetLookup } from './ports.js';

export interface RescoreDeps {
  readonly rescorings: RescoreStore;
  readonly ruleSets: RuleSetLookup;
  readonly clock: Clock;
}

export interface RescoreRequest {
  readonly rulesetId: string;
  readonly version: string;
  readonly selection: RescoreSelection;
  readonly startedBy: string;
  /** rows per read and per INSERT */
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RescoreSummary {
  readonly runId: string;
  readonly ruleset: { readonly id: string; readonly version: string; readonly sha256: string };
  readonly selected: number;
  readonly written: number;
  readonly failed: number;
  /** first few inputs the chosen version refuses, with why */
  readonly failures: readonly { readonly evaluationId: string; readonly reason: string }[];
  readonly gradeChanged: number;
  /** "excellent→good" → count */
  readonly gradeTransitions: Readonly<Record<string, number>>;
  readonly totalChanged: number;
  readonly seconds: number;
}

export async function rescoreEvaluations(deps: RescoreDeps, principal: Principal, request: RescoreRequest): Promise<RescoreSummary> {
  authorize(principal, 'rescoreEvaluations');
  const started = Date.now();
  const compiled = await deps.ruleSets.get(request.rulesetId, request.version);
  if (!compiled) throw new DomainError('RULESET_NOT_FOUND', `没有评分规则集 ${request.rulesetId} ${request.version}`);
  const batchSize = request.batchSize ?? 500;
  const selected = await deps.rescorings.count(request.selection);
  const runId = newId('rs');
  const now = deps.clock().toISOString();
  await deps.rescorings.insertRun({
    id: runId,
    ruleset_id: compiled.document.id,
    ruleset_version: compiled.document.version,
    ruleset_sha256: compiled.sha256,
    engine_version: ENGINE_VERSION,
    selection: toJsonText(request.selection),
    started_at: now,
    started_by: request.startedBy,
  });

  let after = '';
  let done = 0;
  let written = 0;
  let failed = 0;
  let gradeChanged = 0;
  let totalChanged = 0;
  const failures: { evaluationId: string; reason: string }[] = [];
  const transitions: Record<string, number> = {};
  for (;;) {
    const page = await deps.rescorings.page(request.selection, after, batchSize);
    if (page.length === 0) break;
    const rows: RescoringsTable[] = [];
    for (const ev of page) {
      try {
        const result = scoreWithRuleSet(compiled, JSON.parse(ev.input));
        rows.push({
          id: `${runId}:${ev.id}`, // one row per evaluation per run
          run_id: runId,
          evaluation_id: ev.id,
          result: toJsonText(result),
          total: result.total,
          grade_code: result.grade.code,
          previous_total: ev.total,
          previous_grade_code: ev.grade_code,
          created_at: now,
        });
        if (result.grade.code !== ev.grade_code) {
          gradeChanged++;
          const key = `${ev.grade_code}→${result.grade.code}`;
          transitions[key] = (transitions[key] ?? 0) + 1;
        }
        if (result.total !== ev.total) totalChanged++;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failed++;
        if (failures.length < 10) failures.push({ evaluationId: ev.id, reason: `${e.code}: ${e.message}${e.details[0] ? `（${e.details[0].path} ${e.details[0].message}）` : ''}` });
      }
    }
    await deps.rescorings.insertResults(rows);
    written += rows.length;
    done += page.length;
    after = page[page.length - 1]!.id;
    request.onProgress?.(done, selected);
  }
  return {
    runId,
    ruleset: { id: compiled.document.id, version: compiled.document.version, sha256: compiled.sha256 },
    selected,
    written,
    failed,
    failures,
    gradeChanged,
    gradeTransitions: transitions,
    totalChanged,
    seconds: (Date.now() - started) / 1000,
  };
}
