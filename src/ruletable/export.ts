// A rule set as the workbook a bureau reads and edits (exceljs): one sheet each for the indicator tree, checklist
// requirements, thresholds, rules and grade bands; editable columns shaded, the rest is structure.
import ExcelJS from 'exceljs';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { FIRST_DATA_ROW, ruleTable } from './layout.js';

const EDITABLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

export async function exportRuleTable(document: RuleSetDocument, options: { now?: Date } = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const now = options.now ?? new Date();
  workbook.creator = 'jxzp';
  workbook.created = now;
  workbook.modified = now;
  workbook.title = `${document.title}（${document.id} ${document.version}）`;
  for (const table of ruleTable(document)) {
    const sheet = workbook.addWorksheet(table.name, {
      views: [{ state: 'frozen', ySplit: FIRST_DATA_ROW - 1 }],
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    sheet.columns = table.columns.map((c) => ({ width: c.width }));
    const header = sheet.getRow(1);
    header.values = table.columns.map((c) => c.header);
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
    });
    for (const row of table.rows) {
      const added = sheet.addRow(row.map((c) => c.value));
      row.forEach((c, i) => {
        const cell = added.getCell(i + 1);
        cell.alignment = { wrapText: true, vertical: 'top' };
        if (c.edit) cell.fill = EDITABLE_FILL;
      });
    }
  }
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
