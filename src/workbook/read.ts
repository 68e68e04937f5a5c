// A filled 自评表 workbook → the submission JSON it holds, with the cell of every JSON path so that the usual
// validation's errors can name the cell. The workbook must be this service's template for a version it knows, its
// structure unchanged (sheet names, the hidden sheet's id/version/hash and row map, headings and indicator labels);
// protection flags, styles and sheet visibility are not looked at (LibreOffice rewrites them on save).
import { DomainError, childPath, type ErrorDetail } from '../domain/errors.js';
import type { Submission } from '../domain/submission.js';
import {
  LAYOUT_VERSION,
  MAIN_SHEET,
  META_SHEET,
  NO,
  SHEET_NAMES,
  YES,
  cellAddress,
  indicatorColumn,
  workbookLayout,
  type IndicatorField,
  type InputKind,
  type WorkbookLayout,
} from './layout.js';
import { checkMagic } from './unzip.js';
import { XlsxReader, type RawCell } from './xlsx-read.js';

/** rows a workbook may hold past the template's */
export const EXTRA_ROWS = 1000;

export interface WorkbookRuleSet {
  readonly document: import('../domain/ruleset.js').RuleSetDocument;
  readonly sha256: string;
}

export interface ReadWorkbook {
  readonly submission: Submission;
  /** JSON path → 自评表!F12 */
  readonly cells: ReadonlyMap<string, string>;
  /** formula cells read as their saved results */
  readonly warnings: readonly { readonly cell: string; readonly message: string }[];
}

const ref = (address: string) => `${MAIN_SHEET}!${address}`;
const invalid = (message: string, details: readonly ErrorDetail[] = [{ path: '$', message }]) => new DomainError('SUBMISSION_INVALID', message, details);

const text = (cell: RawCell | undefined): string => {
  const v = cell?.value;
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v.trim() : String(v);
};

/** The hidden sheet's rule-set id, version and hash: which template this is. */
function identify(reader: XlsxReader): { id: string; version: string; sha256: string; layout: string } {
  const names = reader.sheets.map((s) => s.name);
  const missing = SHEET_NAMES.filter((n) => !names.includes(n));
  if (missing.length > 0 || names.length !== SHEET_NAMES.length) {
    throw invalid(
      `工作簿的工作表应为 ${SHEET_NAMES.map((n) => `「${n}」`).join('、')}，收到的是 ${names.map((n) => `「${n}」`).join('、') || '（无）'}：请用本系统生成的自评表模板填写，不要增删或改名工作表`,
    );
  }
  const meta = reader.cells(META_SHEET, 10_000);
  return { id: text(meta.get('B1')), version: text(meta.get('B2')), sha256: text(meta.get('B3')), layout: text(meta.get('B4')) };
}

/** Which rule-set version a workbook was made for (for the caller to look it up), after the first checks. */
export function workbookRuleSet(bytes: Uint8Array): { id: string; version: string; sha256: string } {
  checkMagic(bytes);
  const { id, version, sha256, layout } = identify(new XlsxReader(bytes));
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(id) || !/^\d{1,6}\.\d{1,6}\.\d{1,6}$/.test(version) || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw invalid(`隐藏工作表「${META_SHEET}」中的规则集编号、版本或 sha256 缺失或被改动：请用本系统生成的自评表模板填写`);
  }
  if (layout !== LAYOUT_VERSION) throw invalid(`此工作簿的表样版本（${layout || '无'}）不是当前的 ${LAYOUT_VERSION}：请重新下载模板填写`);
  return { id, version, sha256 };
}

function sameValue(cell: RawCell | undefined, expected: string | number): boolean {
  if (typeof expected === 'number') return typeof cell?.value === 'number' ? cell.value === expected : text(cell) === String(expected);
  return text(cell) === expected.trim();
}

/** Headings, indicator names, labels and points where the template put them; the hidden row map unchanged. */
function structureErrors(layout: WorkbookLayout, main: Map<string, RawCell>, meta: Map<string, RawCell>): string[] {
  const errors: string[] = [];
  for (const f of layout.fixed) {
    if (!sameValue(main.get(f.address), f.value)) {
      errors.push(`${ref(f.address)} 应为「${f.value}」，现为「${text(main.get(f.address))}」`);
      if (errors.length >= 5) return errors;
    }
  }
  layout.meta.forEach((row, r) =>
    row.forEach((value, c) => {
      const address = cellAddress(c + 1, r + 1);
      if (errors.length < 5 && !sameValue(meta.get(address), value)) errors.push(`${META_SHEET}!${address} 被改动`);
    }),
  );
  return errors;
}

type Value = string | number | boolean;

function convert(kind: InputKind, cell: RawCell): Value | null {
  const v = cell.value;
  if (v === null || (typeof v === 'string' && v.trim() === '')) return null;
  switch (kind.type) {
    case 'number':
      if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
      return v;
    case 'yesNo':
      if (v === YES || v === true) return true;
      if (v === NO || v === false) return false;
      return typeof v === 'string' ? v.trim() : v;
    case 'choice': {
      const s = typeof v === 'string' ? v.trim() : String(v);
      const code = Object.entries(kind.labels).find(([c, label]) => label === s || c === s)?.[0];
      return code ?? s;
    }
    case 'text':
    case 'goalRef':
      return typeof v === 'string' ? v.trim() : String(v);
    case 'numberOrText':
      return typeof v === 'string' ? v.trim() : v;
  }
}

/** Reads a workbook of the given rule-set version (see workbookRuleSet) into a submission. */
export function readWorkbook(bytes: Uint8Array, ruleSet: WorkbookRuleSet): ReadWorkbook {
  checkMagic(bytes);
  const reader = new XlsxReader(bytes);
  const { id, version, sha256 } = identify(reader);
  const document = ruleSet.document;
  if (id !== document.id || version !== document.version) {
    throw invalid(`此工作簿是规则集 ${id} ${version} 的模板，不是 ${document.id} ${document.version} 的`);
  }
  if (sha256 !== ruleSet.sha256) {
    throw invalid(`此工作簿所依据的规则集 ${id} ${version} 的内容（sha256 ${sha256.slice(0, 12)}…）与服务中的（${ruleSet.sha256.slice(0, 12)}…）不一致：请重新下载模板`);
  }
  const layout = workbookLayout(document, ruleSet.sha256);
  const main = reader.cells(MAIN_SHEET, layout.lastRow + EXTRA_ROWS);
  const meta = reader.cells(META_SHEET, layout.meta.length + EXTRA_ROWS);
  const changed = structureErrors(layout, main, meta);
  if (changed.length > 0) {
    throw invalid(
      '工作簿的结构被改动（指标、标题或隐藏的规则集工作表与模板不符），无法读取：请在新下载的模板中填写',
      changed.map((message) => ({ path: '$', message })),
    );
  }

  const warnings: { cell: string; message: string }[] = [];
  const noCache: ErrorDetail[] = [];
  const values = new Map<string, Value>();
  for (const input of layout.inputs) {
    const cell = main.get(input.address);
    if (!cell) continue;
    if (cell.noCachedValue) {
      noCache.push({ path: '$', message: `单元格 ${ref(input.address)} 是公式但没有保存计算结果：请在 Excel 或 WPS 中重新计算并保存，或改填数值` });
      continue;
    }
    const value = convert(input.kind, cell);
    if (value === null) continue;
    if (cell.formula) warnings.push({ cell: ref(input.address), message: `单元格 ${ref(input.address)} 是公式，按其保存的计算结果「${String(value)}」读取` });
    values.set(input.address, value);
  }
  if (noCache.length > 0) throw invalid('工作簿中有没有计算结果的公式', noCache);

  const cells = new Map<string, string>();
  const submission: Record<string, unknown> = { ruleset: { id: document.id, version: document.version } };
  const setPath = (path: readonly (string | number)[], value: Value, address: string) => {
    let target = submission;
    let jsonPath = '$';
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i]!;
      jsonPath = childPath(jsonPath, key);
      if (!cells.has(jsonPath)) cells.set(jsonPath, ref(address));
      const next = Object.hasOwn(target, key) ? target[key as string] : undefined;
      if (next === undefined) target = target[key as string] = Object.create(null) as Record<string, unknown>;
      else target = next as Record<string, unknown>;
    }
    const last = path.at(-1)!;
    target[last as string] = value;
    cells.set(childPath(jsonPath, last), ref(address));
  };

  // every fixed input's path (and the paths above it) → its cell, so an error about a missing value names where it goes
  for (const input of layout.inputs) {
    if (input.path[0] === 'indicators' || input.path[0] === 'goals') continue;
    let jsonPath = '$';
    for (const key of input.path) {
      jsonPath = childPath(jsonPath, key);
      if (!cells.has(jsonPath)) cells.set(jsonPath, ref(input.address));
    }
  }
  for (const input of layout.inputs) {
    const value = values.get(input.address);
    if (value === undefined || input.path[0] === 'indicators' || input.path[0] === 'goals') continue;
    setPath(input.path, value, input.address);
  }

  // goals: the rows with anything in them, in order
  const goals: Record<string, unknown>[] = [];
  for (const [k, g] of layout.goalRows.entries()) {
    const fields = (['id', 'name', 'points'] as const).map((f, i) => [f, values.get(cellAddress(i + 2, g.row)), cellAddress(i + 2, g.row)] as const);
    if (fields.every(([, v]) => v === undefined)) continue;
    const goal: Record<string, unknown> = Object.create(null);
    const index = goals.length;
    for (const [f, v, address] of fields) {
      if (f === 'id' && v === undefined) goal.id = `goal${k + 1}`;
      else if (v !== undefined) goal[f] = v;
      cells.set(`$.goals[${index}].${f}`, ref(address));
    }
    cells.set(`$.goals[${index}]`, ref(fields[0]![2]));
    goals.push(goal);
  }
  if (goals.length > 0) {
    submission.goals = goals;
    cells.set('$.goals', ref(cellAddress(2, layout.goalRows[0]!.row)));
  }

  // the unit's indicators: rows with anything in them, ordered by the order column, then by row
  const rows: { row: number; slotId: string; order: number; fields: Map<IndicatorField, Value> }[] = [];
  for (const r of layout.indicatorRows) {
    const fields = new Map<IndicatorField, Value>();
    for (const input of layout.inputs) {
      if (input.path[0] !== 'indicators' || input.path[1] !== r.row) continue;
      const v = values.get(input.address);
      if (v !== undefined) fields.set(input.path[2] as IndicatorField, v);
    }
    if (fields.size === 0) continue;
    const order = fields.get('order');
    rows.push({ row: r.row, slotId: r.slotId, order: typeof order === 'number' ? order : Number.POSITIVE_INFINITY, fields });
  }
  rows.sort((a, b) => a.order - b.order || a.row - b.row);
  const indicators: Record<string, unknown>[] = [];
  const selfItems: Record<string, Value> = Object.create(null);
  rows.forEach((r, i) => {
    const indicator: Record<string, unknown> = Object.create(null);
    const path = `$.indicators[${i}]`;
    const at = (field: IndicatorField) => ref(cellAddress(indicatorColumn(field), r.row));
    indicator.id = r.fields.get('id') ?? `ind${r.row}`;
    indicator.category = r.slotId;
    cells.set(path, at('name'));
    cells.set(`${path}.category`, at('name'));
    for (const [field, value] of r.fields) {
      if (field === 'order') continue;
      if (field === 'selfPoints') {
        selfItems[String(indicator.id)] = value;
        cells.set(childPath('$.selfAssessment.items', String(indicator.id)), at(field));
        continue;
      }
      if (field !== 'id') indicator[field] = value;
      cells.set(`${path}.${field}`, at(field));
    }
    if (!r.fields.has('id')) cells.set(`${path}.id`, at('id'));
    indicators.push(indicator);
  });
  if (indicators.length > 0) {
    submission.indicators = indicators;
    cells.set('$.indicators', ref(cellAddress(indicatorColumn('name'), layout.indicatorRows[0]!.row)));
  }
  if (Object.keys(selfItems).length > 0) {
    const sa = (submission.selfAssessment ??= Object.create(null)) as Record<string, unknown>;
    const items = (sa.items ??= Object.create(null)) as Record<string, unknown>;
    Object.assign(items, selfItems);
  }

  return { submission: plain(submission) as Submission, cells, warnings };
}

/** Null-prototype records → plain JSON values (what the validators and the hash expect). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: plain(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Error details with the cell each path came from, in the message: 「（自评表!F12）」. */
export function withCells(details: readonly ErrorDetail[], cells: ReadonlyMap<string, string>): ErrorDetail[] {
  return details.map((d) => {
    let path = d.path;
    // the nearest enclosing path that has a cell: $.facts.payment.spent → $.facts.payment → $.facts
    while (!cells.has(path) && path !== '$') {
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      if (cut <= 0) break;
      path = path.slice(0, cut);
    }
    const cell = cells.get(path);
    return cell ? { path: d.path, message: `${d.message}（${cell}）` } : d;
  });
}
