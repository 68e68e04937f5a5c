// Document routes (scored workbook and Word 自评报告 draft of a stored evaluation): handlers for contract.ts's routes.
import type { Context } from 'hono';
import { contentDisposition, renderDocument, viewOfEvaluation, type DocumentKind } from '../../report/files.js';
import { getEvaluation } from '../../services/evaluation-view.js';
import { principalOf } from '../auth.js';
import type { AppEnv } from '../env.js';
import type { Handlers } from './handler.js';

/** The same reading as GET /v1/evaluations/{id} (a unit only its own), rendered from the one report view. */
async function document(c: Context<AppEnv>, kind: DocumentKind): Promise<Response> {
  const evaluation = await getEvaluation(c.get('deps'), principalOf(c), c.req.param('id')!);
  const rendered = await renderDocument(viewOfEvaluation(evaluation), kind);
  c.header('Content-Type', rendered.mediaType);
  c.header('Content-Disposition', contentDisposition(rendered));
  return c.body(rendered.bytes as Uint8Array<ArrayBuffer>, 200);
}

export const documentHandlers: Handlers<'getEvaluationWorkbook' | 'getEvaluationReport'> = {
  getEvaluationWorkbook: (c) => document(c, 'xlsx'),
  getEvaluationReport: (c) => document(c, 'docx'),
};
