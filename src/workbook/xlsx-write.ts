// Writes the workbooks this service makes with exceljs (its browser build on workerd, as src/report/workbook.ts): cell
// styles (locked or not), merged cells, column widths, data validation, sheet protection, hidden sheets, frozen rows.
// exceljs is loaded when a workbook is written, not with this module: its Node build (bluebird) generates code from
// strings on load, which commands and processes that never write a workbook must not pay for (or be refused)
import type ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';

export type CellStyle = 'plain' | 'title' | 'header' | 'label' | 'wrap' | 'note' | 'input';

export interface SheetCell {
  readonly address: string;
  readonly value: string | number | null;
  readonly style: CellStyle;
}

export interface Validation {
  readonly sqref: string;
  readonly type: 'decimal' | 'whole' | 'list' | 'textLength';
  /** between, unless only one bound: then greaterThanOrEqual / lessThanOrEqual */
  readonly min?: number;
  readonly max?: number;
  /** list items (written as a literal list), or a range formula like $B$40:$B$44 */
  readonly list?: readonly string[] | string;
  readonly prompt?: string;
  readonly error: string;
}

export interface SheetSpec {
  readonly name: string;
  readonly state?: 'visible' | 'hidden';
  readonly cells: readonly SheetCell[];
  readonly merges?: readonly { from: string; to: string }[];
  readonly columnWidths?: readonly number[];
  readonly validations?: readonly Validation[];
  readonly protect?: boolean;
  /** rows frozen at the top */
  readonly freezeRows?: number;
}

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FONT = { name: '宋体', size: 11, charset: 134 };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const solid = (argb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb } });

/** A fresh style object per cell: exceljs keeps the object, so a shared one would be changed for every cell at once. */
function styleOf(style: CellStyle): Partial<ExcelJS.Style> {
  switch (style) {
    case 'plain':
      return { font: { ...FONT } };
    case 'title':
      return { font: { ...FONT, bold: true, size: 14 }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
    case 'header':
      return { font: { ...FONT, bold: true }, fill: solid('FFD9D9D9'), border: { ...THIN }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
    case 'label':
      return { font: { ...FONT }, border: { ...THIN }, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
    case 'wrap':
      return { font: { ...FONT }, border: { ...THIN }, alignment: { vertical: 'middle', wrapText: true } };
    case 'note':
      return { font: { ...FONT }, alignment: { vertical: 'top', wrapText: true } };
    case 'input':
      // the only unlocked style: what the protected sheet lets a unit fill in
      return { font: { ...FONT }, fill: solid('FFFFF2CC'), border: { ...THIN }, alignment: { vertical: 'middle', wrapText: true }, protection: { locked: false } };
  }
}

/** exceljs drops C0 controls itself, but not U+FFFE / U+FFFF, which XML 1.0 cannot hold either (prefills carry user text). */
const xmlSafe = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

function dataValidation(v: Validation): ExcelJS.DataValidation {
  const messages = {
    allowBlank: true,
    showErrorMessage: true,
    errorTitle: '填写有误',
    error: xmlSafe(v.error),
    ...(v.prompt ? { showInputMessage: true, promptTitle: '填写说明', prompt: xmlSafe(v.prompt) } : {}),
  };
  if (v.type === 'list') {
    const formula = typeof v.list === 'string' ? v.list : `"${(v.list ?? []).map(xmlSafe).join(',')}"`;
    return { type: 'list', formulae: [formula], ...messages };
  }
  const { min, max } = v;
  if (min !== undefined && max !== undefined) return { type: v.type, operator: 'between', formulae: [min, max], ...messages };
  return min !== undefined
    ? { type: v.type, operator: 'greaterThanOrEqual', formulae: [min], ...messages }
    : { type: v.type, operator: 'lessThanOrEqual', formulae: [max ?? 0], ...messages };
}

// a fixed date in the document properties and the zip entries, so that the same input gives the same bytes
const FIXED_DATE = new Date('2020-01-01T00:00:00Z');

/** The .xlsx bytes of the sheets, in order (the first is the active one). */
export async function writeXlsx(sheets: readonly SheetSpec[]): Promise<Uint8Array> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  workbook.creator = 'jxzp';
  workbook.created = FIXED_DATE;
  workbook.modified = FIXED_DATE;
  workbook.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  for (const [i, spec] of sheets.entries()) {
    const sheet = workbook.addWorksheet(spec.name, {
      state: spec.state ?? 'visible',
      views: [
        {
          ...(spec.freezeRows ? { state: 'frozen', xSplit: 0, ySplit: spec.freezeRows, topLeftCell: `A${spec.freezeRows + 1}` } : { state: 'normal' }),
          // written by exceljs's sheet view, though its types leave it out: the active tab is also the selected one
          ...({ tabSelected: i === 0 } as object),
        } as Partial<ExcelJS.WorksheetView>,
      ],
      pageSetup: { paperSize: 9, orientation: 'landscape', margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 } },
    });
    (spec.columnWidths ?? []).forEach((width, c) => (sheet.getColumn(c + 1).width = width));
    for (const c of spec.cells) {
      const cell = sheet.getCell(c.address);
      cell.style = styleOf(c.style);
      // empty cells are still written (styled): an empty input cell must stay unlocked
      cell.value = c.value === '' ? null : typeof c.value === 'string' ? xmlSafe(c.value) : c.value;
    }
    // after the styles: a merge gives its covered cells the style of its first cell
    for (const m of spec.merges ?? []) sheet.mergeCells(`${m.from}:${m.to}`);
    for (const v of spec.validations ?? []) {
      const validation = dataValidation(v);
      // per cell: exceljs joins alike neighbours back into ranges when it writes
      for (const address of v.sqref.split(/\s+/)) sheet.getCell(address).dataValidation = validation;
    }
    // no password: the protection keeps the form's structure from accidental edits, it is not a secret
    if (spec.protect) await sheet.protect('', { objects: false, scenarios: false, formatColumns: true, formatRows: true });
  }
  // stored, not deflated: the repack below compresses once
  const written = new Uint8Array((await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } } as ExcelJS.XlsxWriteOptions)) as ArrayBuffer);
  // the zip repacked with fixed entry dates (exceljs stamps them with the time of writing); the parts are exceljs's
  const parts = unzipSync(written);
  const packed: Record<string, [Uint8Array, { mtime: Date }]> = {};
  // (JSZip's folder entries left out: a zip of parts needs none)
  for (const [name, data] of Object.entries(parts)) if (!name.endsWith('/')) packed[name] = [data, { mtime: FIXED_DATE }];
  return zipSync(packed, { level: 6 });
}
