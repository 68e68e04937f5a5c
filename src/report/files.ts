// A stored evaluation's office files: the report view built once from getEvaluation, each renderer's bytes, media type
// and file name (also for the Content-Disposition header).
import type { EvaluationView } from '../services/evaluation-view.js';
import { reportView, type ReportView } from './view.js';
import { renderReportDraft, DOCX_MEDIA_TYPE } from './word.js';
import { renderScoredWorkbook, XLSX_MEDIA_TYPE } from './workbook.js';

export type DocumentKind = 'xlsx' | 'docx';

export interface RenderedDocument {
  readonly bytes: Uint8Array;
  readonly mediaType: string;
  /** the Chinese name a person saves it under */
  readonly fileName: string;
  /** an ASCII name for clients that cannot read filename* */
  readonly asciiFileName: string;
}

export function viewOfEvaluation(evaluation: EvaluationView): ReportView {
  return reportView({ result: evaluation.result, input: evaluation.input, whatItWouldTake: evaluation.whatItWouldTake, evaluation });
}

/** Characters no file system accepts in a name, and control characters, become _. */
function safeName(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').slice(0, 80);
}

export function fileNameOf(view: ReportView, kind: DocumentKind): string {
  const what = kind === 'xlsx' ? '自评表' : '自评报告';
  return `${safeName(view.project.name)}-${view.project.fiscalYear}-${what}${view.evaluation ? `-${view.evaluation.id}` : ''}.${kind}`;
}

export async function renderDocument(view: ReportView, kind: DocumentKind, now?: Date): Promise<RenderedDocument> {
  const options = now ? { now } : {};
  const bytes = kind === 'xlsx' ? await renderScoredWorkbook(view, options) : await renderReportDraft(view, options);
  const id = (view.evaluation?.id ?? 'trial').replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    bytes,
    mediaType: kind === 'xlsx' ? XLSX_MEDIA_TYPE : DOCX_MEDIA_TYPE,
    fileName: fileNameOf(view, kind),
    asciiFileName: `${id}-${kind === 'xlsx' ? 'table' : 'report'}.${kind}`,
  };
}

/** RFC 6266 / 5987: an ASCII fallback and the UTF-8 name, percent-encoded (also !'()* which encodeURIComponent keeps). */
export function contentDisposition(document: Pick<RenderedDocument, 'fileName' | 'asciiFileName'>): string {
  const encoded = encodeURIComponent(document.fileName).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${document.asciiFileName}"; filename*=UTF-8''${encoded}`;
}
