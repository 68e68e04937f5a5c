// The 自评报告 draft as an editable Word document (docx): the seed report's seven headings, written from the report view —
// project facts, total and grade, a paragraph per first-level indicator, the problems, what it would take — and the score table.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { ReportItemRow, ReportRow, ReportView } from './view.js';

export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The seed report's seven headings, verbatim (/work/shared/seed: 梅州市住房公积金管理中心 2022). */
export const REPORT_HEADINGS = [
  '一、基本情况',
  '二、绩效自评工作组织情况',
  '三、绩效自评结论',
  '四、绩效指标分析',
  '五、主要绩效',
  '六、存在问题',
  '七、下一步工作计划',
] as const;

/** 黑体 for headings, 仿宋_GB2312 for the body (official-document habit); 三号 = 16 pt. */
export const HEADING_FONT = '黑体';
export const BODY_FONT = '仿宋_GB2312';
const BODY_SIZE = 32; // half-points: 16 pt (三号)
const TABLE_SIZE = 21; // 10.5 pt (五号)
const A4 = { width: 11906, height: 16838 }; // twips
const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });
const ordinal = (i: number) => CHINESE_ORDINALS[i] ?? String(i + 1);
const placeholder = (text: string) => `【${text}】`;
const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : String(n));

export interface WordOptions {
  /** the date written on the draft (fixed in samples and tests) */
  readonly now?: Date;
}

function heading1(text: string): Paragraph {
  return new Paragraph({ text, heading: HeadingLevel.HEADING_1 });
}
function heading2(text: string): Paragraph {
  return new Paragraph({ text, heading: HeadingLevel.HEADING_2 });
}
function body(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun(text)], indent: { firstLine: 640 }, alignment: AlignmentType.JUSTIFIED });
}

/** The seed's sub-heading of a first-level indicator: （一）决策分析 … （四）效益实现度分析. */
function analysisHeading(index: number, name: string): string {
  return `（${ordinal(index)}）${name === '效益' ? '效益实现度' : name}分析`;
}

/** The first-level sections of the table: each level-1 row with the rows under it (until the next level-1 row). */
function sections(view: ReportView): { head: ReportRow; items: ReportItemRow[] }[] {
  const out: { head: ReportRow; items: ReportItemRow[] }[] = [];
  for (const row of view.rows) {
    if (row.level === 1) out.push({ head: row, items: row.kind === 'item' ? [row] : [] });
    else if (row.kind === 'item') out[out.length - 1]?.items.push(row);
  }
  return out;
}

/** Explanations often begin with the item's name; after "1.名称：" it is said once. */
function withoutName(text: string, name: string): string {
  return text.startsWith(`${name}：`) ? text.slice(name.length + 1) : text;
}

function itemPoints(item: ReportItemRow): string {
  return `${item.recomputed}/${item.max} 分${item.review ? `，复核 ${item.review.points} 分` : ''}`;
}

/** 四: for one first-level indicator, points earned of possible, what met the criteria, what lost points and why. */
function analysis(head: ReportRow, items: readonly ReportItemRow[]): Paragraph[] {
  const applicable = items.filter((i) => i.applicable);
  const met = applicable.filter((i) => i.lost === 0);
  const lost = applicable.filter((i) => i.lost > 0);
  const notApplicable = items.filter((i) => !i.applicable);
  const review = head.kind === 'group' ? head.review : (head.review?.points ?? null);
  const sentences = [
    `「${head.name}」满分 ${head.max} 分，复算得 ${head.recomputed} 分${review !== null ? `，复核 ${review} 分` : ''}${lost.length === 0 ? '，未失分' : ''}。`,
    met.length > 0 ? `达到评分标准的：${met.map((i) => `${i.name}（${itemPoints(i)}）`).join('、')}。` : null,
    lost.length > 0 ? `失分的：${lost.map((i) => `${i.name}失 ${i.lost} 分（${itemPoints(i)}）`).join('；')}。` : null,
    notApplicable.length > 0 ? `不适用的：${notApplicable.map((i) => `${i.name}（${i.notApplicableReason ?? '不适用'}）`).join('；')}。` : null,
  ].filter((s): s is string => s !== null);
  const paragraphs = [body(sentences.join(''))];
  items.forEach((item, i) => {
    const lines = [`${i + 1}.${item.name}：${withoutName(item.explanation, item.name)}`];
    if (item.remark) lines.push(`（单位说明：${item.remark}）`);
    if (item.review) lines.push(`（复核 ${item.review.points} 分：${item.review.reason}）`);
    paragraphs.push(body(lines.join('')));
  });
  return paragraphs;
}

function cell(text: string, options: { bold?: boolean; shade?: boolean; right?: boolean } = {}): TableCell {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { line: 300, lineRule: 'auto' },
        children: [new TextRun({ text, bold: options.bold ?? false, size: TABLE_SIZE })],
      }),
    ],
    ...(options.shade ? { shading: { fill: 'FFD7D7' } } : {}),
  });
}

const TABLE_HEADER = ['一级指标', '二级指标', '三级指标', '分值', '自评分', '复算分', '复核分', '失分'];

function scoreTable(view: ReportView): Table {
  const rows = [new TableRow({ tableHeader: true, children: TABLE_HEADER.map((h) => cell(h, { bold: true })) })];
  for (const row of view.rows) {
    const names = ['', '', ''];
    names[Math.min(row.level, 3) - 1] = row.name;
    if (row.kind === 'group') {
      rows.push(new TableRow({ children: [...names.map((n) => cell(n, { bold: true })), cell(fmt(row.max), { right: true }), cell(''), cell(fmt(row.recomputed), { right: true }), cell(fmt(row.review), { right: true }), cell('')] }));
    } else {
      rows.push(
        new TableRow({
          children: [
            ...names.map((n) => cell(n)),
            cell(fmt(row.max), { right: true }),
            cell(fmt(row.selfReported), { right: true, shade: row.discrepancy }),
            cell(row.applicable ? fmt(row.recomputed) : '不适用', { right: true, shade: row.discrepancy }),
            cell(fmt(row.review?.points), { right: true }),
            cell(row.lost > 0 ? fmt(row.lost) : '', { right: true }),
          ],
        }),
      );
    }
  }
  const s = view.summary;
  rows.push(new TableRow({ children: [cell('合计', { bold: true }), cell(''), cell(''), cell(fmt(s.maxTotal), { right: true }), cell(fmt(s.selfReported?.total), { right: true }), cell(fmt(s.total), { right: true }), cell(fmt(s.review?.total), { right: true }), cell('')] }));
  rows.push(new TableRow({ children: [cell('等级', { bold: true }), cell(''), cell(''), cell(''), cell(s.selfReported?.grade ?? '—'), cell(s.grade.label), cell(s.review?.grade.label ?? '—'), cell('')] }));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
  });
}

function chineseDate(d: Date): string {
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** The 自评报告 draft of one evaluation (or trial score) as .docx bytes. */
export async function renderReportDraft(view: ReportView, options: WordOptions = {}): Promise<Uint8Array> {
  const now = options.now ?? new Date();
  const { project, summary, ruleset } = view;
  const children: (Paragraph | Table)[] = [];

  children.push(new Paragraph({ text: `${project.unitName}${project.fiscalYear}年度${project.name}项目支出绩效自评报告`, heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(`（草稿，${chineseDate(now)}由评分服务生成${view.evaluation ? `，评价编号 ${view.evaluation.id}` : '，试算'}；【】内为须由单位填写的内容）`)] }));

  // 一 from the submission's project facts
  children.push(heading1(REPORT_HEADINGS[0]));
  children.push(heading2('（一）项目基本情况'));
  const facts = [
    `${project.fiscalYear}年${project.name}项目由${project.unitName}实施`,
    project.code ? `，项目编码 ${project.code}` : '',
    project.budgetTotal !== null ? `，全年预算 ${project.budgetTotal} 万元` : '',
    '。',
  ].join('');
  children.push(body(facts + placeholder('请补充项目内容、资金下达与实施情况')));
  children.push(heading2('（二）项目决策情况'));
  children.push(body(placeholder('请填写项目立项依据、决策过程与资金安排')));
  children.push(heading2('（三）绩效目标'));
  if (view.goals.length > 0) {
    children.push(body(`本项目设定年度绩效目标 ${view.goals.length} 个：${view.goals.map((g, i) => `${i + 1}.${g.name}`).join('；')}。`));
  } else {
    children.push(body(placeholder('请填写项目年度绩效目标')));
  }

  // 二 for the unit to write
  children.push(heading1(REPORT_HEADINGS[1]));
  children.push(body(placeholder('请填写绩效自评工作的组织方式、工作过程、核对的佐证材料')));

  // 三 total and grade
  children.push(heading1(REPORT_HEADINGS[2]));
  const conclusion = [
    `按照《${ruleset.title}》（${ruleset.id} ${ruleset.version}）的评价指标，本项目复算总分 ${summary.total} 分（满分 ${summary.maxTotal} 分），绩效等级为「${summary.grade.label}」。`,
    summary.selfReported && summary.selfReported.total !== null
      ? `单位自评 ${summary.selfReported.total} 分${summary.selfReported.grade ? `（${summary.selfReported.grade}）` : ''}；${summary.discrepancies > 0 ? `自评分与复算分不一致的指标 ${summary.discrepancies} 项，见附表中标红的单元格。` : '各项自评分与复算分一致。'}`
      : '',
    summary.review ? `复核总分 ${summary.review.total} 分，复核等级为「${summary.review.grade.label}」。` : '',
    ruleset.provisional ? '（所用评分表分值为暂行分值。）' : '',
  ].join('');
  children.push(body(conclusion));

  // 四 a paragraph per first-level indicator, from the explanations
  children.push(heading1(REPORT_HEADINGS[3]));
  sections(view).forEach(({ head, items }, i) => {
    children.push(heading2(analysisHeading(i, head.name)));
    children.push(...analysis(head, items));
  });

  // 五 for the unit to write
  children.push(heading1(REPORT_HEADINGS[4]));
  children.push(body(placeholder('请填写项目取得的主要绩效（产出、效益、服务对象满意度等）')));

  // 六 from the items that lost points, or 无
  children.push(heading1(REPORT_HEADINGS[5]));
  if (view.pointsLost.length === 0) children.push(body('无。'));
  else view.pointsLost.forEach((p, i) => children.push(body(`${i + 1}.${p.path.join('—')}失 ${p.lost} 分：${withoutName(p.reason, p.name)}`)));

  // 七 from what it would take
  children.push(heading1(REPORT_HEADINGS[6]));
  const plans = view.pointsLost.filter((p) => p.recovery !== null);
  if (summary.nextGrade) children.push(body(`${summary.nextGrade}。`));
  plans.forEach((p, i) => children.push(body(`${i + 1}.${p.name}：${p.recovery}。`)));
  if (!summary.nextGrade && plans.length === 0) children.push(body(`本项目各项指标均得满分，${placeholder('请填写下一步工作计划')}`));
  else children.push(body(placeholder('请补充具体措施与时间安排')));

  // the score table
  children.push(new Paragraph({ text: '附表：项目支出绩效自评评分表', heading: HeadingLevel.HEADING_2, pageBreakBefore: true }));
  children.push(scoreTable(view));
  if (view.warnings.length > 0) children.push(body(`说明：${view.warnings.join('；')}`));

  const headingRun = { font: font(HEADING_FONT), size: BODY_SIZE, bold: false, color: '000000' };
  const document = new Document({
    creator: 'jxzp',
    title: `${project.name}项目支出绩效自评报告`,
    styles: {
      default: {
        document: { run: { font: font(BODY_FONT), size: BODY_SIZE }, paragraph: { spacing: { line: 560, lineRule: 'exact' } } },
        title: { run: { font: font(HEADING_FONT), size: 40, bold: false, color: '000000' }, paragraph: { spacing: { after: 240 } } },
        heading1: { run: headingRun, paragraph: { spacing: { before: 120, after: 120 }, indent: { firstLine: 640 }, keepNext: true } },
        heading2: { run: headingRun, paragraph: { indent: { firstLine: 640 }, keepNext: true } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { ...A4, orientation: PageOrientation.PORTRAIT },
            margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 },
          },
        },
        footers: {
          default: new Footer({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 28 })] })],
          }),
        },
        children,
      },
    ],
  });
  return new Uint8Array(await Packer.toArrayBuffer(document));
}
