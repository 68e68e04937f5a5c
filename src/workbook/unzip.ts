// A bounded reader of untrusted zip files (an .xlsx is one): magic bytes first, then the central directory parsed by
// hand without inflating anything, then only the entries asked for, inflated in small chunks under a running byte cap
// (declared sizes can lie). Nothing else ever sees the raw upload.
import { Inflate } from 'fflate';
import { DomainError } from '../domain/errors.js';

export const ZIP_LIMITS = {
  /** the upload itself */
  maxFileBytes: 2 * 1024 * 1024,
  maxEntries: 100,
  /** per entry, inflated */
  maxEntryBytes: 20 * 1024 * 1024,
  /** inflated ÷ compressed, per entry (entries under `ratioFloorBytes` inflated cannot be bombs and are exempt) */
  maxRatio: 100,
  ratioFloorBytes: 4096,
  /** all entries read from one file, inflated */
  maxTotalBytes: 40 * 1024 * 1024,
  /** compressed bytes handed to the inflater at a time: the output of one push stays near 1 MiB at deflate's best ratio */
  chunkBytes: 1024,
} as const;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const tooLarge = (message: string) => new DomainError('PAYLOAD_TOO_LARGE', message);
const invalid = (message: string) => new DomainError('SUBMISSION_INVALID', message, [{ path: '$', message }]);

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;

/** The checks on the raw bytes before anything is parsed: size, encryption, zip signature. */
export function checkMagic(bytes: Uint8Array): void {
  if (bytes.length > ZIP_LIMITS.maxFileBytes) throw tooLarge(`工作簿文件超过上限 ${ZIP_LIMITS.maxFileBytes / 1024 / 1024} MiB`);
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw invalid('文件已加密（或是旧版 .xls 格式）：请取消工作簿的打开密码，另存为 Excel 工作簿（.xlsx）后再上传');
  }
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    throw invalid('上传的文件不是 Excel 工作簿（.xlsx）：请用本系统生成的自评表模板填写后上传');
  }
}

/** The central directory's entries, checked against the limits; nothing inflated. */
export function readCentralDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  checkMagic(bytes);
  const broken = () => invalid('工作簿文件已损坏（zip 目录无法读取），请重新保存后上传');
  // end of central directory: 22 bytes plus a comment of at most 65535
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes[at] === 0x50 && bytes[at + 1] === 0x4b && bytes[at + 2] === 0x05 && bytes[at + 3] === 0x06) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw broken();
  const count = u16(bytes, eocd + 10);
  const dirSize = u32(bytes, eocd + 12);
  const dirOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw invalid('不支持 ZIP64 格式的工作簿');
  if (count > ZIP_LIMITS.maxEntries) throw tooLarge(`工作簿中的文件数 ${count} 超过上限 ${ZIP_LIMITS.maxEntries}`);
  if (dirOffset + dirSize > eocd) throw broken();
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || u32(bytes, at) !== 0x02014b50) throw broken();
    const flags = u16(bytes, at + 8);
    const method = u16(bytes, at + 10);
    const compressedSize = u32(bytes, at + 20);
    const size = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const extraLength = u16(bytes, at + 30);
    const commentLength = u16(bytes, at + 32);
    const localHeaderOffset = u32(bytes, at + 42);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw invalid('文件已加密：请取消工作簿的密码保护后再上传');
    if (method !== 0 && method !== 8) throw invalid(`工作簿中的「${name}」使用了不支持的压缩方式（${method}）`);
    if (size > ZIP_LIMITS.maxEntryBytes) throw tooLarge(`工作簿中的「${name}」解压后 ${size} 字节，超过上限 ${ZIP_LIMITS.maxEntryBytes / 1024 / 1024} MiB`);
    if (size > ZIP_LIMITS.ratioFloorBytes && size > compressedSize * ZIP_LIMITS.maxRatio) {
      throw tooLarge(`工作簿中的「${name}」压缩比超过 ${ZIP_LIMITS.maxRatio}:1，疑为压缩炸弹，已拒绝`);
    }
    if (localHeaderOffset + 30 + compressedSize > bytes.length) throw broken();
    if (!entries.has(name)) entries.set(name, { name, method, compressedSize, size, localHeaderOffset });
  }
  return entries;
}

/** Inflates entries one by one under a running cap shared by all of them (a reader holds one per file). */
export class BoundedUnzip {
  private readonly entries: Map<string, ZipEntry>;
  private inflatedTotal = 0;

  constructor(private readonly bytes: Uint8Array) {
    this.entries = readCentralDirectory(bytes);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * The entry's bytes, or undefined when the zip has no such entry. `inspect` sees each inflated chunk as it comes and
   * may throw to stop early (a sheet past its row limit is refused before it is all inflated).
   */
  read(name: string, inspect?: (chunk: Uint8Array) => void): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    const b = this.bytes;
    const at = entry.localHeaderOffset;
    if (u32(b, at) !== 0x04034b50) throw invalid('工作簿文件已损坏（zip 文件头无法读取），请重新保存后上传');
    const start = at + 30 + u16(b, at + 26) + u16(b, at + 28);
    const data = b.subarray(start, start + entry.compressedSize);
    // the declared size may lie: the cap is the entry limit, and a mismatch with the declaration is refused too
    const cap = Math.min(ZIP_LIMITS.maxEntryBytes, ZIP_LIMITS.maxTotalBytes - this.inflatedTotal);
    if (entry.method === 0) {
      if (data.length > cap) throw tooLarge(`工作簿中的「${name}」超过大小上限`);
      inspect?.(data);
      this.inflatedTotal += data.length;
      return data;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    let over = false;
    const inflater = new Inflate((chunk) => {
      total += chunk.length;
      if (total > cap || total > entry.size) over = true;
      else chunks.push(chunk);
    });
    for (let offset = 0; offset < data.length && !over; offset += ZIP_LIMITS.chunkBytes) {
      const end = Math.min(data.length, offset + ZIP_LIMITS.chunkBytes);
      const seen = chunks.length;
      try {
        inflater.push(data.subarray(offset, end), end === data.length);
      } catch {
        throw invalid(`工作簿中的「${name}」已损坏，无法解压`);
      }
      if (inspect) for (let k = seen; k < chunks.length; k++) inspect(chunks[k]!);
    }
    if (over) {
      throw tooLarge(
        total > entry.size && entry.size < cap
          ? `工作簿中的「${name}」解压后超过其声明的 ${entry.size} 字节（zip 头信息不实），已拒绝`
          : `工作簿中的「${name}」解压后超过大小上限，已拒绝`,
      );
    }
    if (total !== entry.size) throw invalid(`工作簿中的「${name}」解压后 ${total} 字节，与声明的 ${entry.size} 字节不符`);
    this.inflatedTotal += total;
    const out = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}
