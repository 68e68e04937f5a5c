// 佐证材料 routes: upload a file to an item (the unit, its own evaluation), list, and download (whoever may read it).
import { attachEvidence, attachmentDisposition, downloadEvidence, listEvidence } from '../../services/evidence.js';
import { principalOf } from '../auth.js';
import type { Handlers } from './handler.js';

/** The upload route's path, for its larger body limit (app.ts). */
export const EVIDENCE_UPLOAD_PATH = /^\/v1\/evaluations\/[^/]+\/items\/[^/]+\/evidence$/;

/** X-File-Name is percent-encoded UTF-8 (a header cannot carry 中文 as it is). */
function fileNameHeader(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export const evidenceHandlers: Handlers<'listEvidence' | 'attachEvidence' | 'downloadEvidence'> = {
  listEvidence: async (c) => c.json({ evidence: await listEvidence(c.get('deps'), principalOf(c), c.req.param('id')!) }),
  attachEvidence: async (c) => {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const entry = await attachEvidence(c.get('deps'), principalOf(c), c.req.param('id')!, c.req.param('itemId')!, fileNameHeader(c.req.header('x-file-name')), bytes);
    return c.json(entry, 201);
  },
  downloadEvidence: async (c) => {
    const { entry, bytes } = await downloadEvidence(c.get('deps'), principalOf(c), c.req.param('id')!, c.req.param('evidenceId')!);
    // always a download, never shown inline by the browser, whatever the file is
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': attachmentDisposition(entry.fileName),
      'X-Content-Type-Options': 'nosniff',
    });
  },
};
