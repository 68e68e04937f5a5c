// Workbook routes (the 自评表 template and workbook uploads): handlers for the routes contract.ts declares, and the
// reading of an uploaded workbook's bytes for POST /v1/evaluations.
import type { Context } from 'hono';
import { DomainError } from '../../domain/errors.js';
import { ZIP_LIMITS, XLSX_MEDIA_TYPE } from '../../workbook/index.js';
import { ruleSetTemplate } from '../../workbook/use-cases.js';
import { principalOf } from '../auth.js';
import { clientAbortError } from '../body.js';
import type { AppEnv } from '../env.js';
import type { Handlers } from './handler.js';

/** Whether the request body is declared to be an .xlsx workbook. */
export function isWorkbookUpload(c: Context): boolean {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === XLSX_MEDIA_TYPE;
}

/** The uploaded workbook's bytes (the body limit in front has already capped them at 2 MiB). */
export async function readWorkbookBody(c: Context): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await c.req.arrayBuffer());
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw clientAbortError();
  }
  if (bytes.length === 0) throw new DomainError('SUBMISSION_INVALID', '请求体为空：应为填好的自评表工作簿（.xlsx）', [{ path: '$', message: '请求体为空' }]);
  if (bytes.length > ZIP_LIMITS.maxFileBytes) throw new DomainError('PAYLOAD_TOO_LARGE', `工作簿文件超过上限 ${ZIP_LIMITS.maxFileBytes / 1024 / 1024} MiB`);
  return bytes;
}

/** attachment; filename="<ascii>"; filename*=UTF-8''<the Chinese name, percent-encoded> */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '') || 'workbook.xlsx';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

export const workbookHandlers: Handlers<'getRuleSetTemplate'> = {
  getRuleSetTemplate: async (c) => {
    const unknown = Object.keys(c.req.query()).filter((k) => k !== 'from');
    if (unknown.length > 0) {
      throw new DomainError('BAD_REQUEST', '查询参数有误', unknown.map((k) => ({ path: `query.${k}`, message: `未知的查询参数「${k}」（可用：from）` })));
    }
    const from = c.req.query('from');
    const template = await ruleSetTemplate(c.get('deps'), principalOf(c), c.req.param('id')!, c.req.param('version')!, from || undefined);
    c.header('Content-Type', XLSX_MEDIA_TYPE);
    c.header('Content-Disposition', attachment(template.fileName));
    return c.body(template.bytes as Uint8Array<ArrayBuffer>, 200);
  },
};
