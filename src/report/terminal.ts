// The report view for a terminal (a table that wraps to the terminal's width, CJK characters two columns wide) and as CSV.
import type { ReportRow, ReportView } from './view.js';

/** Columns a character takes on a terminal: East Asian wide and fullwidth forms two, the rest one (src/cli/table.ts too). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** Breaks text into lines of at most `width` display columns (CJK two each), keeping numbers and Latin words whole
 * where they fit; explicit newlines are kept. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  const word = (ch: string | undefined) => ch !== undefined && /[\x21-\x7e]/.test(ch);
  for (const paragraph of text.split('\n')) {
    let line: string[] = [];
    let used = 0;
    for (const ch of paragraph) {
      const w = displayWidth(ch);
      if (used + w > width && line.length > 0) {
        let cut = line.length;
        if (word(ch) && word(line[line.length - 1])) {
          // move the unfinished word to the next line, when something else stays on this one
          let start = line.length;
          while (start > 0 && word(line[start - 1])) start--;
          if (start > 0) cut = start;
        }
        const carried = line.slice(cut);
        out.push(line.slice(0, cut).join('').trimEnd());
        line = ch === ' ' && carried.length === 0 ? [] : carried;
        used = displayWidth(line.join(''));
        if (ch === ' ' && carried.length === 0) continue;
      }
      line.push(ch);
      used += w;
    }
    out.push(line.join('').trimEnd());
  }
  return out;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

interface Column {
  readonly header: string;
  readonly width: number;
  readonly right: boolean;
}

function cellsOf(row: ReportRow): string[] {
  const name = `${'  '.repeat(row.level - 1)}${row.name}`;
  if (row.kind === 'group') return [name, fmt(row.max), '', fmt(row.recomputed), fmt(row.review), ''];
  const explanation = [row.applicable ? row.explanation : `不适用：${row.notApplicableReason ?? ''}`, row.review ? `复核：${row.review.reason}` : '']
    .filter(Boolean)
    .join('\n');
  return [
    `${row.discrepancy ? '≠ ' : ''}${name}`,
    fmt(row.max),
    fmt(row.selfReported),
    row.applicable ? fmt(row.recomputed) : '不适用',
    fmt(row.review?.points),
    explanation,
  ];
}

/**
 * The evaluation as a table no wider than `width` columns: indicator names indented by level, points right-aligned,
 * the explanation column taking what is left and wrapping; rows whose self-reported points differ start with ≠.
 */
export function renderTerminalTable(view: ReportView, width: number): string {
  const total = Math.max(60, width);
  const rows = view.rows.map(cellsOf);
  const numeric = (i: number, header: string) => Math.max(displayWidth(header), ...rows.map((r) => displayWidth(r[i]!)));
  const nameWidth = Math.min(Math.max(displayWidth('指标'), ...rows.map((r) => displayWidth(r[0]!))), Math.floor(total * 0.3));
  const columns: Column[] = [
    { header: '指标', width: nameWidth, right: false },
    { header: '分值', width: numeric(1, '分值'), right: true },
    { header: '自评', width: numeric(2, '自评'), right: true },
    { header: '复算', width: numeric(3, '复算'), right: true },
    { header: '复核', width: numeric(4, '复核'), right: true },
  ];
  const gap = 2;
  const used = columns.reduce((sum, c) => sum + c.width + gap, 0);
  columns.push({ header: '说明', width: Math.max(10, total - used), right: false });

  const line = (cells: readonly string[]) => {
    const wrapped = cells.map((c, i) => wrapText(c, columns[i]!.width));
    const height = Math.max(...wrapped.map((w) => w.length));
    const out: string[] = [];
    for (let k = 0; k < height; k++) {
      out.push(
        wrapped
          .map((w, i) => pad(w[k] ?? '', columns[i]!.width, columns[i]!.right && k === 0))
          .join(' '.repeat(gap))
          .trimEnd(),
      );
    }
    return out;
  };

  const { project, ruleset, summary } = view;
  const head = [
    ...wrapText(`${project.fiscalYear} 年度 ${project.name}（${project.unitName}）${view.evaluation ? `  评价 ${view.evaluation.id}` : ''}`, total),
    ...wrapText(`规则集 ${ruleset.id} ${ruleset.version}${ruleset.provisional ? '（暂行分值）' : ''}`, total),
    ...wrapText(
      [
        `复算总分 ${summary.total} / ${summary.maxTotal}，等级 ${summary.grade.label}`,
        summary.selfReported?.total != null ? `自评 ${summary.selfReported.total}${summary.selfReported.grade ? `（${summary.selfReported.grade}）` : ''}` : null,
        summary.review ? `复核 ${summary.review.total}（${summary.review.grade.label}）` : null,
        summary.discrepancies > 0 ? `自评与复算不一致 ${summary.discrepancies} 项（≠）` : null,
      ]
        .filter((x): x is string => x !== null)
        .join('；'),
      total,
    ),
  ];
  const rule = columns.map((c) => '─'.repeat(c.width)).join(' '.repeat(gap));
  const foot = [
    ...(summary.nextGrade ? wrapText(summary.nextGrade, total) : []),
    ...view.warnings.flatMap((w) => wrapText(`说明：${w}`, total)),
  ];
  return [...head, '', ...line(columns.map((c) => c.header)), rule, ...rows.flatMap(line), rule, ...foot].join('\n');
}

const CSV_HEADER = ['一级指标', '二级指标', '三级指标', '层级', '分值', '自评分', '复算分', '复核分', '差异', '失分', '说明', '挽回所需', '复核理由'];

/** A cell as RFC 4180 wants it; text that a spreadsheet would read as a formula is prefixed with ' (CSV injection). */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The evaluation as CSV (UTF-8, CRLF, header row), one row per indicator in table order. */
export function renderCsv(view: ReportView): string {
  const lines = [CSV_HEADER];
  const rows: (string | number | null)[][] = view.rows.map((row) => {
    const names: (string | null)[] = [null, null, null];
    if (row.kind === 'item') row.path.slice(0, 3).forEach((n, i) => (names[i] = n));
    names[Math.min(row.level, 3) - 1] = row.name;
    if (row.kind === 'group') return [...names, row.levelName, row.max, null, row.recomputed, row.review, null, null, null, null, null];
    return [
      ...names,
      row.levelName,
      row.max,
      row.selfReported,
      row.applicable ? row.recomputed : '不适用',
      row.review?.points ?? null,
      row.difference,
      row.lost,
      row.applicable ? row.explanation : `不适用：${row.notApplicableReason ?? ''}`,
      row.recovery,
      row.review?.reason ?? null,
    ];
  });
  rows.push(['合计', null, null, null, view.summary.maxTotal, view.summary.selfReported?.total ?? null, view.summary.total, view.summary.review?.total ?? null, null, null, view.summary.grade.label, view.summary.nextGrade, null]);
  return [...lines.map((l) => l.map(csvCell).join(',')), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}
