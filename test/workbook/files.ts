// Submissions that score (examples and golden cases), their templates, and hostile workbooks built from them: shared by
// the workbook tests, the contract suite and bench/workbook.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Deflate, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { CompiledRuleSet } from '../../src/engine/compiled.js';
import { buildTemplate } from '../../src/workbook/index.js';
import { workbookLayout } from '../../src/workbook/layout.js';
import { ROOT, readJson, shippedRegistry } from '../support.js';

export interface ScoringSubmission {
  readonly name: string;
  readonly submission: Record<string, any>;
}

/** examples/*.json and every golden case that scores (no expected error). */
export function scoringSubmissions(): ScoringSubmission[] {
  const out: ScoringSubmission[] = readdirSync(join(ROOT, 'examples'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: `examples/${f}`, submission: readJson(`examples/${f}`) }));
  for (const id of readdirSync(join(ROOT, 'rules')).sort()) {
    for (const f of readdirSync(join(ROOT, 'rules', id, 'cases')).filter((x) => x.endsWith('.json')).sort()) {
      const c = readJson<Record<string, any>>(`rules/${id}/cases/${f}`);
      if (c.expect?.error === undefined) out.push({ name: `rules/${id}/cases/${f}`, submission: c.submission });
    }
  }
  return out;
}

let registry: ReturnType<typeof shippedRegistry> | undefined;
export const registryOf = () => (registry ??= shippedRegistry());

/** The version a submission is scored with. */
export function compiledFor(submission: Record<string, any>): CompiledRuleSet {
  return registryOf().resolve(submission.ruleset.id, submission.ruleset.version, submission.project.fiscalYear);
}

/** What a workbook reads back as: the JSON without $schema, naming the version the template was made for. */
export function expectedReadBack(submission: Record<string, any>, version: string): Record<string, any> {
  const { $schema: _schema, ...rest } = structuredClone(submission);
  return { ...rest, ruleset: { ...rest.ruleset, version } };
}

export async function templateOf(submission: Record<string, any>): Promise<{ bytes: Uint8Array; compiled: CompiledRuleSet }> {
  const compiled = compiledFor(submission);
  const t = await buildTemplate(compiled.document, compiled.sha256, submission as any);
  if (t.notCarried.length > 0) throw new Error(`not carried: ${t.notCarried.join('; ')}`);
  return { bytes: t.bytes, compiled };
}

/** The address of the input cell for a JSON path of a fixed value, e.g. ['facts', 'fundsArrival', 'budget']. */
export function inputAddress(compiled: CompiledRuleSet, path: readonly (string | number)[]): string {
  const layout = workbookLayout(compiled.document, compiled.sha256);
  const cell = layout.inputs.find((i) => i.path.length === path.length && i.path.every((p, k) => p === path[k]));
  if (!cell) throw new Error(`no input for ${path.join('.')}`);
  return cell.address;
}

/** The workbook with some parts' text rewritten (the zip rebuilt honestly). */
export function editParts(bytes: Uint8Array, edits: Record<string, (xml: string) => string>): Uint8Array {
  const files = unzipSync(bytes);
  for (const [name, edit] of Object.entries(edits)) files[name] = strToU8(edit(strFromU8(files[name]!)));
  return zipSync(files, { level: 6 });
}

/** A cell of sheet1 (自评表) replaced by `xml`. */
export function replaceCell(bytes: Uint8Array, address: string, xml: string): Uint8Array {
  return editParts(bytes, {
    'xl/worksheets/sheet1.xml': (s) => {
      const pattern = new RegExp(`<c r="${address}"[^>]*?(/>|>.*?</c>)`);
      if (!pattern.test(s)) throw new Error(`no cell ${address}`);
      return s.replace(pattern, xml);
    },
  });
}

// ---- hostile files ----

export const notAZip = (): Uint8Array => strToU8('项目名称,网络系统运行服务费\n这不是 Excel 工作簿\n'.repeat(20));

/** The start of an OLE2 compound file, as Office writes a password-protected workbook. */
export function encryptedOle2(): Uint8Array {
  const bytes = new Uint8Array(4096);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  bytes.set(strToU8('EncryptedPackage'), 1024);
  return bytes;
}

/** A honest zip whose sheet inflates to `megabytes` MiB of blanks: refused from its central directory alone. */
export function zipBomb(megabytes = 64): Uint8Array {
  return zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(megabytes * 1024 * 1024).fill(0x20) }, { level: 9 });
}

/** A deflate stream of `megabytes` MiB of blanks, made in pieces (a 1 GiB bomb without holding 1 GiB). */
function deflatedBlanks(megabytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const deflater = new Deflate({ level: 9 }, (chunk) => parts.push(chunk));
  const piece = new Uint8Array(1024 * 1024).fill(0x20);
  for (let i = 0; i < megabytes; i++) deflater.push(piece, i === megabytes - 1);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A zip written by hand around raw deflate data, its headers declaring whatever sizes we like. */
export function rawZip(entries: readonly { name: string; data: Uint8Array; method?: 0 | 8; declaredSize: number; flags?: number }[]): Uint8Array {
  const local: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const e of entries) {
    const name = enc.encode(e.name);
    const header = new Uint8Array(30 + name.length);
    const v = new DataView(header.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, e.flags ?? 0, true);
    v.setUint16(8, e.method ?? 8, true);
    v.setUint32(18, e.data.length, true);
    v.setUint32(22, e.declaredSize, true);
    v.setUint16(26, name.length, true);
    header.set(name, 30);
    const dir = new Uint8Array(46 + name.length);
    const d = new DataView(dir.buffer);
    d.setUint32(0, 0x02014b50, true);
    d.setUint16(4, 20, true);
    d.setUint16(6, 20, true);
    d.setUint16(8, e.flags ?? 0, true);
    d.setUint16(10, e.method ?? 8, true);
    d.setUint32(20, e.data.length, true);
    d.setUint32(24, e.declaredSize, true);
    d.setUint16(28, name.length, true);
    d.setUint32(42, offset, true);
    dir.set(name, 46);
    local.push(header, e.data);
    central.push(dir);
    offset += header.length + e.data.length;
  }
  const dirSize = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const x = new DataView(end.buffer);
  x.setUint32(0, 0x06054b50, true);
  x.setUint16(8, entries.length, true);
  x.setUint16(10, entries.length, true);
  x.setUint32(12, dirSize, true);
  x.setUint32(16, offset, true);
  const all = [...local, ...central, end];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The template with its workbook part declaring 2 KiB while it inflates to `megabytes` MiB: the header lies, so only
 * the running cap while inflating can stop it. (1,024 MiB deflates to about 1 MiB: the issue's 1 MB zip bomb.)
 */
export function lyingZip(template: Uint8Array, megabytes = 64): Uint8Array {
  const files = unzipSync(template);
  const entries = Object.entries(files).map(([name, data]) => {
    if (name === 'xl/workbook.xml') {
      const bomb = deflatedBlanks(megabytes);
      return { name, data: bomb, declaredSize: Math.min(2048, bomb.length * 50) };
    }
    return { name, data, method: 0 as const, declaredSize: data.length };
  });
  return rawZip(entries);
}

/** The template's main sheet with `rows` empty rows appended: small compressed, far past the row limit. */
export function millionRows(template: Uint8Array, rows = 1_000_000): Uint8Array {
  return editParts(template, {
    'xl/worksheets/sheet1.xml': (s) => {
      const parts: string[] = [];
      for (let r = 5000; r < 5000 + rows; r++) parts.push(`<row r="${r}"/>`);
      return s.replace('</sheetData>', `${parts.join('')}</sheetData>`);
    },
  });
}
