// The scored 自评表 as a workbook (exceljs): the report view's rows with self-reported, recomputed and review points side
// by side, discrepancies highlighted, explanations wrapped, frozen header, A4 landscape. Values only, no formulas.
import ExcelJS from 'exceljs';
import type { ReportItemRow, ReportRow, ReportView } from './view.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The columns of the 自评表, in order. */
export const SCORED_COLUMNS = [
  { header: '一级指标', width: 14 },
  { header: '二级指标', width: 14 },
  { header: '三级指标', width: 18 },
  { header: '分值', width: 7 },
  { header: '自评分', width: 8 },
  { header: '复算分', width: 8 },
  { header: '复核分', width: 8 },
  { header: '差异（复算−自评）', width: 10 },
  { header: '失分', width: 7 },
  { header: '评分说明', width: 48 },
  { header: '证据（实际值 对 阈值）', width: 30 },
  { header: '挽回所需', width: 32 },
  { header: '复核理由', width: 24 },
] as const;

const HEADER_ROW = 4;
const DISCREPANCY_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFD7D7' } };
const GROUP_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export interface WorkbookOptions {
  /** the document's creation date (fixed in samples and tests) */
  readonly now?: Date;
}

/** Names in their level's column: a row's own name at its level, its ancestors' names for items (so a filter keeps context). */
function levelCells(row: ReportRow): [string, string, string] {
  const cells: [string, string, string] = ['', '', ''];
  const names = row.kind === 'item' ? row.path : [];
  names.slice(0, 3).forEach((n, i) => (cells[i] = n));
  const at = Math.min(row.level, 3) - 1;
  cells[at] = row.kind === 'item' && row.level > 3 ? row.path.slice(2).join(' / ') : row.name;
  return cells;
}

function evidenceText(row: ReportItemRow): string {
  return row.evidence.map((e) => `${e.label}：${e.actual} ${e.operator} ${e.threshold}${e.passed ? '' : '（不满足）'}`).join('\n');
}

function itemExplanation(row: ReportItemRow): string {
  const parts = [row.applicable ? row.explanation : `不适用：${row.notApplicableReason ?? row.explanation}`];
  if (row.remark) parts.push(`备注：${row.remark}`);
  return parts.join('\n');
}

/** Sheet rows (cell values) from the view, in table order. */
function bodyRow(row: ReportRow): (string | number | null)[] {
  const [l1, l2, l3] = levelCells(row);
  if (row.kind === 'group') return [l1, l2, l3, row.max, null, row.recomputed, row.review, null, null, '', '', '', ''];
  return [
    l1,
    l2,
    l3,
    row.max,
    row.selfReported,
    row.applicable ? row.recomputed : '不适用',
    row.review?.points ?? null,
    row.difference,
    row.lost > 0 ? row.lost : null,
    itemExplanation(row),
    evidenceText(row),
    row.recovery ?? '',
    row.review ? `${row.review.reason}（${row.review.reviewer}）` : '',
  ];
}

/** The scored 自评表 of one evaluation (or trial score) as .xlsx bytes. */
export async function renderScoredWorkbook(view: ReportView, options: WorkbookOptions = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const now = options.now ?? new Date();
  workbook.creator = 'jxzp';
  workbook.created = now;
  workbook.modified = now;
  workbook.title = `${view.project.name} 绩效自评表`;

  const sheet = workbook.addWorksheet('自评表', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  sheet.columns = SCORED_COLUMNS.map((c) => ({ width: c.width }));
  const lastColumn = SCORED_COLUMNS.length;

  const title = sheet.getRow(1);
  title.getCell(1).value = `${view.project.fiscalYear} 年度项目支出绩效自评表：${view.project.name}`;
  title.getCell(1).font = { bold: true, size: 14 };
  sheet.mergeCells(1, 1, 1, lastColumn);
  const facts = [
    `预算单位：${view.project.unitName}`,
    view.project.code ? `项目编码：${view.project.code}` : null,
    view.project.budgetTotal !== null ? `预算总额：${view.project.budgetTotal} 万元` : null,
    `规则集：${view.ruleset.id} ${view.ruleset.version}（${view.ruleset.title}）${view.ruleset.provisional ? '（暂行分值）' : ''}`,
    view.evaluation ? `评价编号：${view.evaluation.id}` : '试算（未保存）',
  ].filter((x): x is string => x !== null);
  sheet.getRow(2).getCell(1).value = facts.join('    ');
  sheet.mergeCells(2, 1, 2, lastColumn);
  const summary = view.summary;
  sheet.getRow(3).getCell(1).value = [
    `复算总分 ${summary.total} / ${summary.maxTotal}，等级 ${summary.grade.label}`,
    summary.selfReported?.total !== null && summary.selfReported !== null ? `自评总分 ${summary.selfReported.total}${summary.selfReported.grade ? `（${summary.selfReported.grade}）` : ''}` : null,
    summary.review ? `复核总分 ${summary.review.total}，等级 ${summary.review.grade.label}` : null,
    summary.discrepancies > 0 ? `自评分与复算分不一致 ${summary.discrepancies} 项（红底标出）` : '自评分与复算分一致',
  ]
    .filter((x): x is string => x !== null)
    .join('；');
  sheet.mergeCells(3, 1, 3, lastColumn);

  const header = sheet.getRow(HEADER_ROW);
  header.values = SCORED_COLUMNS.map((c) => c.header);
  header.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = THIN;
  });

  for (const row of view.rows) {
    const added = sheet.addRow(bodyRow(row));
    added.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.border = THIN;
      cell.alignment = { vertical: 'top', wrapText: true, ...(column >= 4 && column <= 9 ? { horizontal: 'right' } : {}) };
      if (row.kind === 'group') {
        cell.fill = GROUP_FILL;
        cell.font = { bold: true };
      }
    });
    if (row.kind === 'item' && row.discrepancy) {
      // the reviewer's main tool: where the self-reported points differ from the recomputed ones
      for (const column of [5, 6, 8]) {
        added.getCell(column).fill = DISCREPANCY_FILL;
        added.getCell(column).font = { bold: true, color: { argb: 'FFC00000' } };
      }
    }
  }

  const totalRow = sheet.addRow(['合计', '', '', summary.maxTotal, summary.selfReported?.total ?? null, summary.total, summary.review?.total ?? null, null, null, '', '', '', '']);
  const gradeRow = sheet.addRow(['等级', '', '', '', summary.selfReported?.grade ?? null, summary.grade.label, summary.review?.grade.label ?? null, null, null, summary.nextGrade ?? '', '', '', '']);
  for (const r of [totalRow, gradeRow]) {
    r.eachCell({ includeEmpty: true }, (cell, column) => {
      cell.border = THIN;
      cell.font = { bold: true };
      cell.alignment = { vertical: 'top', wrapText: true, ...(column >= 4 && column <= 9 ? { horizontal: 'right' } : {}) };
    });
  }
  if (view.warnings.length > 0) {
    const w = sheet.addRow([`说明：${view.warnings.join('；')}`]);
    sheet.mergeCells(w.number, 1, w.number, lastColumn);
    w.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  }

  const bytes = await workbook.xlsx.writeBuffer();
  return new Uint8Array(bytes as ArrayBuffer);
}
