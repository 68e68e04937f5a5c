// Use-cases: re-score stored evaluations (all, or by fiscal year / rule set) under a chosen rule-set version, writing
// new result rows and never touching the evaluations or their original results; and the impact preview — the same
// selection, paging, scoring and grade-transition tally under an unpublished candidate, storing nothing.
import { DomainError, type ErrorDetail } from '../domain/errors.js';
import type { GradeBand } from '../domain/grades.js';
import { fromUnits, roundHalfUp, toUnits } from '../domain/rounding.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import type { GoldenCase } from '../engine/check/index.js';
import { compileChecked, ENGINE_VERSION, type CompiledRuleSet } from '../engine/compiled.js';
import { scoreWithRuleSet } from '../engine/score.js';
import type { RescoringsTable } from '../storage/database.js';
import { toJsonText } from '../storage/json.js';
import type { EvaluationForRescore, RescoreSelection } from '../storage/rescorings.js';
import { capDetails, goldenCaseShapeErrors, publishRequestShapeErrors } from '../validation/index.js';
import { requireChecked, resolveCandidate, suppliedCases, type CandidateDeps } from './candidate.js';
import { newId, nextTurn } from './deps.js';
import { authorize } from './policy.js';
import type {
  Clock,
  ImpactStore,
  Principal,
  RescoreInput,
  RescoreOutcome,
  RescoreScorer,
  RescoreScoring,
  RescoreStore,
  RuleSetLookup,
} from './ports.js';

export interface RescoreDeps {
  readonly rescorings: RescoreStore;
  readonly ruleSets: RuleSetLookup;
  readonly clock: Clock;
  /** where the stored inputs are scored: in-process when absent (Node wires a pool of worker threads) */
  readonly rescoreScorer?: RescoreScorer;
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

/** What scoring a selection of stored evaluations under another version found: re-scoring and the preview report it alike. */
export interface SelectionOutcome {
  readonly failed: number;
  /** first few inputs the chosen version refuses, with why */
  readonly failures: readonly { readonly evaluationId: string; readonly reason: string }[];
  readonly gradeChanged: number;
  /** "excellent→good" → count */
  readonly gradeTransitions: Readonly<Record<string, number>>;
  readonly totalChanged: number;
}

export interface RescoreSummary extends SelectionOutcome {
  readonly runId: string;
  readonly ruleset: { readonly id: string; readonly version: string; readonly sha256: string };
  readonly selected: number;
  readonly written: number;
  readonly seconds: number;
}

/** One stored evaluation and what the chosen version gives it. */
interface Rescored {
  readonly evaluation: EvaluationForRescore;
  /** the result as stored (toJsonText), when the caller asked for it */
  readonly resultText: string | null;
  readonly total: number;
  readonly gradeCode: string;
}

/** What re-scoring a selection found, whatever is done with the new results. */
/** SelectionOutcome while it is being counted, and how many were scored. */
type SelectionTally = { -readonly [K in keyof SelectionOutcome]: SelectionOutcome[K] } & {
  scored: number;
  readonly failures: { evaluationId: string; reason: string }[];
  readonly gradeTransitions: Record<string, number>;
};

const MAX_FAILURES_LISTED = 10;

/** Why the chosen version refuses a stored input, as re-scoring and the preview list it. */
function refusalReason(e: DomainError): string {
  return `${e.code}: ${e.message}${e.details[0] ? `（${e.details[0].path} ${e.details[0].message}）` : ''}`;
}

/**
 * One stored input scored with `compiled`: its result as stored, or the refusal. Anything but a DomainError (a bug,
 * a stored input that is not JSON) is thrown: it fails the page, never counts as a refusal. The worker threads of
 * src/platform/rescore-pool.ts run this same function.
 */
export function scoreStoredInput(compiled: CompiledRuleSet, input: string, resultText: boolean): RescoreOutcome {
  try {
    const result = scoreWithRuleSet(compiled, JSON.parse(input) as unknown);
    return { ok: true, resultText: resultText ? toJsonText(result) : null, total: result.total, gradeCode: result.grade.code };
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ok: false, reason: refusalReason(e) };
  }
}

/** The default scorer: on the caller's thread (Workers, tests, and wherever no pool is wired). */
export const inProcessRescoreScorer: RescoreScorer = {
  begin(ruleSet, options): RescoreScoring {
    let ended = false;
    return {
      score: async (rows: readonly RescoreInput[]) => {
        if (ended) throw new DomainError('INTERNAL', '重新评分已结束，不再评分');
        return rows.map((row) => scoreStoredInput(ruleSet, row.input, options.resultText));
      },
      end: () => {
        ended = true;
      },
    };
  },
};

/**
 * Pages read ahead of the one being tallied and handed to the scorer, so worker threads are not idle while a page is
 * written. One is enough to keep two threads busy; two held ~60 MB more at peak (measured on 20,000 rows).
 */
const PAGES_AHEAD = 1;

/**
 * The loop re-scoring and the impact preview share: keyset pages of the selection in id order, each stored input
 * scored by `scoring` (a refusal is counted, never aborts the batch), grade transitions and changed totals
 * tallied; `onPage` receives each page's scored rows (re-scoring writes them, the preview only reads them).
 *
 * Pipelined, bounded: while page k is scored, page k+1 is read and queued for scoring and page k−1 is written; so at
 * most PAGES_AHEAD + 2 pages are held, whatever the row count. Pages are tallied, handed to `onPage`
 * and reported to `onProgress` strictly in order, one `onPage` at a time, as without the pipeline.
 *
 * A page whose scoring fails (anything but a refusal) fails the run, as it always has: the pages before it are written
 * in full (their `onPage` is awaited first), it and every later page not at all — each page is one `onPage` call, one
 * multi-row INSERT. Only the error is new: a DomainError INTERNAL saying in Chinese which page and what was written.
 */
async function scoreSelection(
  store: ImpactStore,
  scoring: RescoreScoring,
  selection: RescoreSelection,
  selected: number,
  options: {
    readonly batchSize: number;
    /** stop after reading this many rows (a cap holds even if rows are added after the count) */
    readonly readLimit?: number | undefined;
    readonly onPage: (rows: readonly Rescored[]) => Promise<void> | void;
    readonly onProgress?: ((done: number, total: number) => void) | undefined;
  },
): Promise<SelectionTally> {
  const tally: SelectionTally = { scored: 0, failed: 0, failures: [], gradeChanged: 0, gradeTransitions: {}, totalChanged: 0 };
  const reading = { after: '', read: 0, exhausted: false };
  const ahead: { readonly page: readonly EvaluationForRescore[]; readonly outcomes: Promise<RescoreOutcome[]> }[] = [];
  /** reads and hands to the scorer until PAGES_AHEAD pages wait (or the selection is read) */
  const readAhead = async () => {
    while (!reading.exhausted && ahead.length < PAGES_AHEAD) {
      const limit = options.readLimit === undefined ? options.batchSize : Math.min(options.batchSize, options.readLimit - reading.read);
      const page = limit <= 0 ? [] : await store.page(selection, reading.after, limit);
      if (page.length === 0) {
        reading.exhausted = true;
        break;
      }
      reading.read += page.length;
      reading.after = page[page.length - 1]!.id;
      const outcomes = scoring.score(page.map((ev) => ({ id: ev.id, input: ev.input })));
      outcomes.catch(() => {}); // awaited in its turn; a page abandoned after an earlier failure must not be "unhandled"
      ahead.push({ page, outcomes });
    }
  };
  /** the previous page's onPage, and how many rows were done once it completes */
  let writing: { readonly done: Promise<void>; readonly rows: number } | null = null;
  const finishWriting = async () => {
    if (!writing) return;
    const w = writing;
    writing = null;
    await w.done;
    options.onProgress?.(w.rows, selected);
    // a page at a time, other requests get their turn: on SQLite every read and write completes without one
    await nextTurn();
  };
  let done = 0;
  let pageNumber = 0;
  await readAhead();
  while (ahead.length > 0) {
    const { page, outcomes: scored } = ahead.shift()!;
    pageNumber++;
    try {
      await readAhead();
    } catch (e) {
      // a read that fails (the store is broken) fails the run as it is, once the page being written is
      await finishWriting();
      throw e;
    }
    let outcomes: RescoreOutcome[];
    try {
      outcomes = await scored;
    } catch (e) {
      await finishWriting();
      throw pageFailure(e, pageNumber, page[0]!.id, done);
    }
    const rows: Rescored[] = [];
    page.forEach((ev, i) => {
      const outcome = outcomes[i]!;
      if (!outcome.ok) {
        tally.failed++;
        if (tally.failures.length < MAX_FAILURES_LISTED) tally.failures.push({ evaluationId: ev.id, reason: outcome.reason });
        return;
      }
      rows.push({ evaluation: ev, resultText: outcome.resultText, total: outcome.total, gradeCode: outcome.gradeCode });
      if (outcome.gradeCode !== ev.grade_code) {
        tally.gradeChanged++;
        const key = `${ev.grade_code}→${outcome.gradeCode}`;
        tally.gradeTransitions[key] = (tally.gradeTransitions[key] ?? 0) + 1;
      }
      if (outcome.total !== ev.total) tally.totalChanged++;
    });
    await finishWriting();
    tally.scored += rows.length;
    done += page.length;
    writing = { done: Promise.resolve(options.onPage(rows)), rows: done };
    writing.done.catch(() => {}); // awaited by finishWriting
  }
  await finishWriting();
  return tally;
}

/** A page that could not be scored, said in Chinese with where the run stopped (the cause is kept for the log). */
function pageFailure(e: unknown, pageNumber: number, firstId: string, done: number): DomainError {
  if (e instanceof DomainError && e.code !== 'INTERNAL') return e;
  const why = e instanceof Error ? e.message : String(e);
  return new DomainError(
    'INTERNAL',
    `重新评分中止：第 ${pageNumber} 页（评价 ${firstId} 起）评分出错：${why}；此前 ${done} 条已处理（已写入的结果保留），本页及以后各页未写入`,
    [],
    { cause: e },
  );
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

  const scoring = (deps.rescoreScorer ?? inProcessRescoreScorer).begin(compiled, { resultText: true });
  let tally: SelectionTally;
  try {
    tally = await scoreSelection(deps.rescorings, scoring, request.selection, selected, {
      batchSize,
      onProgress: request.onProgress,
      onPage: (rows) =>
        deps.rescorings.insertResults(
          rows.map(({ evaluation: ev, resultText, total, gradeCode }) => ({
            id: `${runId}:${ev.id}`, // one row per evaluation per run
            run_id: runId,
            evaluation_id: ev.id,
            result: resultText!,
            total,
            grade_code: gradeCode,
            previous_total: ev.total,
            previous_grade_code: ev.grade_code,
            created_at: now,
          }) satisfies RescoringsTable),
        ),
    });
  } finally {
    scoring.end();
  }
  return {
    runId,
    ruleset: { id: compiled.document.id, version: compiled.document.version, sha256: compiled.sha256 },
    selected,
    written: tally.scored,
    failed: tally.failed,
    failures: tally.failures,
    gradeChanged: tally.gradeChanged,
    gradeTransitions: tally.gradeTransitions,
    totalChanged: tally.totalChanged,
    seconds: (Date.now() - started) / 1000,
  };
}

// ---- impact preview -------------------------------------------------------------------------------------------

/** Rows an API request may preview at once; larger selections are for `cli impact`. */
export const IMPACT_MAX_ROWS = 20000;
/** Most most-affected units listed. */
export const IMPACT_UNITS_LISTED = 10;
/** Most years a request may name (the fiscal-year range is 2000–2100). */
const MAX_IMPACT_YEARS = 101;
/** Deltas are summed as integer millionths of a point: exact for any total of up to 6 decimals. */
const DELTA_DECIMALS = 6;
/** The mean delta is reported at two decimals, half-up. */
const MEAN_DECIMALS = 2;

export interface ImpactDeps {
  readonly rescorings: ImpactStore;
  /** where the stored evaluations' own versions are looked up, for their grades' names */
  readonly ruleSets: RuleSetLookup;
  /** as RescoreDeps.rescoreScorer: in-process when absent */
  readonly rescoreScorer?: RescoreScorer;
}

export interface ImpactDocumentDeps extends ImpactDeps, CandidateDeps {}

export interface ImpactRequest {
  /** the candidate version, checked and compiled; it need not be (and usually is not) published */
  readonly candidate: CompiledRuleSet;
  /** only these fiscal years (each within the candidate's fiscalYears) */
  readonly years?: readonly number[];
  /** refuse, before scoring anything, a selection of more rows than this */
  readonly maxRows?: number;
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface GradeRef {
  readonly code: string;
  /** e.g. 优 / 优秀; null when the rule set that gave the grade is not available */
  readonly name: string | null;
  readonly label: string | null;
}

export interface ImpactGradeChange {
  /** the stored grade, named by the version it was scored with (else by the candidate's band of that code) */
  readonly from: GradeRef;
  /** the candidate's grade */
  readonly to: GradeRef;
  readonly count: number;
}

export interface ImpactDeltaBucket {
  /** the interval of (new total − stored total), e.g. "(-5, -1]" */
  readonly range: string;
  readonly count: number;
}

export interface ImpactUnit {
  readonly unitId: string;
  /** project.unitName of the unit's stored submissions (the first one read) */
  readonly unitName: string | null;
  /** scored evaluations of the unit in the selection */
  readonly evaluations: number;
  readonly gradeChanges: number;
  /** sum of (new − stored total) */
  readonly sumDelta: number;
  /** sum of |new − stored total|: what units are ranked by */
  readonly sumAbsDelta: number;
  /** the largest |new − stored total| of one evaluation */
  readonly maxAbsDelta: number;
}

export interface ImpactReport extends SelectionOutcome {
  readonly candidate: {
    readonly id: string;
    readonly version: string;
    readonly sha256: string;
    readonly fiscalYears: { readonly from: number; readonly to: number | null };
  };
  /** stored evaluations of the candidate's rule set in its fiscal years (and in `years` when given) */
  readonly selection: { readonly rulesetId: string; readonly fiscalYearFrom: number; readonly fiscalYearTo: number | null; readonly years: readonly number[] | null };
  readonly selected: number;
  readonly scored: number;
  /** the same transitions as gradeTransitions, with the grades' names, most frequent first */
  readonly gradeChanges: readonly ImpactGradeChange[];
  readonly deltas: {
    readonly buckets: readonly ImpactDeltaBucket[];
    /** null when nothing was scored */
    readonly min: number | null;
    readonly max: number | null;
    readonly mean: number | null;
  };
  /** the units with the largest sum of |delta| (ties by unitId), at most IMPACT_UNITS_LISTED */
  readonly unitsMostAffected: readonly ImpactUnit[];
}

const POINT = 10 ** DELTA_DECIMALS;

/** Fixed buckets of new − stored total, in millionths of a point: `fits(d)` decides membership. */
const DELTA_BUCKETS: readonly { readonly range: string; readonly fits: (d: number) => boolean }[] = [
  { range: '≤ -10', fits: (d) => d <= -10 * POINT },
  { range: '(-10, -5]', fits: (d) => d > -10 * POINT && d <= -5 * POINT },
  { range: '(-5, -1]', fits: (d) => d > -5 * POINT && d <= -1 * POINT },
  { range: '(-1, 0)', fits: (d) => d > -1 * POINT && d < 0 },
  { range: '0', fits: (d) => d === 0 },
  { range: '(0, 1)', fits: (d) => d > 0 && d < POINT },
  { range: '[1, 5)', fits: (d) => d >= POINT && d < 5 * POINT },
  { range: '[5, 10)', fits: (d) => d >= 5 * POINT && d < 10 * POINT },
  { range: '≥ 10', fits: (d) => d >= 10 * POINT },
];

function badYears(message: string, details: readonly ErrorDetail[]): DomainError {
  return new DomainError('BAD_REQUEST', message, details);
}

function yearRangeText(fiscalYears: RuleSetDocument['fiscalYears']): string {
  return fiscalYears.to === undefined ? `${fiscalYears.from} 年起` : `${fiscalYears.from}–${fiscalYears.to} 年`;
}

/**
 * `years` must be distinct integers, and inside the candidate's fiscal years when given (a year outside them would
 * select nothing); sorted.
 */
function checkYears(years: readonly unknown[], fiscalYears: RuleSetDocument['fiscalYears'] | null): number[] {
  if (years.length === 0) throw badYears('years 不能为空数组（不限年度时请省略）', [{ path: '$.years', message: '至少一个年度' }]);
  if (years.length > MAX_IMPACT_YEARS) throw badYears(`years 最多 ${MAX_IMPACT_YEARS} 个年度`, [{ path: '$.years', message: `有 ${years.length} 个` }]);
  const details: ErrorDetail[] = [];
  const seen = new Set<number>();
  years.forEach((y, i) => {
    const path = `$.years[${i}]`;
    if (typeof y !== 'number' || !Number.isInteger(y)) details.push({ path, message: '应为整数财政年度' });
    else if (fiscalYears && (y < fiscalYears.from || (fiscalYears.to !== undefined && y > fiscalYears.to))) {
      details.push({ path, message: `${y} 年不在候选规则集适用的财政年度（${yearRangeText(fiscalYears)}）内` });
    } else if (seen.has(y)) details.push({ path, message: `${y} 年重复` });
    else seen.add(y);
  });
  if (details.length > 0) throw badYears('所选年度有误', capDetails(details));
  return [...seen].sort((a, b) => a - b);
}

interface UnitTally {
  unitName: string | null;
  evaluations: number;
  gradeChanges: number;
  sumDelta: number;
  sumAbsDelta: number;
  maxAbsDelta: number;
}

function unitNameOf(input: unknown): string | null {
  const name = (input as { project?: { unitName?: unknown } } | null)?.project?.unitName;
  return typeof name === 'string' && name !== '' ? name : null;
}

function gradeRef(code: string, bands: readonly GradeBand[] | undefined): GradeRef {
  const band = bands?.find((b) => b.code === code);
  return { code, name: band?.name ?? null, label: band?.label ?? null };
}

/**
 * A dry run of a candidate version over the stored evaluations it would apply to (its rule set, its fiscal years,
 * optionally only `years`): every one is scored and compared with its stored total and grade, and nothing is
 * written — no run, no result rows.
 */
export async function previewImpact(deps: ImpactDeps, principal: Principal, request: ImpactRequest): Promise<ImpactReport> {
  authorize(principal, 'previewImpact');
  const doc = request.candidate.document;
  const years = request.years === undefined ? null : checkYears(request.years, doc.fiscalYears);
  const selection: RescoreSelection = {
    rulesetId: doc.id,
    fiscalYearFrom: doc.fiscalYears.from,
    ...(doc.fiscalYears.to !== undefined ? { fiscalYearTo: doc.fiscalYears.to } : {}),
    ...(years ? { fiscalYears: years } : {}),
  };
  const selected = await deps.rescorings.count(selection);
  if (request.maxRows !== undefined && selected > request.maxRows) {
    throw new DomainError(
      'BAD_REQUEST',
      `候选规则集适用的已保存评价有 ${selected} 条，超过单次预览上限 ${request.maxRows} 条；请用 years 选择较少的年度，或在服务器上运行 cli impact`,
      [{ path: years ? '$.years' : '$.ruleset.fiscalYears', message: `选中 ${selected} 条，上限 ${request.maxRows} 条` }],
    );
  }

  const deltaCounts = DELTA_BUCKETS.map(() => 0);
  // an object, not `let`s: the page callback updates it and the report reads it after the loop
  const spread: { min: number | null; max: number | null; sum: number } = { min: null, max: null, sum: 0 };
  const units = new Map<string, UnitTally>();
  /** per transition, the stored version of its first evaluation (whose grade names the "from" side) */
  const fromVersionOf = new Map<string, string>();

  const scoring = (deps.rescoreScorer ?? inProcessRescoreScorer).begin(request.candidate, { resultText: false });
  let tally: SelectionTally;
  try {
    tally = await scoreSelection(deps.rescorings, scoring, selection, selected, {
      batchSize: request.batchSize ?? 500,
      readLimit: request.maxRows,
      onProgress: request.onProgress,
      onPage: (rows) => {
        for (const { evaluation: ev, total, gradeCode } of rows) {
          const delta = toUnits(total, DELTA_DECIMALS) - toUnits(ev.total, DELTA_DECIMALS);
          deltaCounts[DELTA_BUCKETS.findIndex((b) => b.fits(delta))]!++;
          spread.min = spread.min === null ? delta : Math.min(spread.min, delta);
          spread.max = spread.max === null ? delta : Math.max(spread.max, delta);
          spread.sum += delta;
          const changedGrade = gradeCode !== ev.grade_code;
          if (changedGrade) {
            const key = `${ev.grade_code}→${gradeCode}`;
            if (!fromVersionOf.has(key)) fromVersionOf.set(key, ev.ruleset_version);
          }
          let unit = units.get(ev.unit_id);
          if (!unit) {
            // the stored input is parsed again only for a unit's first row (it parsed when it was scored)
            unit = { unitName: unitNameOf(JSON.parse(ev.input)), evaluations: 0, gradeChanges: 0, sumDelta: 0, sumAbsDelta: 0, maxAbsDelta: 0 };
            units.set(ev.unit_id, unit);
          }
          unit.evaluations++;
          if (changedGrade) unit.gradeChanges++;
          unit.sumDelta += delta;
          unit.sumAbsDelta += Math.abs(delta);
          unit.maxAbsDelta = Math.max(unit.maxAbsDelta, Math.abs(delta));
        }
      },
    });
  } finally {
    scoring.end();
  }

  const points = (units: number) => fromUnits(units, DELTA_DECIMALS);
  const storedGrades = new Map<string, readonly GradeBand[] | undefined>();
  const gradeChanges: ImpactGradeChange[] = [];
  for (const [key, count] of Object.entries(tally.gradeTransitions)) {
    const [from, to] = key.split('→') as [string, string];
    const version = fromVersionOf.get(key)!;
    if (!storedGrades.has(version)) storedGrades.set(version, (await deps.ruleSets.get(doc.id, version))?.document.grades);
    // grade codes are stable across versions of a rule set: the candidate's band names a code its stored version lacks
    const fromRef = gradeRef(from, storedGrades.get(version));
    gradeChanges.push({ from: fromRef.name === null ? gradeRef(from, doc.grades) : fromRef, to: gradeRef(to, doc.grades), count });
  }
  gradeChanges.sort((a, b) => b.count - a.count || a.from.code.localeCompare(b.from.code) || a.to.code.localeCompare(b.to.code));

  const unitsMostAffected = [...units]
    .sort(([aId, a], [bId, b]) => b.sumAbsDelta - a.sumAbsDelta || (aId < bId ? -1 : aId > bId ? 1 : 0))
    .slice(0, IMPACT_UNITS_LISTED)
    .map(([unitId, u]) => ({
      unitId,
      unitName: u.unitName,
      evaluations: u.evaluations,
      gradeChanges: u.gradeChanges,
      sumDelta: points(u.sumDelta),
      sumAbsDelta: points(u.sumAbsDelta),
      maxAbsDelta: points(u.maxAbsDelta),
    }));

  return {
    candidate: { id: doc.id, version: doc.version, sha256: request.candidate.sha256, fiscalYears: { from: doc.fiscalYears.from, to: doc.fiscalYears.to ?? null } },
    selection: { rulesetId: doc.id, fiscalYearFrom: doc.fiscalYears.from, fiscalYearTo: doc.fiscalYears.to ?? null, years },
    selected,
    scored: tally.scored,
    failed: tally.failed,
    failures: tally.failures,
    gradeChanged: tally.gradeChanged,
    gradeTransitions: tally.gradeTransitions,
    gradeChanges,
    totalChanged: tally.totalChanged,
    deltas: {
      buckets: DELTA_BUCKETS.map((b, i) => ({ range: b.range, count: deltaCounts[i]! })),
      min: spread.min === null ? null : points(spread.min),
      max: spread.max === null ? null : points(spread.max),
      mean: tally.scored === 0 ? null : roundHalfUp(spread.sum / tally.scored / POINT, MEAN_DECIMALS),
    },
    unitsMostAffected,
  };
}

/**
 * The API form (POST /v1/rulesets/impact, bureau only): body `{ ruleset, years?, cases? }`. The candidate is
 * resolved (extends, shared rule groups) and must pass every check and the cases supplied with it; the preview is
 * capped at IMPACT_MAX_ROWS rows.
 */
export async function previewImpactOfDocument(deps: ImpactDocumentDeps, principal: Principal, body: unknown): Promise<ImpactReport> {
  authorize(principal, 'previewImpact');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError('RULESET_INVALID', '影响预览请求应为 JSON 对象', [{ path: '$', message: '应为对象' }]);
  }
  const { years, ...rest } = body as { years?: unknown };
  // the rest is what a publish request holds: the same envelope checks (bounds, no other properties)
  const shape = publishRequestShapeErrors(rest);
  if (shape.length > 0) throw new DomainError('RULESET_INVALID', '影响预览请求不符合格式要求', shape);
  if (years !== undefined && !Array.isArray(years)) throw badYears('years 应为财政年度的数组', [{ path: '$.years', message: '应为数组' }]);
  // before the check, which costs far more; the candidate's own years are checked once it is known
  if (years !== undefined) checkYears(years as unknown[], null);
  const request = rest as { ruleset: unknown; cases?: unknown[] };
  const cases = suppliedCases(request.cases);
  const candidate = await resolveCandidate(deps, request.ruleset);
  // a candidate usually changes scoring for years the shipped cases cover (that is what is previewed): only the cases
  // supplied with it must pass, and the coverage gate is for publishing
  await requireChecked(deps, candidate, cases, '候选规则集未通过检查，无法预览影响', { requireCaseCoverage: false });
  return previewImpact(deps, principal, {
    candidate: compileChecked(candidate),
    ...(years !== undefined ? { years: years as unknown[] as number[] } : {}),
    maxRows: IMPACT_MAX_ROWS,
  });
}
