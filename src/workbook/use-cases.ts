// The workbook use-cases the HTTP routes and the CLI share: a template (blank or prefilled from a stored evaluation)
// and an uploaded workbook submitted like JSON, its errors naming their cells.
import { DomainError } from '../domain/errors.js';
import type { Submission } from '../domain/submission.js';
import { getRuleSetVersion, type CatalogueDeps } from '../services/catalogue.js';
import { getEvaluation, type ViewDeps } from '../services/evaluation-view.js';
import type { Principal } from '../services/ports.js';
import { submitEvaluation, type SubmitDeps } from '../services/submit.js';
import type { EvaluationView } from '../services/evaluation-view.js';
import { buildTemplate, type Template } from './template.js';
import { submissionFromWorkbook, withCells, type ReadWorkbook } from './index.js';

/** The template of a version, prefilled from `from` (a submission, or the id of a stored evaluation the principal may read). */
export async function ruleSetTemplate(
  deps: CatalogueDeps & ViewDeps,
  principal: Principal,
  id: string,
  version: string,
  from?: string | Submission,
): Promise<Template & { fileName: string }> {
  const entry = await getRuleSetVersion(deps, principal, id, version);
  const prefill = typeof from === 'string' ? (await getEvaluation(deps, principal, from)).input : from;
  const template = await buildTemplate(entry.ruleset, entry.sha256, prefill);
  return { ...template, fileName: `${id}-${version}-自评表.xlsx` };
}

/** An uploaded workbook read into a submission; every error of reading it names its cell. */
export async function readUploadedWorkbook(deps: Pick<CatalogueDeps, 'ruleSets'>, bytes: Uint8Array): Promise<ReadWorkbook> {
  return submissionFromWorkbook(bytes, (id, version) => deps.ruleSets.get(id, version));
}

/** Errors of validating a workbook's submission, with the cell of each path in its message. */
export async function withCellsOnError<T>(read: ReadWorkbook, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof DomainError && e.details.length > 0) {
      throw new DomainError(e.code, e.message, withCells(e.details, read.cells), { cause: e });
    }
    throw e;
  }
}

/** POST /v1/evaluations with a workbook: read, then the same submission as JSON. */
export async function submitWorkbook(
  deps: SubmitDeps & Pick<CatalogueDeps, 'ruleSets'>,
  principal: Principal,
  bytes: Uint8Array,
  idempotencyKey: string | undefined,
): Promise<{ evaluation: EvaluationView; replayed: boolean; read: ReadWorkbook }> {
  const read = await readUploadedWorkbook(deps, bytes);
  const outcome = await withCellsOnError(read, () => submitEvaluation(deps, principal, read.submission, idempotencyKey));
  return { ...outcome, read };
}
