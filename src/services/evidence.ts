// Use-case: 佐证材料. A unit attaches files (PDF, PNG/JPEG images, office documents — never SVG, HTML or scripts) to an
// item of its own evaluation; whoever may read the evaluation may download them. The type is taken from the content,
// not from the name or the request's Content-Type; files are stored once by content hash.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { fileTypeFromBuffer } from 'file-type';
import { DomainError } from '../domain/errors.js';
import type { ScoreResult } from '../domain/result.js';
import type { EvidenceTable } from '../storage/evidence.js';
import { fromJsonText } from '../storage/json.js';
import { newId } from './deps.js';
import { findEvaluationFor, type ViewDeps } from './evaluation-view.js';
import type { BlobStore, Clock, EvidenceStore, Principal } from './ports.js';

/** At most per file and per evaluation (the upload route's body limit is the file limit). */
export const MAX_EVIDENCE_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_EVIDENCE_PER_EVALUATION_BYTES = 100 * 1024 * 1024;
const MAX_FILE_NAME_LENGTH = 200;

/** What the content may be (file-type's verdict) → the media type served back. OLE2 is the container of .doc/.xls. */
const ACCEPTED = new Map<string, { readonly mediaType: string; readonly kind: string }>([
  ['application/pdf', { mediaType: 'application/pdf', kind: 'PDF 文件' }],
  ['image/png', { mediaType: 'image/png', kind: 'PNG 图片' }],
  ['image/jpeg', { mediaType: 'image/jpeg', kind: 'JPEG 图片' }],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'Word 文档' }],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', { mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'Excel 工作簿' }],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', { mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'PowerPoint 演示文稿' }],
  ['application/x-cfb', { mediaType: 'application/octet-stream', kind: 'Office 97–2003 文件' }],
]);

export interface EvidenceDeps extends ViewDeps {
  readonly evidence: EvidenceStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
}

export interface EvidenceEntry {
  readonly id: string;
  readonly evaluationId: string;
  readonly itemId: string;
  readonly fileName: string;
  readonly size: number;
  readonly mediaType: string;
  readonly sha256: string;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
}

const entryOf = (row: EvidenceTable): EvidenceEntry => ({
  id: row.id,
  evaluationId: row.evaluation_id,
  itemId: row.item_id,
  fileName: row.file_name,
  size: row.size,
  mediaType: row.media_type,
  sha256: row.sha256,
  uploadedBy: row.uploaded_by,
  uploadedAt: row.uploaded_at,
});

function refused(message: string, path: string, detail: string): DomainError {
  return new DomainError('EVIDENCE_REFUSED', message, [{ path, message: detail }]);
}

/** A file name people gave: no path, no control characters, bounded. */
function cleanFileName(raw: string | undefined): string {
  const name = (raw ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name === '') throw refused('缺少文件名', 'header.X-File-Name', '请在 X-File-Name 头中给出文件名（UTF-8，百分号编码）');
  if (name.length > MAX_FILE_NAME_LENGTH) throw refused('文件名过长', 'header.X-File-Name', `文件名最多 ${MAX_FILE_NAME_LENGTH} 个字符`);
  return name;
}

export async function attachEvidence(
  deps: EvidenceDeps,
  principal: Principal,
  evaluationId: string,
  itemId: string,
  fileName: string | undefined,
  bytes: Uint8Array,
): Promise<EvidenceEntry> {
  const row = await findEvaluationFor(deps, principal, 'attachEvidence', evaluationId);
  const name = cleanFileName(fileName);
  const result = fromJsonText<ScoreResult>(row.result);
  const item = result.items.find((i) => i.id === itemId);
  if (!item) throw new DomainError('NOT_FOUND', `评价「${row.id}」中没有编号为「${itemId}」的指标项`);
  if (bytes.length === 0) throw refused('文件为空', '$', '没有收到文件内容');
  if (bytes.length > MAX_EVIDENCE_FILE_BYTES) throw refused('文件过大', '$', `单个文件最大 ${MAX_EVIDENCE_FILE_BYTES / 1024 / 1024} MB`);
  // the content says what it is; SVG, HTML and scripts are text, which file-type does not claim, and are refused
  const sniffed = await fileTypeFromBuffer(bytes);
  const accepted = sniffed ? ACCEPTED.get(sniffed.mime) : undefined;
  if (!accepted) {
    throw refused('不接受这种文件', '$', `佐证材料只接受 PDF、PNG/JPEG 图片和 Office 文档；该文件${sniffed ? `的内容为 ${sniffed.mime}` : '不是其中任何一种（如 SVG、HTML、脚本或纯文本）'}`);
  }
  const already = await deps.evidence.bytesFor(row.id);
  if (already + bytes.length > MAX_EVIDENCE_PER_EVALUATION_BYTES) {
    throw refused('超出该评价的佐证材料总量', '$', `每份评价的佐证材料合计最多 ${MAX_EVIDENCE_PER_EVALUATION_BYTES / 1024 / 1024} MB，已有 ${(already / 1024 / 1024).toFixed(1)} MB`);
  }
  const hash = bytesToHex(sha256(bytes));
  await deps.blobs.put(hash, bytes); // first the bytes: a row never names a file that is not there
  const stored: EvidenceTable = {
    id: newId('ed'),
    evaluation_id: row.id,
    item_id: item.id,
    sha256: hash,
    file_name: name,
    size: bytes.length,
    media_type: accepted.mediaType,
    uploaded_by: principal.tokenId,
    uploaded_at: deps.clock().toISOString(),
  };
  await deps.evidence.insert(stored);
  return entryOf(stored);
}

export async function listEvidence(deps: EvidenceDeps, principal: Principal, evaluationId: string): Promise<EvidenceEntry[]> {
  const row = await findEvaluationFor(deps, principal, 'readEvaluation', evaluationId);
  return (await deps.evidence.listFor(row.id)).map(entryOf);
}

export async function downloadEvidence(
  deps: EvidenceDeps,
  principal: Principal,
  evaluationId: string,
  evidenceId: string,
): Promise<{ entry: EvidenceEntry; bytes: Uint8Array }> {
  const row = await findEvaluationFor(deps, principal, 'readEvaluation', evaluationId);
  const found = await deps.evidence.find(evidenceId);
  if (!found || found.evaluation_id !== row.id) throw new DomainError('NOT_FOUND', `评价「${row.id}」没有编号为「${evidenceId}」的佐证材料`);
  const bytes = await deps.blobs.get(found.sha256);
  if (!bytes) throw new DomainError('INTERNAL', `佐证材料「${found.file_name}」的文件内容缺失`);
  return { entry: entryOf(found), bytes };
}

/** `attachment; filename*=UTF-8''…` (RFC 6266 / 5987): the name as given, safe in a header. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
