// Reads the cells of named sheets from untrusted .xlsx bytes: the bounded unzip (unzip.ts) and a small scanner for the
// few SpreadsheetML elements a cell needs (workbook sheets, relationships, shared strings, rows and cells). No spreadsheet
// library sees the upload; every loop is capped.
import { DomainError } from '../domain/errors.js';
import { BoundedUnzip } from './unzip.js';

export interface RawCell {
  /** a number, a text, a boolean (t="b"), or null for an empty cell or an error value */
  readonly value: string | number | boolean | null;
  /** the cell holds a formula */
  readonly formula: boolean;
  /** a formula cell without a saved result */
  readonly noCachedValue: boolean;
}

export interface SheetInfo {
  readonly name: string;
  readonly hidden: boolean;
}

const invalid = (message: string) => new DomainError('SUBMISSION_INVALID', message, [{ path: '$', message }]);

const MAX_SHARED_STRINGS = 200_000;
const MAX_CELLS_PER_SHEET = 200_000;

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1]!, decodeXml(m[2] ?? m[3] ?? ''));
  return out;
}

/** A local name match for an element that may carry a namespace prefix (x:row, row). */
const el = (name: string) => `(?:[\\w.-]+:)?${name}`;

/**
 * The text up to the last closing tag of `name`: a lazy match for an element that is never closed would otherwise
 * scan to the end once per opening tag (quadratic on a hostile file). Whatever follows the last close has no content.
 */
function closedPart(text: string, name: string): string {
  const end = Math.max(text.lastIndexOf(`</${name}>`), text.lastIndexOf(`:${name}>`));
  return end < 0 ? '' : text.slice(0, end + name.length + 3);
}

/** The text of an <si> or <is>: its <t> runs, phonetic guides left out. */
function richText(xml: string): string {
  const body = closedPart(xml, 'rPh').length > 0 ? xml.replace(new RegExp(`<${el('rPh')}\\b[\\s\\S]*?<\\/${el('rPh')}>`, 'g'), '') : xml;
  let text = '';
  for (const m of closedPart(body, 't').matchAll(new RegExp(`<${el('t')}(?:\\s[^>]{0,2000})?>([\\s\\S]*?)<\\/${el('t')}>`, 'g'))) text += decodeXml(m[1]!);
  return text;
}

export class XlsxReader {
  private readonly zip: BoundedUnzip;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private readonly sheetPaths = new Map<string, string>();
  readonly sheets: readonly SheetInfo[];
  private shared: string[] | undefined;
  private sharedStringsPath = 'xl/sharedStrings.xml';

  constructor(bytes: Uint8Array) {
    this.zip = new BoundedUnzip(bytes);
    const workbook = this.text('xl/workbook.xml');
    const rels = this.text('xl/_rels/workbook.xml.rels');
    if (workbook === undefined || rels === undefined) throw invalid('上传的文件不是 Excel 工作簿（缺少 xl/workbook.xml）：请用本系统生成的自评表模板填写后上传');
    const targets = new Map<string, string>();
    for (const m of rels.matchAll(new RegExp(`<${el('Relationship')}\\b[^>]*>`, 'g'))) {
      const a = attributes(m[0]);
      const id = a.get('Id');
      const target = a.get('Target');
      if (!id || !target) continue;
      const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/');
      targets.set(id, path);
      // the shared strings where the workbook says they are (every writer seen uses xl/sharedStrings.xml, the default)
      if ((a.get('Type') ?? '').endsWith('/sharedStrings')) this.sharedStringsPath = path;
    }
    const sheets: SheetInfo[] = [];
    for (const m of workbook.matchAll(new RegExp(`<${el('sheet')}\\b[^>]*>`, 'g'))) {
      if (sheets.length >= 100) break;
      const a = attributes(m[0]);
      const name = a.get('name') ?? '';
      const rid = [...a.entries()].find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
      const path = rid ? targets.get(rid) : undefined;
      sheets.push({ name, hidden: (a.get('state') ?? 'visible') !== 'visible' });
      if (path && !this.sheetPaths.has(name)) this.sheetPaths.set(name, path);
    }
    this.sheets = sheets;
  }

  private text(name: string, inspect?: (chunk: Uint8Array) => void): string | undefined {
    const bytes = this.zip.read(name, inspect);
    return bytes === undefined ? undefined : this.decoder.decode(bytes);
  }

  private sharedStrings(): string[] {
    if (this.shared) return this.shared;
    const xml = this.text(this.sharedStringsPath) ?? '';
    const out: string[] = [];
    for (const m of closedPart(xml, 'si').matchAll(new RegExp(`<${el('si')}\\b[^>]{0,2000}?(?:\\/>|>([\\s\\S]*?)<\\/${el('si')}>)`, 'g'))) {
      if (out.length >= MAX_SHARED_STRINGS) throw new DomainError('PAYLOAD_TOO_LARGE', `工作簿中的文字条目超过上限 ${MAX_SHARED_STRINGS}`);
      out.push(richText(m[1] ?? ''));
    }
    this.shared = out;
    return out;
  }

  /**
   * The cells of one sheet by address (A1 form). Rows past `maxRows` (counting every row element) are refused: a
   * sheet of a million rows costs a bounded scan, not a million objects.
   */
  cells(sheetName: string, maxRows: number): Map<string, RawCell> {
    const path = this.sheetPaths.get(sheetName);
    const tooManyRows = () =>
      new DomainError('PAYLOAD_TOO_LARGE', `工作表「${sheetName}」的行数超过上限 ${maxRows}（模板行数 + 1000），请勿在表中追加大量行`);
    // rows counted while inflating: a sheet of a million rows stops after its first chunks
    const counter = rowCounter(maxRows, tooManyRows);
    const xml = path === undefined ? undefined : this.text(path, counter);
    if (xml === undefined) throw invalid(`工作簿中缺少工作表「${sheetName}」`);
    const cells = new Map<string, RawCell>();
    let rows = 0;
    const rowPattern = new RegExp(`<${el('row')}\\b([^>]{0,2000}?)(?:\\/>|>([\\s\\S]*?)<\\/${el('row')}>)`, 'g');
    const cellPattern = new RegExp(`<${el('c')}\\b([^>]{0,2000}?)(?:\\/>|>([\\s\\S]*?)<\\/${el('c')}>)`, 'g');
    const valuePattern = new RegExp(`<${el('v')}(?:\\s[^>]*)?>([\\s\\S]*?)<\\/${el('v')}>`);
    const formulaPattern = new RegExp(`<${el('f')}\\b`);
    const inlinePattern = new RegExp(`<${el('is')}\\b[^>]*>([\\s\\S]*?)<\\/${el('is')}>`);
    // every row element counts, closed or not (one linear scan, stopping at the limit)
    for (const _ of xml.matchAll(new RegExp(`<${el('row')}[\\s>/]`, 'g'))) {
      if (++rows > maxRows) throw tooManyRows();
    }
    let rowNumber = 0;
    for (const row of closedPart(xml, 'row').matchAll(rowPattern)) {
      const rowAttributes = attributes(row[1] ?? '');
      rowNumber = Number(rowAttributes.get('r') ?? rowNumber + 1);
      let columnNumber = 0;
      for (const cell of closedPart(row[2] ?? '', 'c').matchAll(cellPattern)) {
        if (cells.size >= MAX_CELLS_PER_SHEET) throw new DomainError('PAYLOAD_TOO_LARGE', `工作表「${sheetName}」的单元格数超过上限 ${MAX_CELLS_PER_SHEET}`);
        const a = attributes(cell[1] ?? '');
        const body = cell[2] ?? '';
        let address = a.get('r');
        if (address === undefined) address = `${columnName(columnNumber + 1)}${rowNumber}`;
        columnNumber = columnIndex(address);
        const type = a.get('t') ?? 'n';
        const formula = formulaPattern.test(body);
        const raw = valuePattern.exec(body)?.[1];
        let value: RawCell['value'] = null;
        if (type === 'inlineStr') value = richText(inlinePattern.exec(body)?.[1] ?? '');
        else if (raw !== undefined) {
          const text = decodeXml(raw);
          if (type === 's') value = this.sharedStrings()[Number(text)] ?? null;
          else if (type === 'str') value = text;
          else if (type === 'b') value = text === '1' || text === 'true';
          else if (type === 'e') value = null;
          else value = text.trim() === '' ? null : Number(text);
        }
        if (typeof value === 'number' && !Number.isFinite(value)) value = null;
        cells.set(address, { value, formula, noCachedValue: formula && raw === undefined && type !== 'inlineStr' });
      }
    }
    return cells;
  }
}

/**
 * Counts `<row` openings (followed by a space, > or /) across chunk boundaries; throws past `max`. (Prefixed `<x:row`
 * is left to the count on the whole text.)
 */
function rowCounter(max: number, tooMany: () => Error): (chunk: Uint8Array) => void {
  let rows = 0;
  // the last bytes of the previous chunk: a tag split between chunks is still seen once
  let tail = new Uint8Array(0);
  return (chunk) => {
    const bytes = new Uint8Array(tail.length + chunk.length);
    bytes.set(tail);
    bytes.set(chunk, tail.length);
    const limit = bytes.length - 4;
    // starts up to the last four bytes were looked at last time; those four (the tail) are looked at now
    for (let i = 0; i < limit; i++) {
      // '<','r','o','w', then a space, '>' or '/'
      if (bytes[i] === 0x3c && bytes[i + 1] === 0x72 && bytes[i + 2] === 0x6f && bytes[i + 3] === 0x77) {
        const next = bytes[i + 4]!;
        if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) {
          if (++rows > max) throw tooMany();
        }
      }
    }
    tail = bytes.slice(Math.max(0, bytes.length - 4));
  };
}

function columnName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function columnIndex(address: string): number {
  let n = 0;
  for (const ch of /^[A-Z]*/.exec(address)![0]) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}
