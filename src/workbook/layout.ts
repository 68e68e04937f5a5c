// Where every value of a submission sits in the 自评表 workbook of one rule-set version: the one description that
// writing, prefilling and reading back all use. Pure: no I/O, no spreadsheet library.
import { isSlotNode, walkIndicators, type FactDeclaration, type RuleSetDocument } from '../domain/ruleset.js';
import { TIER_LABELS } from '../domain/submission.js';

export const MAIN_SHEET = '自评表';
export const GUIDE_SHEET = '填写说明';
export const META_SHEET = '规则集';
export const SHEET_NAMES = [MAIN_SHEET, GUIDE_SHEET, META_SHEET] as const;
/** Bumped when the layout below changes: a workbook of another layout is refused, not misread. */
export const LAYOUT_VERSION = '1';
/** blank rows offered per slot for the unit's own third-level indicators */
export const ROWS_PER_SLOT = 8;
/** the hidden sheet's map of input rows starts here */
export const META_MAP_FIRST_ROW = 7;

export const YES = '是';
export const NO = '否';
export const DIRECTION_LABELS: Readonly<Record<string, string>> = { gte: '正向（≥）', lte: '反向（≤）', eq: '等于（=）', qualitative: '定性' };
export { TIER_LABELS };

/** What an input cell holds, and so how it is written, validated in the sheet and read back. */
export type InputKind =
  | { readonly type: 'text'; readonly maxLength: number }
  | { readonly type: 'number'; readonly integer?: boolean; readonly min?: number; readonly max?: number }
  /** a number or a text (定性 targets and actuals) */
  | { readonly type: 'numberOrText' }
  | { readonly type: 'yesNo' }
  /** a closed list: code → label shown in the cell */
  | { readonly type: 'choice'; readonly labels: Readonly<Record<string, string>> }
  /** a goal id written in the goals rows */
  | { readonly type: 'goalRef' };

/** One input cell and the JSON path its value goes to. */
export interface InputCell {
  /** e.g. F14 */
  readonly address: string;
  readonly path: readonly (string | number)[];
  readonly kind: InputKind;
}

/** A cell the template writes and the reader checks unchanged: headings, indicator names, labels, points. */
export interface FixedCell {
  readonly address: string;
  readonly value: string | number;
  readonly style: 'title' | 'header' | 'label' | 'wrap' | 'note';
}

export interface Merge {
  readonly from: string;
  readonly to: string;
}

/** A row of fixed facts or checklist answers: one leaf's fact (or one requirement of its checklist). */
export interface FactRow {
  readonly row: number;
  readonly leafId: string;
  readonly fact: string;
  /** set for a checklist requirement's row */
  readonly requirement?: string;
}

/** A row for one of the unit's own indicators. */
export interface IndicatorRow {
  readonly row: number;
  readonly slotId: string;
}

export interface GoalRow {
  readonly row: number;
}

export interface WorkbookLayout {
  readonly ruleset: { readonly id: string; readonly version: string; readonly sha256: string; readonly title: string };
  readonly fixed: readonly FixedCell[];
  readonly merges: readonly Merge[];
  /** project and self-assessment fields */
  readonly projectCells: readonly InputCell[];
  readonly factRows: readonly FactRow[];
  /** per leaf: the rows of its facts, and its per-leaf cells (self-reported points, not-applicable reason, remark) */
  readonly leaves: readonly { readonly leafId: string; readonly firstRow: number; readonly lastRow: number }[];
  readonly indicatorRows: readonly IndicatorRow[];
  readonly goalRows: readonly GoalRow[];
  /** every input cell, in row order */
  readonly inputs: readonly InputCell[];
  readonly lastRow: number;
  readonly columnWidths: readonly number[];
  /** the hidden sheet: label/value pairs, then one row per input row (row, kind, id, item) */
  readonly meta: readonly (readonly (string | number)[])[];
}

export const col = (n: number): string => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};
export const cellAddress = (column: number, row: number): string => `${col(column)}${row}`;

// Columns of the fixed-leaf section
const A = 1, B = 2, C = 3, D = 4, E = 5, F = 6, G = 7, H = 8, I = 9, J = 10;
/** Columns of the unit-indicator section, after its own heading row. */
export const INDICATOR_COLUMNS = [
  ['一级指标', null],
  ['二级指标', null],
  ['三级指标名称', 'name'],
  ['分值', 'points'],
  ['指标方向', 'direction'],
  ['年度指标值', 'target'],
  ['计量单位', 'unitOfMeasure'],
  ['实际完成值', 'actual'],
  ['定性档次', 'tier'],
  ['定性所选得分', 'chosenScore'],
  ['自评分', 'selfPoints'],
  ['不适用理由', 'notApplicable'],
  ['偏差原因', 'deviationReason'],
  ['指标编号（可不填）', 'id'],
  ['所属目标编号', 'goal'],
  ['填报顺序（可不填）', 'order'],
] as const;
export type IndicatorField = NonNullable<(typeof INDICATOR_COLUMNS)[number][1]>;
export const indicatorColumn = (field: IndicatorField): number => INDICATOR_COLUMNS.findIndex(([, f]) => f === field) + 1;

const PROJECT_FIELDS: readonly [string, readonly (string | number)[], InputKind][] = [
  ['项目名称', ['project', 'name'], { type: 'text', maxLength: 200 }],
  ['项目编码', ['project', 'code'], { type: 'text', maxLength: 64 }],
  ['单位编号', ['project', 'unitId'], { type: 'text', maxLength: 64 }],
  ['单位名称', ['project', 'unitName'], { type: 'text', maxLength: 200 }],
  ['主管部门', ['project', 'department'], { type: 'text', maxLength: 200 }],
  ['财政年度', ['project', 'fiscalYear'], { type: 'number', integer: true, min: 2000, max: 2100 }],
  ['项目资金总额（万元）', ['project', 'budgetTotal'], { type: 'number', min: 0, max: 1e12 }],
  ['自评总分', ['selfAssessment', 'total'], { type: 'number', min: 0, max: 1000 }],
  ['自评等级', ['selfAssessment', 'grade'], { type: 'text', maxLength: 20 }],
];

const POINTS: InputKind = { type: 'number', min: 0, max: 1000 };

function factKind(decl: FactDeclaration): InputKind {
  switch (decl.type) {
    case 'number':
    case 'integer': {
      const min = decl.minimum ?? decl.exclusiveMinimum;
      return { type: 'number', ...(decl.type === 'integer' ? { integer: true } : {}), ...(min !== undefined ? { min } : {}), ...(decl.maximum !== undefined ? { max: decl.maximum } : {}) };
    }
    case 'boolean':
    case 'checklist':
      return { type: 'yesNo' };
    case 'string':
      if (decl.enum) return { type: 'choice', labels: Object.fromEntries(decl.enum.map((v) => [v, decl.enumLabels?.[v] ?? v])) };
      return { type: 'text', maxLength: 500 };
  }
}

function criteriaOf(decl: FactDeclaration): string {
  const parts: string[] = [];
  if (decl.minimum !== undefined) parts.push(`≥ ${decl.minimum}`);
  if (decl.exclusiveMinimum !== undefined) parts.push(`> ${decl.exclusiveMinimum}`);
  if (decl.type === 'integer') parts.push('整数');
  if (decl.optional) parts.push('可不填');
  return parts.length > 0 ? `${decl.label}（${parts.join('，')}）` : decl.label;
}

/** The layout of the 自评表 for one resolved rule-set document. */
export function workbookLayout(document: RuleSetDocument, sha256: string): WorkbookLayout {
  const fixed: FixedCell[] = [];
  const merges: Merge[] = [];
  const inputs: InputCell[] = [];
  const meta: (string | number)[][] = [];
  const mapRow = (row: number, kind: string, id: string, item = '') => meta.push([row, kind, id, item]);
  const put = (column: number, row: number, value: string | number | undefined, style: FixedCell['style'] = 'label') => {
    if (value !== undefined && value !== '') fixed.push({ address: cellAddress(column, row), value, style });
  };
  const merge = (c1: number, r1: number, c2: number, r2: number) => {
    if (c1 !== c2 || r1 !== r2) merges.push({ from: cellAddress(c1, r1), to: cellAddress(c2, r2) });
  };
  const input = (column: number, row: number, path: readonly (string | number)[], kind: InputKind) => {
    const cell = { address: cellAddress(column, row), path, kind };
    inputs.push(cell);
    return cell;
  };

  put(A, 1, `${document.title}（${document.id} ${document.version}）`, 'title');
  merge(A, 1, J, 1);
  const projectCells: InputCell[] = [];
  let row = 2;
  for (const [label, path, kind] of PROJECT_FIELDS) {
    put(A, row, label, 'header');
    merge(A, row, E, row);
    projectCells.push(input(F, row, path, kind));
    mapRow(row, 'project', path.join('.'));
    row++;
  }
  row++;

  const visits = walkIndicators(document.indicators);
  const leafVisits = visits.filter((v) => !v.node.children && !isSlotNode(v.node));
  const slotVisits = visits.filter((v) => isSlotNode(v.node));
  const factRows: FactRow[] = [];
  const leaves: { leafId: string; firstRow: number; lastRow: number }[] = [];

  // names of groups and leaves, merged over their rows: key → column, label and the rows it covers
  const spans = new Map<string, { column: number; label: string; first: number; last: number }>();
  const cover = (key: string, column: number, label: string, first: number, last: number) => {
    const s = spans.get(key);
    if (s) s.last = last;
    else spans.set(key, { column, label, first, last });
  };
  const byId = new Map(visits.map((v) => [v.node.id, v] as const));
  /** names from the first level down, a group's with its points (a leaf's are in the 分值 column) */
  const chainOf = (visit: (typeof visits)[number]) => {
    const chain: { id: string; label: string }[] = [];
    for (let v: (typeof visits)[number] | undefined = visit; v; v = v.parentId === null ? undefined : byId.get(v.parentId)) {
      chain.unshift({ id: v.node.id, label: v.node.children && v.node.points !== undefined ? `${v.node.name}（${v.node.points} 分）` : v.node.name });
    }
    return chain;
  };

  if (leafVisits.length > 0) {
    ['一级指标', '二级指标', '三级指标', '分值', '评分标准 / 数据项', '填报值', '单位', '自评分', '不适用理由', '备注 / 说明'].forEach((h, i) => put(i + 1, row, h, 'header'));
    mapRow(row, 'heading', 'facts');
    row++;
    for (const visit of leafVisits) {
      const leaf = visit.node;
      const first = row;
      if (leaf.description) {
        put(E, row, `评分标准：${leaf.description}`, 'wrap');
        row++;
      }
      for (const [name, decl] of Object.entries(leaf.facts ?? {})) {
        if (decl.type === 'checklist') {
          for (const r of leaf.checklist ?? []) {
            put(E, row, `${r.requirement}（未满足扣 ${r.deduction} 分）`, 'wrap');
            put(G, row, `${YES} / ${NO}`);
            input(F, row, ['facts', leaf.id, name, r.id], { type: 'yesNo' });
            factRows.push({ row, leafId: leaf.id, fact: name, requirement: r.id });
            mapRow(row, 'requirement', leaf.id, `${name}.${r.id}`);
            row++;
          }
        } else {
          put(E, row, criteriaOf(decl), 'wrap');
          put(G, row, decl.unit ?? (decl.type === 'boolean' ? `${YES} / ${NO}` : undefined));
          input(F, row, ['facts', leaf.id, name], factKind(decl));
          factRows.push({ row, leafId: leaf.id, fact: name });
          mapRow(row, 'fact', leaf.id, name);
          row++;
        }
      }
      if (row === first) row++; // a leaf without facts still has its row
      const last = row - 1;
      leaves.push({ leafId: leaf.id, firstRow: first, lastRow: last });
      // 一级, 二级 as they are; the third column holds the rest (a deeper tree's names joined)
      const chain = chainOf(visit);
      chain.slice(0, 2).forEach((n, i) => cover(`f:${n.id}`, i + 1, n.label, first, last));
      if (chain.length > 2) cover(`f:${leaf.id}`, C, chain.slice(2).map((n) => n.label).join(' / '), first, last);
      put(D, first, leaf.points);
      merge(D, first, D, last);
      input(H, first, ['selfAssessment', 'items', leaf.id], POINTS);
      input(I, first, ['notApplicable', leaf.id], { type: 'text', maxLength: 500 });
      input(J, first, ['remarks', leaf.id], { type: 'text', maxLength: 2000 });
      for (const column of [H, I, J]) merge(column, first, column, last);
      mapRow(first, 'leaf', leaf.id);
    }
    row++;
  }

  const indicatorRows: IndicatorRow[] = [];
  if (slotVisits.length > 0) {
    INDICATOR_COLUMNS.forEach(([h], i) => put(i + 1, row, h, 'header'));
    mapRow(row, 'heading', 'indicators');
    row++;
    for (const visit of slotVisits) {
      const first = row;
      for (let k = 0; k < ROWS_PER_SLOT; k++) {
        indicatorRows.push({ row, slotId: visit.node.id });
        for (const [, field] of INDICATOR_COLUMNS) {
          if (field === null) continue;
          input(indicatorColumn(field), row, ['indicators', row, field], indicatorKind(field));
        }
        mapRow(row, 'indicator', visit.node.id);
        row++;
      }
      // the slot's name in 二级; the groups above it (joined) in 一级
      const chain = chainOf(visit);
      const parents = chain.slice(0, -1);
      if (parents.length > 0) cover(`i:${parents.at(-1)!.id}`, A, parents.map((n) => n.label).join(' / '), first, row - 1);
      cover(`i:${visit.node.id}`, B, chain.at(-1)!.label, first, row - 1);
    }
    row++;
  }

  for (const span of spans.values()) {
    put(span.column, span.first, span.label);
    merge(span.column, span.first, span.column, span.last);
  }

  const goalsNode = visits.find((v) => v.node.goals)?.node;
  const goalRows: GoalRow[] = [];
  if (goalsNode?.goals) {
    put(A, row, goalsNode.goals.label, 'header');
    put(B, row, '目标编号', 'header');
    put(C, row, '目标名称', 'header');
    put(D, row, '分值', 'header');
    mapRow(row, 'heading', 'goals');
    row++;
    for (let k = 0; k < goalsNode.goals.maxGoals; k++) {
      put(A, row, `${goalsNode.goals.label} ${k + 1}`);
      input(B, row, ['goals', k, 'id'], { type: 'text', maxLength: 64 });
      input(C, row, ['goals', k, 'name'], { type: 'text', maxLength: 200 });
      input(D, row, ['goals', k, 'points'], POINTS);
      goalRows.push({ row });
      mapRow(row, 'goal', String(k + 1));
      row++;
    }
  }

  return {
    ruleset: { id: document.id, version: document.version, sha256, title: document.title },
    fixed: fixed.sort((x, y) => rowOf(x.address) - rowOf(y.address) || columnOf(x.address) - columnOf(y.address)),
    merges,
    projectCells,
    factRows,
    leaves,
    indicatorRows,
    goalRows,
    inputs: inputs.sort((x, y) => rowOf(x.address) - rowOf(y.address) || columnOf(x.address) - columnOf(y.address)),
    lastRow: row - 1,
    columnWidths: [12, 14, 18, 8, 44, 14, 10, 10, 18, 30, 10, 16, 24, 16, 14, 12],
    meta: [
      ['规则集编号', document.id],
      ['版本', document.version],
      ['sha256', sha256],
      ['表样版本', LAYOUT_VERSION],
      ['说明', '本工作表由系统生成并用于核对上传的工作簿，请勿修改'],
      ['行号', '类型', '编号', '数据项'],
      ...meta,
    ],
  };
}

function indicatorKind(field: IndicatorField): InputKind {
  switch (field) {
    case 'points':
    case 'chosenScore':
    case 'selfPoints':
      return POINTS;
    case 'direction':
      return { type: 'choice', labels: DIRECTION_LABELS };
    case 'tier':
      return { type: 'choice', labels: TIER_LABELS };
    case 'target':
    case 'actual':
      return { type: 'numberOrText' };
    case 'order':
      return { type: 'number', integer: true, min: 1, max: 200 };
    case 'goal':
      return { type: 'goalRef' };
    case 'name':
      return { type: 'text', maxLength: 200 };
    case 'unitOfMeasure':
      return { type: 'text', maxLength: 20 };
    case 'id':
      return { type: 'text', maxLength: 64 };
    case 'notApplicable':
      return { type: 'text', maxLength: 500 };
    case 'deviationReason':
      return { type: 'text', maxLength: 2000 };
  }
}

export const rowOf = (address: string): number => Number(/\d+$/.exec(address)?.[0] ?? 0);
export const columnOf = (address: string): number => {
  const letters = /^[A-Z]+/.exec(address)?.[0] ?? '';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
};

