// The 自评表 workbook of a rule-set version, blank or prefilled from a submission (e.g. last year's), built from the
// layout (layout.ts) so that the reader finds every value where it was written.
import type { RuleSetDocument } from '../domain/ruleset.js';
import type { Submission, UnitIndicator } from '../domain/submission.js';
import { ownValue } from '../domain/submission.js';
import {
  GUIDE_SHEET,
  INDICATOR_COLUMNS,
  MAIN_SHEET,
  META_SHEET,
  NO,
  ROWS_PER_SLOT,
  YES,
  cellAddress,
  rowOf,
  workbookLayout,
  type InputCell,
  type InputKind,
  type WorkbookLayout,
} from './layout.js';
import { writeXlsx, type SheetCell, type Validation } from './xlsx-write.js';

export interface Template {
  readonly bytes: Uint8Array;
  /** what the prefill source held that has no place in this version's table (told on the instructions sheet too) */
  readonly notCarried: readonly string[];
}

type CellValue = string | number | null;

function display(kind: InputKind, value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  if (kind.type === 'yesNo' && typeof value === 'boolean') return value ? YES : NO;
  if (kind.type === 'choice' && typeof value === 'string') return ownValue(kind.labels, value) ?? value;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? YES : NO;
  return null;
}

const at = (value: unknown, key: string | number): unknown =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string | number, unknown>)[key] : undefined;

/** The values a submission puts in the input cells (address → value), and what found no cell. */
export function prefillValues(layout: WorkbookLayout, submission: Submission | undefined): { values: Map<string, CellValue>; notCarried: string[] } {
  const values = new Map<string, CellValue>();
  const notCarried: string[] = [];
  if (!submission) return { values, notCarried };
  const leafIds = new Set(layout.leaves.map((l) => l.leafId));

  // the unit's indicators: each to the next free row of its slot, in the submission's order
  const rowOfIndicator = new Map<number, { indicator: UnitIndicator; index: number }>();
  const free = new Map<string, number[]>();
  for (const r of layout.indicatorRows) (free.get(r.slotId) ?? free.set(r.slotId, []).get(r.slotId)!).push(r.row);
  const indicators = submission.indicators ?? [];
  indicators.forEach((indicator, index) => {
    const rows = free.get(indicator.category);
    const row = rows?.shift();
    if (row === undefined) {
      notCarried.push(
        rows ? `三级指标「${indicator.name}」：类别「${indicator.category}」已超过 ${ROWS_PER_SLOT} 行` : `三级指标「${indicator.name}」：本版本没有类别「${indicator.category}」`,
      );
    } else rowOfIndicator.set(row, { indicator, index });
  });
  // the order column is written only when the submission's order is not the table's
  const placed = [...rowOfIndicator.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v.index);
  const keepOrder = placed.some((index, i) => i > 0 && index < placed[i - 1]!);

  for (const cell of layout.inputs) {
    const [head, key, field] = cell.path;
    let value: unknown;
    if (head === 'indicators') {
      const entry = rowOfIndicator.get(key as number);
      if (!entry) continue;
      if (field === 'selfPoints') value = ownValue(submission.selfAssessment?.items, entry.indicator.id);
      else if (field === 'order') value = keepOrder ? entry.index + 1 : undefined;
      else value = at(entry.indicator, field as string);
    } else value = cell.path.reduce<unknown>(at, submission);
    const shown = display(cell.kind, value);
    if (shown !== null) values.set(cell.address, shown);
  }

  for (const [leafId, facts] of Object.entries(submission.facts ?? {})) {
    if (!leafIds.has(leafId)) notCarried.push(`指标「${leafId}」的数据（本版本没有该末级指标）`);
    else {
      for (const name of Object.keys(facts)) {
        if (!layout.factRows.some((r) => r.leafId === leafId && r.fact === name)) notCarried.push(`指标「${leafId}」的数据项「${name}」`);
      }
    }
  }
  for (const key of Object.keys(submission.remarks ?? {})) if (!leafIds.has(key)) notCarried.push(`备注「${key}」`);
  for (const key of Object.keys(submission.notApplicable ?? {})) if (!leafIds.has(key)) notCarried.push(`不适用说明「${key}」`);
  const indicatorIds = new Set(indicators.map((i) => i.id));
  for (const key of Object.keys(submission.selfAssessment?.items ?? {})) {
    if (!leafIds.has(key) && !indicatorIds.has(key)) notCarried.push(`自评分「${key}」`);
  }
  if ((submission.goals?.length ?? 0) > layout.goalRows.length) notCarried.push(`超出 ${layout.goalRows.length} 个的年度绩效目标`);
  return { values, notCarried };
}

function validationOf(cells: readonly InputCell[], kind: InputKind, goalRange: string | undefined): Validation | null {
  const sqref = cells.map((c) => c.address).join(' ');
  switch (kind.type) {
    case 'number': {
      const span = kind.min !== undefined && kind.max !== undefined ? `${kind.min} 至 ${kind.max} 之间的` : kind.min !== undefined ? `不小于 ${kind.min} 的` : '';
      return { sqref, type: kind.integer ? 'whole' : 'decimal', ...(kind.min !== undefined ? { min: kind.min } : {}), ...(kind.max !== undefined ? { max: kind.max } : {}), error: `请填写${span}${kind.integer ? '整数' : '数值'}` };
    }
    case 'yesNo':
      return { sqref, type: 'list', list: [YES, NO], error: `请选择「${YES}」或「${NO}」` };
    case 'choice':
      return { sqref, type: 'list', list: Object.values(kind.labels), error: `请从下拉列表中选择：${Object.values(kind.labels).join('、')}` };
    case 'goalRef':
      return goalRange ? { sqref, type: 'list', list: goalRange, error: '请选择上方年度绩效目标中填写的目标编号' } : null;
    case 'text':
      return { sqref, type: 'textLength', max: kind.maxLength, error: `最多 ${kind.maxLength} 个字` };
    case 'numberOrText':
      return null;
  }
}

function guideLines(document: RuleSetDocument, layout: WorkbookLayout, notCarried: readonly string[]): string[] {
  const lines = [
    `《${document.title}》自评表填写说明`,
    `规则集：${document.id}，版本 ${document.version}（${document.fiscalYears.from}${document.fiscalYears.to !== undefined ? `–${document.fiscalYears.to}` : ' 起'} 年度）${document.provisional ? '；暂行分值：' + (document.provisionalNote ?? '') : ''}`,
    '1. 只需填写「自评表」中浅黄色的单元格，其余单元格受保护，不能修改；请勿增删工作表、行或列，也不要改动指标名称和说明文字。',
    '2. 「填报值」一列按每行「评分标准 / 数据项」填写：金额、数量填数字（单位见「单位」一列），评分要求逐项选择「是」（满足）或「否」（不满足）。',
    '3. 某项指标不适用于本项目时，在该指标的「不适用理由」中写明理由，并让该指标的填报值留空。',
    '4. 「自评分」填单位对该项的自评得分；「备注 / 说明」可写偏差原因和佐证材料。',
  ];
  if (layout.indicatorRows.length > 0) {
    lines.push(
      `5. 单位自设的三级指标：每个二级指标下有 ${ROWS_PER_SLOT} 行，按需填写，不用的行留空。每行须填名称、分值和指标方向；定量指标填年度指标值与实际完成值，定性指标（方向选「定性」）另选定性档次和所选得分。`,
      '   「指标编号」可不填（系统按行号自动编号）；「填报顺序」可不填（按行的先后）。',
    );
  }
  if (layout.goalRows.length > 0) lines.push('6. 年度绩效目标：每个目标写一个编号（英文字母开头，如 g1）、名称和分值；三级指标的「所属目标编号」填该编号。');
  lines.push(
    '填好后保存为 Excel 工作簿（.xlsx），上传到 POST /v1/evaluations，或用命令 npm run cli -- import <文件.xlsx> 转成提交 JSON。',
    '有误时系统会指出单元格（如 自评表!F12）和原因。请勿修改隐藏的「规则集」工作表：它标明本表对应的规则集版本，版本不符的工作簿会被拒收。',
    '公式单元格按其保存的计算结果读取（并给出提示）；没有保存计算结果的公式会被拒收。',
  );
  if (notCarried.length > 0) {
    lines.push('', '预填来源中以下内容在本版本的表中没有对应位置，未填入：', ...notCarried.map((n) => `  · ${n}`));
  }
  return lines;
}

/** The workbook bytes: the form, its instructions and the hidden sheet naming the rule-set version. */
export async function buildTemplate(document: RuleSetDocument, sha256: string, prefill?: Submission): Promise<Template> {
  const layout = workbookLayout(document, sha256);
  const { values, notCarried } = prefillValues(layout, prefill);
  const cells: SheetCell[] = layout.fixed.map((f) => ({ address: f.address, value: f.value, style: f.style }));
  for (const input of layout.inputs) cells.push({ address: input.address, value: values.get(input.address) ?? null, style: 'input' });
  // a merge gives the cells it covers its first cell's style (exceljs's mergeCells): an empty first cell still needs one,
  // so that the form prints as a table
  const taken = new Set(cells.map((c) => c.address));
  for (const m of layout.merges) {
    if (!taken.has(m.from)) cells.push({ address: m.from, value: null, style: rowOf(m.from) === 1 ? 'title' : 'label' });
  }
  const goalRange = layout.goalRows.length > 0 ? `$B$${layout.goalRows[0]!.row}:$B$${layout.goalRows.at(-1)!.row}` : undefined;
  // one validation per kind of input, over all its cells (a sheet's list stays short)
  const groups = new Map<string, { kind: InputKind; cells: InputCell[] }>();
  for (const input of layout.inputs) {
    const key = JSON.stringify(input.kind);
    (groups.get(key) ?? groups.set(key, { kind: input.kind, cells: [] }).get(key)!).cells.push(input);
  }
  const validations = [...groups.values()].map((g) => validationOf(g.cells, g.kind, goalRange)).filter((v): v is Validation => v !== null);

  const guide = guideLines(document, layout, notCarried).map((text, i) => ({ address: `A${i + 1}`, value: text, style: (i === 0 ? 'title' : 'note') as SheetCell['style'] }));
  const meta: SheetCell[] = layout.meta.flatMap((row, r) => row.map((value, c) => ({ address: cellAddress(c + 1, r + 1), value, style: 'plain' as const })));
  const bytes = await writeXlsx([
    {
      name: MAIN_SHEET,
      cells,
      merges: layout.merges,
      columnWidths: layout.columnWidths.slice(0, layout.indicatorRows.length > 0 ? INDICATOR_COLUMNS.length : 10),
      validations,
      protect: true,
    },
    { name: GUIDE_SHEET, cells: guide, columnWidths: [120], protect: true },
    { name: META_SHEET, state: 'hidden', cells: meta, columnWidths: [14, 14, 28, 28], protect: true },
  ]);
  return { bytes, notCarried };
}
