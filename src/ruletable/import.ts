// Reads a bureau's edited rule-set workbook back against its base version: points, thresholds, criteria text, labels and
// grade band mins become a new, unpublished version; any other difference is a structural change, refused by cell.
import ExcelJS from 'exceljs';
import { DomainError, type ErrorDetail } from '../domain/errors.js';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { checkRuleSet } from '../engine/check/index.js';
import { FIRST_DATA_ROW, jsonPath, ruleTable, type DocPath, type TableCell } from './layout.js';

/** A workbook larger than this is not a rule-set table (the shipped ones are under 100 KiB). */
export const MAX_TABLE_BYTES = 10 * 1024 * 1024;
const MAX_DETAILS = 100;

export interface ImportedTable {
  readonly document: RuleSetDocument;
  /** one line per edited cell: 指标!D5：5 → 6 */
  readonly edits: readonly string[];
}

type Scalar = string | number | boolean | null;

function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** What a cell holds, as a value; formulas are refused (nothing from a workbook is evaluated). */
function cellValue(cell: ExcelJS.Cell): Scalar | { formula: true } {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if (Object.hasOwn(v, 'formula') || Object.hasOwn(v, 'sharedFormula')) return { formula: true };
    if (Object.hasOwn(v, 'richText')) return ((v as { richText: { text: string }[] }).richText ?? []).map((r) => r.text).join('') || null;
    if (Object.hasOwn(v, 'text')) return String((v as { text: unknown }).text);
  }
  return String(v);
}

const sameScalar = (a: Scalar, b: Scalar) => a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b.trim()) || (typeof a === 'string' && a.trim() === String(b ?? '').trim() && b !== null);

function setAt(doc: unknown, path: DocPath, value: unknown): void {
  let node = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function getAt(doc: unknown, path: DocPath): unknown {
  let node = doc as Record<string | number, unknown> | undefined;
  for (const key of path) node = node?.[key] as Record<string | number, unknown> | undefined;
  return node;
}

/** The edited value of an editable cell, or the message saying why it cannot be one. */
function parseEdit(edit: NonNullable<TableCell['edit']>, original: unknown, read: Scalar): { value: unknown } | { problem: string } {
  switch (edit.kind) {
    case 'points':
    case 'number': {
      const n = typeof read === 'number' ? read : typeof read === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(read) ? Number(read) : NaN;
      if (!Number.isFinite(n)) return { problem: `应为数值，读到的是「${read ?? '（空）'}」` };
      if (edit.kind === 'points' && n < 0) return { problem: '分值不能为负' };
      return { value: n };
    }
    case 'text':
      if (typeof read !== 'string' || read.trim() === '') return { problem: '不能为空' };
      return { value: read };
    case 'optionalText':
      if (read === null) return { value: undefined };
      return { value: String(read) };
    case 'threshold': {
      if (typeof original === 'number') {
        const n = typeof read === 'number' ? read : typeof read === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(read) ? Number(read) : NaN;
        return Number.isFinite(n) ? { value: n } : { problem: `阈值应为数值，读到的是「${read ?? '（空）'}」` };
      }
      if (read === null) return { problem: '阈值不能为空' };
      const text = String(read);
      if (typeof original === 'string') return { value: text };
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== typeof original || Array.isArray(value) !== Array.isArray(original)) return { problem: '阈值的类型变化属于结构变化，请在 JSON 中修改' };
        return { value };
      } catch {
        return { problem: `阈值应写成 JSON（如 ["a","b"]），读到的是「${text}」` };
      }
    }
  }
}

/**
 * The new version a bureau's workbook describes, checked (without golden cases: those belong to publishing), or a
 * DomainError whose details name each offending cell (sheet!A1).
 */
export async function importRuleTable(bytes: Uint8Array, base: RuleSetDocument, version: string): Promise<ImportedTable> {
  if (bytes.byteLength > MAX_TABLE_BYTES) {
    throw new DomainError('RULESET_INVALID', `工作簿超过 ${MAX_TABLE_BYTES / 1024 / 1024} MiB，不是规则集评分表`, [{ path: '$', message: `大小 ${bytes.byteLength} 字节` }]);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new DomainError('RULESET_INVALID', '无法读取工作簿（不是 .xlsx 文件？）', [{ path: '$', message: (e as Error).message.split('\n')[0]! }]);
  }
  const problems: ErrorDetail[] = [];
  const edits: string[] = [];
  const document = structuredClone(base) as RuleSetDocument;
  /** document path → the cell it was read from, for the checker's diagnostics */
  const cellOf = new Map<string, string>();

  for (const table of ruleTable(base)) {
    const sheet = workbook.getWorksheet(table.name);
    if (!sheet) {
      problems.push({ path: table.name, message: `缺少工作表「${table.name}」` });
      continue;
    }
    table.columns.forEach((c, i) => {
      const read = cellValue(sheet.getRow(1).getCell(i + 1));
      if (read !== c.header) problems.push({ path: `${table.name}!${columnLetter(i + 1)}1`, message: `表头应为「${c.header}」：列的增删与移动属于结构变化，请在 JSON 中修改` });
    });
    table.rows.forEach((row, r) => {
      const excelRow = sheet.getRow(FIRST_DATA_ROW + r);
      row.forEach((cell, c) => {
        const address = `${table.name}!${columnLetter(c + 1)}${FIRST_DATA_ROW + r}`;
        const read = cellValue(excelRow.getCell(c + 1));
        if (read !== null && typeof read === 'object') {
          problems.push({ path: address, message: '单元格是公式：请填写数值或文字（不计算公式）' });
          return;
        }
        if (!cell.edit) {
          if (!sameScalar(cell.value, read) && !(cell.value === null && read === null)) {
            problems.push({ path: address, message: `「${table.columns[c]!.header}」是结构（应为「${cell.value ?? '（空）'}」，读到「${read ?? '（空）'}」），请在 JSON 中修改` });
          }
          return;
        }
        for (const target of cell.edit.targets) cellOf.set(jsonPath(target), address);
        if (cell.value === read || (cell.value === null && read === null)) return;
        const parsed = parseEdit(cell.edit, getAt(base, cell.edit.targets[0]!), read);
        if ('problem' in parsed) {
          problems.push({ path: address, message: `${table.columns[c]!.header}：${parsed.problem}` });
          return;
        }
        if (JSON.stringify(parsed.value) === JSON.stringify(getAt(base, cell.edit.targets[0]!))) return;
        for (const target of cell.edit.targets) setAt(document, target, parsed.value);
        edits.push(`${address}：${cell.value ?? '（空）'} → ${parsed.value === undefined ? '（空）' : typeof parsed.value === 'string' ? parsed.value : JSON.stringify(parsed.value)}`);
      });
    });
    // rows past the base's: adding indicators, rules or bands is structure
    for (let r = FIRST_DATA_ROW + table.rows.length; r <= Math.min(sheet.rowCount, FIRST_DATA_ROW + table.rows.length + 1000); r++) {
      const values = table.columns.map((_, c) => cellValue(sheet.getRow(r).getCell(c + 1)));
      if (values.some((v) => v !== null)) problems.push({ path: `${table.name}!A${r}`, message: '新增的行属于结构变化（增加指标、规则或等级），请在 JSON 中修改' });
    }
  }
  if (problems.length > 0) throw refusal('工作簿中有不能读回的修改', problems);

  const edited = document as unknown as Record<string, unknown>;
  edited.version = version;
  edited.changelog = `在 ${base.id} ${base.version} 上修改 ${edits.length} 处（由评分表工作簿导入，cli table-import）`;
  const report = await checkRuleSet(document, { expected: { id: base.id, version }, requireCaseCoverage: false });
  const errors = report.diagnostics.filter((d) => d.severity === 'error' && d.pass !== 'goldenCases');
  if (errors.length > 0) {
    throw refusal(
      '修改后的规则集未通过检查',
      errors.map((d) => ({ path: cellFor(cellOf, d.location) ?? d.location, message: `${d.message}（${d.code}）` })),
    );
  }
  return { document, edits };
}

/** The cell whose document path is the diagnostic's location, or the nearest one above or below it. */
function cellFor(cellOf: ReadonlyMap<string, string>, location: string): string | undefined {
  if (cellOf.has(location)) return `${cellOf.get(location)}（${location}）`;
  let best: string | undefined;
  for (const [path, cell] of cellOf) {
    if ((location.startsWith(path) || path.startsWith(`${location}.`)) && (best === undefined || path.length > best.length)) best = path;
  }
  return best === undefined ? undefined : `${cellOf.get(best)}（${location}）`;
}

function refusal(message: string, details: ErrorDetail[]): DomainError {
  const shown = details.slice(0, MAX_DETAILS);
  if (details.length > MAX_DETAILS) shown.push({ path: '$', message: `另有 ${details.length - MAX_DETAILS} 处错误未列出` });
  return new DomainError('RULESET_INVALID', message, shown);
}
