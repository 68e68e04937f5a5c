// The bureau's table of a rule set, laid out once for export and import: sheets, rows and cells, which cells a bureau may
// edit (points, thresholds, criteria text, labels, grade band mins) and where each edit lands in the rule-set document.
import type { RuleSetDocument } from '../domain/ruleset.js';

/** A key into the document: ['indicators', 0, 'children', 1, 'points'] */
export type DocPath = readonly (string | number)[];

export type EditKind = 'points' | 'number' | 'text' | 'optionalText' | 'threshold';

export interface TableCell {
  readonly value: string | number | null;
  /** absent: a structural cell, which must read back exactly as written */
  readonly edit?: { readonly kind: EditKind; readonly targets: readonly DocPath[] };
}

export interface TableSheet {
  readonly name: string;
  readonly columns: readonly { readonly header: string; readonly width: number; readonly editable: boolean }[];
  readonly rows: readonly (readonly TableCell[])[];
}

export const FIRST_DATA_ROW = 2;

const OPERATORS: Record<string, string> = {
  greaterThanInclusive: '≥',
  greaterThan: '>',
  lessThanInclusive: '≤',
  lessThan: '<',
  equal: '=',
  notEqual: '≠',
  in: '属于',
  notIn: '不属于',
};

export const jsonPath = (path: DocPath): string => `$${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;

type Json = Record<string, unknown>;
type Condition = Json & { fact?: string; operator?: string; value?: unknown; all?: Condition[]; any?: Condition[]; not?: Condition };

/** A threshold as a cell shows it: numbers as numbers, strings and booleans as text, anything else as JSON. */
export function thresholdCell(value: unknown): string | number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function conditionText(c: Condition): string {
  if (c.all) return c.all.map(conditionText).join(' 且 ');
  if (c.any) return `（${c.any.map(conditionText).join(' 或 ')}）`;
  if (c.not) return `非（${conditionText(c.not)}）`;
  return `${c.fact} ${OPERATORS[c.operator ?? ''] ?? c.operator} ${JSON.stringify(c.value)}`;
}

/** Every fact condition of a rule with its place in the document. */
function factConditions(c: Condition, path: DocPath, out: { condition: Condition; path: DocPath }[]): void {
  if (c.all) c.all.forEach((x, i) => factConditions(x, [...path, 'all', i], out));
  else if (c.any) c.any.forEach((x, i) => factConditions(x, [...path, 'any', i], out));
  else if (c.not) factConditions(c.not, [...path, 'not'], out);
  else if (typeof c.fact === 'string' && Object.hasOwn(c, 'value') && (typeof c.value !== 'object' || c.value === null || Array.isArray(c.value))) out.push({ condition: c, path });
}

interface IndicatorNode extends Json {
  id: string;
  name: string;
  points?: number;
  description?: string;
  children?: IndicatorNode[];
  facts?: Json;
  unitIndicators?: Json;
  checklist?: { id: string; requirement: string; deduction: number }[];
}

export function ruleTable(document: RuleSetDocument): TableSheet[] {
  const doc = document as unknown as Json & { indicators: IndicatorNode[]; rules: (Json & { name: string; conditions: Condition; event: { params: Json } })[]; grades: Json[] };

  const info: TableSheet = {
    name: '规则集',
    columns: [
      { header: '项目', width: 16, editable: false },
      { header: '内容', width: 90, editable: false },
    ],
    rows: [
      [{ value: '规则集编号' }, { value: document.id }],
      [{ value: '版本' }, { value: document.version }],
      [{ value: '标题' }, { value: document.title }],
      [{ value: '总分' }, { value: document.total }],
      [
        { value: '填写说明' },
        { value: '黄色底的列可以修改：分值、阈值、评分要求与说明文字、名称、等级名称与下限；其余列是结构（指标的增删与层级、计分方法、条件写法），请在 JSON 中修改。改后用 cli table-import 读回为新版本。' },
      ],
    ],
  };

  const indicatorRows: TableCell[][] = [];
  const checklistRows: TableCell[][] = [];
  const walk = (nodes: IndicatorNode[], path: DocPath, level: number) => {
    nodes.forEach((node, i) => {
      const at = [...path, i];
      const form = node.children ? '上级指标' : node.unitIndicators ? '单位自设指标的位置' : '评分表末级指标';
      indicatorRows.push([
        { value: node.id },
        { value: level },
        { value: node.name, edit: { kind: 'text', targets: [[...at, 'name']] } },
        typeof node.points === 'number' ? { value: node.points, edit: { kind: 'points', targets: [[...at, 'points']] } } : { value: null },
        { value: node.description ?? null, edit: { kind: 'optionalText', targets: [[...at, 'description']] } },
        { value: form },
      ]);
      (node.checklist ?? []).forEach((req, j) => {
        checklistRows.push([
          { value: node.id },
          { value: req.id },
          { value: req.requirement, edit: { kind: 'text', targets: [[...at, 'checklist', j, 'requirement']] } },
          { value: req.deduction, edit: { kind: 'points', targets: [[...at, 'checklist', j, 'deduction']] } },
        ]);
      });
      if (node.children) walk(node.children, [...at, 'children'], level + 1);
    });
  };
  walk(doc.indicators, ['indicators'], 1);

  const ruleRows: TableCell[][] = [];
  // one threshold cell per indicator, fact and value: the conditions that share it (a band's two sides) change together
  const thresholds = new Map<string, { appliesTo: string; fact: string; value: unknown; uses: string[]; targets: DocPath[] }>();
  doc.rules.forEach((rule, i) => {
    const params = rule.event.params as Json & { appliesTo?: string; case?: string; explanation?: string; award?: Json };
    const award = (params.award ?? {}) as Json & { method?: string; cutPoints?: unknown };
    const { cutPoints, ...method } = award;
    ruleRows.push([
      { value: rule.name },
      { value: String(params.appliesTo ?? '') },
      { value: JSON.stringify(method) },
      { value: conditionText(rule.conditions) },
      { value: cutPoints === undefined ? null : JSON.stringify(cutPoints) },
      { value: params.case ?? null, edit: { kind: 'optionalText', targets: [['rules', i, 'event', 'params', 'case']] } },
      { value: params.explanation ?? null, edit: { kind: 'optionalText', targets: [['rules', i, 'event', 'params', 'explanation']] } },
    ]);
    const found: { condition: Condition; path: DocPath }[] = [];
    factConditions(rule.conditions, ['rules', i, 'conditions'], found);
    for (const { condition, path } of found) {
      const key = JSON.stringify([params.appliesTo ?? '', condition.fact, condition.value]);
      const entry = thresholds.get(key) ?? { appliesTo: String(params.appliesTo ?? ''), fact: condition.fact!, value: condition.value, uses: [], targets: [] };
      entry.uses.push(`${rule.name} ${OPERATORS[condition.operator ?? ''] ?? condition.operator}`);
      entry.targets.push([...path, 'value']);
      thresholds.set(key, entry);
    }
  });
  const thresholdRows: TableCell[][] = [...thresholds.values()].map((t) => [
    { value: t.appliesTo },
    { value: t.fact },
    { value: t.uses.join('；') },
    { value: thresholdCell(t.value), edit: { kind: 'threshold', targets: t.targets } },
  ]);

  const gradeRows: TableCell[][] = doc.grades.map((g, i) => [
    { value: String(g.code) },
    { value: String(g.name), edit: { kind: 'text', targets: [['grades', i, 'name']] } },
    { value: String(g.label), edit: { kind: 'text', targets: [['grades', i, 'label']] } },
    { value: g.min as number, edit: { kind: 'number', targets: [['grades', i, 'min']] } },
  ]);

  return [
    info,
    {
      name: '指标',
      columns: [
        { header: '编号', width: 22, editable: false },
        { header: '层级', width: 6, editable: false },
        { header: '名称', width: 24, editable: true },
        { header: '分值', width: 8, editable: true },
        { header: '评分标准说明', width: 50, editable: true },
        { header: '形式', width: 18, editable: false },
      ],
      rows: indicatorRows,
    },
    {
      name: '扣分要求',
      columns: [
        { header: '指标编号', width: 22, editable: false },
        { header: '要求编号', width: 22, editable: false },
        { header: '评分要求', width: 60, editable: true },
        { header: '未满足时扣分', width: 12, editable: true },
      ],
      rows: checklistRows,
    },
    {
      name: '阈值',
      columns: [
        { header: '适用指标', width: 22, editable: false },
        { header: '数据项', width: 22, editable: false },
        { header: '使用该阈值的规则条件', width: 60, editable: false },
        { header: '阈值', width: 12, editable: true },
      ],
      rows: thresholdRows,
    },
    {
      name: '规则',
      columns: [
        { header: '规则名', width: 28, editable: false },
        { header: '适用指标', width: 20, editable: false },
        { header: '计分方法', width: 36, editable: false },
        { header: '条件', width: 40, editable: false },
        { header: '档次分界', width: 20, editable: false },
        { header: '情形', width: 30, editable: true },
        { header: '说明模板', width: 60, editable: true },
      ],
      rows: ruleRows,
    },
    {
      name: '等级',
      columns: [
        { header: '代码', width: 14, editable: false },
        { header: '名称', width: 10, editable: true },
        { header: '显示名', width: 12, editable: true },
        { header: '下限（含）', width: 12, editable: true },
      ],
      rows: gradeRows,
    },
  ];
}
