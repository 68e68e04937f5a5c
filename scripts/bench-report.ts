// `npm run bench:report`: from bench/results.json, the charts docs/bench/*.svg (plain SVG strings) and README's
// generated 性能 block (between <!-- bench:begin --> and <!-- bench:end -->). `npm run bench` calls it after a full run;
// test/bench/readme-figures.test.ts fails when the committed README or charts differ from what this would write.
// `--check` writes nothing and exits 1 when they differ.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Results are read as data: each renderer checks for the section it needs and says when it is missing.
type R = Record<string, any>;

export const BEGIN = '<!-- bench:begin -->';
export const END = '<!-- bench:end -->';
export const CHART_DIR = 'docs/bench';
const FONT = `'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif`;
const NOT_MEASURED = '（本项不在这次运行的结果中。）';

// ---------------------------------------------------------------- numbers
/** Thousands separated with commas, at most `decimals` decimals (no locale data involved). */
export function fmt(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const f = 10 ** decimals;
  const rounded = Math.round(x * f) / f;
  const [int, frac] = String(Math.abs(rounded)).split('.') as [string, string | undefined];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}
const pct = (x: number) => `${fmt(x * 100, 1)}%`;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const md = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
const mdTable = (header: string[], align: string[], rows: (string | number)[][]) => [md(header), md(align), ...rows.map(md)].join('\n');

// ---------------------------------------------------------------- charts
interface Series {
  readonly name: string;
  readonly color: string;
  readonly dash?: string;
  readonly points: readonly (readonly [number, number])[];
}

function svgFrame(width: number, height: number, title: string, desc: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title desc" font-family="${escape(FONT)}" font-size="13">`,
    `<title id="title">${escape(title)}</title>`,
    `<desc id="desc">${escape(desc)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold" fill="#1a1a1a">${escape(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

const decades = (lo: number, hi: number) => {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
};
const n1 = (x: number) => Math.round(x * 10) / 10;

/** A log–log line chart (x: leaves, y: evaluations per second). */
function logLogChart(title: string, desc: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 800;
  const H = 440;
  const m = { left: 104, right: 230, top: 44, bottom: 56 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => y > 0);
  const xTicks = [...new Set(xs)].sort((a, b) => a - b);
  const [x0, x1] = [Math.min(...xs) / 1.3, Math.max(...xs) * 1.3];
  const yTicks = decades(Math.min(...ys), Math.max(...ys));
  const [y0, y1] = [yTicks[0]!, yTicks.at(-1)!];
  const px = (x: number) => n1(m.left + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * (W - m.left - m.right));
  const py = (y: number) => n1(H - m.bottom - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (H - m.top - m.bottom));
  const body: string[] = [];
  for (const t of yTicks) {
    body.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${py(t)}" y2="${py(t)}" stroke="#e0e0e0"/>`);
    body.push(`<text x="${m.left - 8}" y="${py(t) + 4}" text-anchor="end" fill="#333">${fmt(t, 0)}</text>`);
  }
  for (const t of xTicks) {
    body.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#f0f0f0"/>`);
    body.push(`<text x="${px(t)}" y="${H - m.bottom + 18}" text-anchor="middle" fill="#333">${fmt(t, 0)}</text>`);
  }
  body.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${H - m.bottom}" y2="${H - m.bottom}" stroke="#333"/>`);
  body.push(`<line x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${H - m.bottom}" stroke="#333"/>`);
  body.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 14}" text-anchor="middle" fill="#1a1a1a">${escape(xLabel)}</text>`);
  body.push(`<text x="18" y="${(m.top + H - m.bottom) / 2}" text-anchor="middle" fill="#1a1a1a" transform="rotate(-90 18 ${(m.top + H - m.bottom) / 2})">${escape(yLabel)}</text>`);
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => p[1] > 0);
    if (pts.length > 1) {
      body.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${pts.map((p) => `${px(p[0])},${py(p[1])}`).join(' ')}"/>`);
    }
    for (const p of pts) body.push(`<circle cx="${px(p[0])}" cy="${py(p[1])}" r="4" fill="${s.color}"><title>${escape(`${s.name}：${fmt(p[0], 0)} → ${fmt(p[1], 0)}`)}</title></circle>`);
    const ly = m.top + 10 + i * 24;
    body.push(`<line x1="${W - m.right + 16}" x2="${W - m.right + 44}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    body.push(`<text x="${W - m.right + 50}" y="${ly + 4}" fill="#1a1a1a">${escape(s.name)}</text>`);
  });
  return svgFrame(W, H, title, desc, body);
}

interface BarGroup {
  readonly label: string;
  readonly bars: readonly { readonly name: string; readonly value: number | null; readonly color: string }[];
}

/** Grouped vertical bars on a linear axis from 0, each labelled with its value. */
function barChart(title: string, desc: string, yLabel: string, groups: BarGroup[], legend: { name: string; color: string }[], valueDecimals: number, line?: { value: number; label: string }): string {
  const W = 720;
  const H = 420;
  const m = { left: 80, right: 20, top: 70, bottom: 64 };
  const values = groups.flatMap((g) => g.bars.map((b) => b.value ?? 0));
  const max = Math.max(...values, line?.value ?? 0) * 1.12 || 1;
  const step = 10 ** Math.floor(Math.log10(max / 4));
  const tick = [1, 2, 5, 10].map((k) => k * step).find((t) => max / t <= 6)!;
  const top = Math.ceil(max / tick) * tick;
  const py = (v: number) => n1(H - m.bottom - (v / top) * (H - m.top - m.bottom));
  const body: string[] = [];
  for (let t = 0; t <= top + 1e-9; t += tick) {
    body.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${py(t)}" y2="${py(t)}" stroke="#e0e0e0"/>`);
    body.push(`<text x="${m.left - 8}" y="${py(t) + 4}" text-anchor="end" fill="#333">${fmt(t, 2)}</text>`);
  }
  body.push(`<text x="18" y="${(m.top + H - m.bottom) / 2}" text-anchor="middle" fill="#1a1a1a" transform="rotate(-90 18 ${(m.top + H - m.bottom) / 2})">${escape(yLabel)}</text>`);
  const groupWidth = (W - m.left - m.right) / groups.length;
  groups.forEach((g, gi) => {
    const barWidth = Math.min(56, (groupWidth * 0.8) / g.bars.length);
    const start = m.left + gi * groupWidth + (groupWidth - barWidth * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      const x = n1(start + bi * barWidth);
      if (b.value === null) {
        body.push(`<text x="${n1(x + barWidth / 2)}" y="${py(0) - 6}" text-anchor="middle" fill="#777" font-size="11">—</text>`);
        return;
      }
      body.push(`<rect x="${x}" y="${py(b.value)}" width="${n1(barWidth - 4)}" height="${n1(py(0) - py(b.value))}" fill="${b.color}"><title>${escape(`${g.label} ${b.name}：${fmt(b.value, valueDecimals)}`)}</title></rect>`);
      body.push(`<text x="${n1(x + (barWidth - 4) / 2)}" y="${py(b.value) - 5}" text-anchor="middle" fill="#1a1a1a" font-size="11">${fmt(b.value, valueDecimals)}</text>`);
    });
    body.push(`<text x="${n1(m.left + gi * groupWidth + groupWidth / 2)}" y="${H - m.bottom + 20}" text-anchor="middle" fill="#1a1a1a">${escape(g.label)}</text>`);
  });
  body.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${py(0)}" y2="${py(0)}" stroke="#333"/>`);
  if (line) {
    body.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${py(line.value)}" y2="${py(line.value)}" stroke="#c0392b" stroke-dasharray="6 4"/>`);
    body.push(`<text x="${W - m.right - 4}" y="${py(line.value) - 6}" text-anchor="end" fill="#c0392b">${escape(line.label)}</text>`);
  }
  legend.forEach((l, i) => {
    const x = m.left + i * 170;
    body.push(`<rect x="${x}" y="40" width="14" height="14" fill="${l.color}"/>`);
    body.push(`<text x="${x + 20}" y="52" fill="#1a1a1a">${escape(l.name)}</text>`);
  });
  return svgFrame(W, H, title, desc, body);
}

const COLORS = { ours: '#1f77b4', full: '#17becf', naive: '#ff7f0e', hand: '#2ca02c', echo: '#7f7f7f', n: '#1f77b4', one: '#aec7e8', stored: '#9467bd' };

function scaleChart(r: R): string | null {
  const sizes = Object.values(r.scale?.sizes ?? {}) as R[];
  if (sizes.length === 0) return null;
  const pick = (f: (z: R) => number | undefined) => sizes.filter((z) => f(z) !== undefined).map((z) => [z.leaves as number, f(z)!] as const);
  const desc = `合成规则集的末级指标数（横轴，对数）与每秒评分份数（纵轴，对数）。` + sizes.map((z) => `${z.leaves} 个末级指标：本服务 ${fmt(z.ours.perSecond, 0)} 份/秒，朴素 json-rules-engine ${fmt(z.naiveJsonRulesEngine.perSecond, 0)}，手写 ${fmt(z.handWritten.perSecond, 0)}`).join('；') + '。';
  return logLogChart('规模曲线：每秒评分份数与末级指标数', desc, '末级指标数（对数）', '每秒份数（对数）', [
    { name: '手写函数（只算分）', color: COLORS.hand, points: pick((z) => z.handWritten?.perSecond) },
    { name: '本服务（含结构校验）', color: COLORS.full, dash: '5 4', points: pick((z) => z.full?.perSecond) },
    { name: '本服务（不含结构校验）', color: COLORS.ours, points: pick((z) => z.ours?.perSecond) },
    { name: '朴素 json-rules-engine', color: COLORS.naive, points: pick((z) => z.naiveJsonRulesEngine?.perSecond) },
  ]);
}

function httpChart(r: R): string | null {
  const configs = Object.values(r.http?.configs ?? {}) as R[];
  if (configs.length === 0) return null;
  const sorted = [...configs].sort((a, b) => b.processes - a.processes);
  const colorOf = (i: number) => (i === 0 ? COLORS.n : COLORS.one);
  const routes: [string, string][] = [['echo', '裸 Hono 回显'], ['score', 'POST /v1/score'], ['evaluations', 'POST /v1/evaluations']];
  const groups: BarGroup[] = routes.map(([key, label]) => ({ label, bars: sorted.map((c, i) => ({ name: `${c.processes} 个进程`, value: c[key]?.requestsPerSecond ?? null, color: colorOf(i) })) }));
  const stored = r.http.stored;
  if (stored) {
    groups.push({ label: `已存 ${fmt(stored.preStored, 0)} 条时保存`, bars: sorted.map((c, i) => ({ name: `${c.processes} 个进程`, value: c.processes === stored.processes ? stored.requestsPerSecond : null, color: colorOf(i) })) });
  }
  const desc = `${r.http.connections} 个连接下每秒请求数。` + sorted.map((c) => `${c.processes} 个进程：回显 ${fmt(c.echo.requestsPerSecond, 0)}，评分 ${fmt(c.score.requestsPerSecond, 0)}，保存 ${fmt(c.evaluations.requestsPerSecond, 0)}`).join('；') + (stored ? `；已存 ${fmt(stored.preStored, 0)} 条时保存 ${fmt(stored.requestsPerSecond, 0)}` : '') + '。';
  return barChart('HTTP 吞吐：服务与同样进程数的回显', desc, '每秒请求数', groups, sorted.map((c, i) => ({ name: `${c.processes} 个进程`, color: colorOf(i) })), 0);
}

function batchChart(r: R): string | null {
  const sizes = Object.entries(r.batch?.sizes ?? {}) as [string, R][];
  if (sizes.length === 0) return null;
  const groups: BarGroup[] = sizes.map(([count, s]) => ({ label: `${fmt(Number(count), 0)} 条`, bars: [{ name: '秒', value: s.seconds, color: COLORS.ours }] }));
  const target = r.targets?.batch100kSeconds;
  const desc = `批量重新评分所用秒数（${r.batch.threads} 个工作线程）：` + sizes.map(([count, s]) => `${fmt(Number(count), 0)} 条 ${fmt(s.seconds, 2)} 秒`).join('，') + (target ? `；10 万条的目标为 ≤ ${target} 秒` : '') + '。';
  return barChart(`批量重新评分用时（${r.batch.threads} 个工作线程）`, desc, '秒', groups, [{ name: '重新评分并写入结果（秒）', color: COLORS.ours }], 2, target ? { value: target, label: `目标：10 万条 ≤ ${target} 秒` } : undefined);
}

/** The charts by file name (under docs/bench/); a chart whose section is missing is left out. */
export function renderCharts(r: R): Record<string, string> {
  const out: Record<string, string> = {};
  const charts: [string, string | null][] = [['scale.svg', scaleChart(r)], ['http.svg', httpChart(r)], ['batch.svg', batchChart(r)]];
  for (const [name, svg] of charts) if (svg !== null) out[name] = svg;
  return out;
}

// ---------------------------------------------------------------- README block
function header(r: R): string {
  const m = r.machine ?? {};
  return (
    `最近一次完整运行：${String(r.date ?? '').slice(0, 16).replace('T', ' ')} UTC，${m.cpu} ${m.cores} 核、${m.memoryGiB} GiB，Node ${m.node}，${m.platform}；` +
    `${r.compiled ? '编译后的 JavaScript' : 'tsx 运行源码'}，${r.runs ? `每项 ${r.runs} 次运行取中位数（workerd 5 次）` : '每项一次运行'}，原始数据在 \`bench/results.json\`` +
    `${typeof r.wallSeconds === 'number' ? `；全程 ${fmt(r.wallSeconds / 60, 1)} 分钟` : ''}。`
  );
}

/** The line for a section the results do not have in the expected shape: failed in that run, or not measured. */
function missing(r: R, key: string, title: string): string {
  const failed = r[key]?.failed;
  return `**${title}** ${typeof failed === 'string' ? `（这次运行中失败：${failed}）` : NOT_MEASURED}`;
}

function inProcessBlock(r: R): string {
  const ip = r.inProcess;
  if (!ip?.national12) return missing(r, 'inProcess', '进程内');
  const rows = (Object.values(ip) as R[]).map((c) => [c.label, fmt(c.ours.perSecond, 0), fmt(c.ours.p50Micros, 1), fmt(c.ours.p99Micros, 1), fmt(c.naiveJsonRulesEngine.perSecond, 0), fmt(c.handWritten.perSecond, 0), fmt(c.oursOverNaive), fmt(c.oursOverHandWritten, 4)]);
  const lines = [
    '**进程内**（每秒份数，p50/p99 为每份微秒；“本服务”含结构校验、数据校验、评分、证据与中文说明；手写函数只算分与总分）：',
    '',
    mdTable(['案例', '本服务 /s', 'p50', 'p99', '朴素 json-rules-engine /s', '手写 /s', '本服务 ÷ 朴素', '本服务 ÷ 手写'], ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:'], rows),
  ];
  const zen = ip.national12?.zen;
  if (zen?.unavailable) lines.push('', `GoRules ZEN：${zen.unavailable}`);
  else if (zen) {
    lines.push(
      '',
      `**GoRules ZEN ${zen.version}**（同一 12 指标全国表用例，总分 ${fmt(zen.total)} 与本服务相同；ZEN 只算分、总分与等级，不校验、不出说明；它在自己的线程上求值，所以另列每份的 CPU 时间）：`,
      '',
      mdTable(
        ['方式', '每秒份数', '每份 CPU µs'],
        ['---', '---:', '---:'],
        [
          ['本服务（同步，单线程）', fmt(ip.national12.ours.perSecond, 0), fmt(1e6 / ip.national12.ours.perSecond, 1)],
          ['ZEN 顺序（一次一份）', fmt(zen.sequential.perSecond, 0), fmt(zen.sequential.cpuMicrosPerEvaluation, 1)],
          ['ZEN 64 份同时进行', fmt(zen.inFlight64.perSecond, 0), fmt(zen.inFlight64.cpuMicrosPerEvaluation, 1)],
        ],
      ),
      '',
      `本服务 ÷ ZEN：按每秒份数（取 ZEN 较快的方式）${fmt(zen.oursOverZen)}，按每份 CPU 时间 ${fmt(zen.oursOverZenByCpu)}；本服务 ÷ 朴素 json-rules-engine ${fmt(ip.national12.oursOverNaive)}。`,
    );
  }
  return lines.join('\n');
}

function scaleBlock(r: R): string {
  const sizes = Object.values(r.scale?.sizes ?? {}) as R[];
  if (sizes.length === 0) return missing(r, 'scale', '规模曲线');
  return [
    '**规模曲线**（`bench/synthetic.ts` 生成的合成规则集，每秒份数；提交格式最多容纳 200 个末级指标的数据，所以“本服务”一列不含 JSON Schema 结构校验，含结构校验的完整评分只在 ≤ 200 时另列）：',
    '',
    mdTable(
      ['末级指标', '规则条数', '本服务 /s', '完整 /s', '朴素 json-rules-engine /s', '手写 /s', '本服务 ÷ 朴素'],
      ['---:', '---:', '---:', '---:', '---:', '---:', '---:'],
      sizes.map((z) => [fmt(z.leaves, 0), fmt(z.rules, 0), fmt(z.ours.perSecond, 0), z.full ? fmt(z.full.perSecond, 0) : '—', fmt(z.naiveJsonRulesEngine.perSecond, 0), fmt(z.handWritten.perSecond, 0), fmt(z.oursOverNaive)]),
    ),
    '',
    `![规模曲线：每秒评分份数与末级指标数](${CHART_DIR}/scale.svg)`,
  ].join('\n');
}

function httpBlock(r: R): string {
  const h = r.http;
  if (!h?.configs) return missing(r, 'http', 'HTTP');
  const rows: (string | number)[][] = [];
  for (const c of Object.values(h.configs) as R[]) {
    const row = (label: string, x: R, ratio: string) => rows.push([label, fmt(c.processes, 0), fmt(x.requestsPerSecond, 0), fmt(x.p50Millis), fmt(x.p99Millis), fmt(x.non2xx + x.errors, 0), ratio]);
    row('`POST /echo`（裸 Hono，回显 JSON）', c.echo, '1');
    row('`POST /v1/score`（校验 + 评分）', c.score, fmt(c.scoreOverEcho, 3));
    row('`POST /v1/evaluations`（校验 + 评分 + 落盘保存）', c.evaluations, fmt(c.evaluationsOverEcho, 3));
  }
  const s = h.stored;
  if (s) rows.push([`\`POST /v1/evaluations\`，已存 ${fmt(s.preStored, 0)} 条`, fmt(s.processes, 0), fmt(s.requestsPerSecond, 0), fmt(s.p50Millis), fmt(s.p99Millis), fmt(s.non2xx + s.errors, 0), `${fmt(h.storedOverEmpty, 3)}（÷ 空库）`]);
  return [
    `**HTTP**（autocannon 另起进程，${h.connections} 连接，每项 ${h.seconds} 秒，预热 ${h.warmupSeconds} 秒；服务为编译后的 \`src/platform/node.js\`，回显为同样进程数的裸 Hono，各在自己的进程组；本机 ${h.cores} 核）：`,
    '',
    mdTable(['路由', '进程数', 'req/s', 'p50 ms', 'p99 ms', '非 2xx / 错误', '÷ 回显'], ['---', '---:', '---:', '---:', '---:', '---:', '---:'], rows),
    '',
    `![HTTP 吞吐：服务与同样进程数的回显](${CHART_DIR}/http.svg)`,
  ].join('\n');
}

function batchBlock(r: R): string {
  const b = r.batch;
  if (!b?.sizes) return missing(r, 'batch', '批量重新评分');
  return [
    `**批量重新评分**（已保存的 gd-meizhou-2022 评价用 1.1.0 重新评分并写入新结果行；${b.threads > 0 ? `${b.threads} 个工作线程` : '主线程'}）：`,
    '',
    mdTable(
      ['评价条数', '秒', '条/秒', 'CPU 秒（进程合计）', '等级变化', '峰值 RSS MB', '生成数据（秒，不计入）'],
      ['---:', '---:', '---:', '---:', '---:', '---:', '---:'],
      (Object.entries(b.sizes) as [string, R][]).map(([count, s]) => [fmt(Number(count), 0), fmt(s.seconds), fmt(s.rowsPerSecond, 0), fmt(s.cpuSeconds ?? null, 1), fmt(s.gradeChanged, 0), fmt(s.maxRssMB ?? null, 0), fmt(s.generateSeconds, 1)]),
    ),
    '',
    `![批量重新评分用时](${CHART_DIR}/batch.svg)`,
  ].join('\n');
}

const LIST_LABELS: Record<string, string> = {
  none: '无条件',
  unit: '单位',
  'unit + year': '单位 + 年度',
  year: '年度',
  ruleset: '规则集',
  'ruleset + year': '规则集 + 年度',
  grade: '等级',
  'grade + year': '等级 + 年度',
  'unit token': '单位令牌（只见本单位）',
  'unit token + year': '单位令牌 + 年度',
};

function storedBlock(r: R): string {
  const s = r.storedEvaluations;
  if (!s?.lists) return missing(r, 'storedEvaluations', '已存评价的列表');
  return [
    `**已存评价的列表**：已存 ${fmt(s.listRows, 0)} 条评价时，\`GET /v1/evaluations?limit=20\` 经整个应用（鉴权、查询、JSON），每种查询一半读第 1 页、一半读第 50 页之后：`,
    '',
    mdTable(['查询', 'p50 ms', 'p99 ms'], ['---', '---:', '---:'], (Object.entries(s.lists) as [string, R][]).map(([k, l]) => [Object.hasOwn(LIST_LABELS, k) ? LIST_LABELS[k]! : k, fmt(l.p50Millis), fmt(l.p99Millis)])),
    '',
    `最差 p99 为 ${fmt(s.listWorstP99Millis)} ms。`,
  ].join('\n');
}

function pagesAndHostileBlock(r: R): string {
  const lines: string[] = [];
  const p = r.pages;
  lines.push(
    p?.evaluationPageP50Millis !== undefined
      ? `**页面的服务端渲染**（已存 ${fmt(p.rows, 0)} 条评价，整页 HTML，经 app.fetch）：评价页 p50 ${fmt(p.evaluationPageP50Millis)} ms、p99 ${fmt(p.evaluationPageP99Millis)} ms；复核队列 p50 ${fmt(p.queuePageP50Millis)} ms、p99 ${fmt(p.queuePageP99Millis)} ms（目标 ≤ ${p.targetMillis} ms）。`
      : missing(r, 'pages', '页面的服务端渲染'),
  );
  const h = r.hostile;
  lines.push(
    '',
    h?.healthzRequests !== undefined
      ? `**恶意负载下的存活**：${h.seconds} 秒内不断重发 10 万个空指标的提交（${fmt(h.hugeSubmission.bytes, 0)} 字节）和 2,000 条规则的发布（${fmt(h.manyRulesPublish.bytes, 0)} 字节），同时每隔 10 ms 请求 \`/healthz\`：` +
          `${fmt(h.healthzRequests, 0)} 次 \`/healthz\` 的 p50 ${fmt(h.healthzP50Millis)} ms、p99 ${fmt(h.healthzP99Millis)} ms、最长 ${fmt(h.healthzMaxMillis)} ms；` +
          `恶意请求的应答 ${Object.entries(h.statuses ?? {}).map(([status, n]) => `${status} × ${fmt(n as number, 0)}`).join('、')}（提交 p50 ${fmt(h.hugeSubmission.p50Millis)} ms，发布 p50 ${fmt(h.manyRulesPublish.p50Millis)} ms）。`
      : missing(r, 'hostile', '恶意负载下的存活'),
  );
  return lines.join('\n');
}

function workerdBlock(r: R): string {
  const w = r.workerd;
  if (!w?.baselineNational12) return missing(r, 'workerd', 'workerd 内的 CPU');
  return [
    `**workerd 内的 CPU**（毫秒/请求，${w.runs?.length ?? 5} 次运行的中位数，每次每种请求 ${fmt(w.healthz.requests, 0)} 个）：`,
    '',
    mdTable(
      ['请求', 'CPU ms/请求', '墙钟 ms/请求'],
      ['---', '---:', '---:'],
      [
        ['`GET /healthz`（不鉴权）', fmt(w.healthz.cpuMillisPerRequest, 3), fmt(w.healthz.wallMillisPerRequest, 3)],
        ['基线：12 指标全国表的请求体多一个 `}`（400）', fmt(w.baselineNational12.cpuMillisPerRequest, 3), fmt(w.baselineNational12.wallMillisPerRequest, 3)],
        ['`POST /v1/score` 12 指标全国表', fmt(w.scoreNational12.cpuMillisPerRequest, 3), fmt(w.scoreNational12.wallMillisPerRequest, 3)],
        ['基线：种子案例的请求体多一个 `}`（400）', fmt(w.baselineGdSeed.cpuMillisPerRequest, 3), fmt(w.baselineGdSeed.wallMillisPerRequest, 3)],
        ['`POST /v1/score` 种子案例', fmt(w.scoreGdSeed.cpuMillisPerRequest, 3), fmt(w.scoreGdSeed.wallMillisPerRequest, 3)],
      ],
    ),
    '',
    `评分本身（评分请求减去同一次运行的基线，再取中位数）：12 指标全国表 ${fmt(w.scoringCpuMillisNational12, 3)} ms，种子案例 ${fmt(w.scoringCpuMillisGdSeed, 3)} ms。`,
  ].join('\n');
}

function workbookBlock(r: R): string {
  const rows = r.workbook?.rows as R[] | undefined;
  if (!rows?.length) return missing(r, 'workbook', '自评表工作簿上传');
  return [
    '**自评表工作簿上传**（`bench/workbook.ts`：每个文件在单独的进程中经 `POST /v1/evaluations` 上传；内存为峰值 RSS 减去上传前，即增长的上限）：',
    '',
    mdTable(
      ['文件', 'KiB', '状态', '错误码', 'ms', '上传前 RSS MiB', '峰值增长 MiB'],
      ['---', '---:', '---:', '---', '---:', '---:', '---:'],
      rows.map((w) => [w.case, fmt(w.fileKiB, 1), w.status, w.code ? `\`${w.code}\`` : '', fmt(w.millis, 1), fmt(w.rssBeforeMiB, 1), fmt(w.peakGrowthMiB, 1)]),
    ),
  ].join('\n');
}

function flatten(x: unknown, prefix: string, out: [string, string][]): void {
  if (typeof x === 'number') out.push([prefix, fmt(x)]);
  else if (typeof x === 'string' || typeof x === 'boolean') out.push([prefix, String(x)]);
  else if (x && typeof x === 'object' && !Array.isArray(x)) {
    for (const [k, v] of Object.entries(x)) if (k !== 'runs') flatten(v, prefix ? `${prefix}.${k}` : k, out);
  }
}

function postgresBlock(r: R): string | null {
  if (!r.postgres) return null;
  if (typeof r.postgres.failed === 'string' || typeof r.postgres.skipped === 'string') {
    return `**PostgreSQL**（\`bench/postgres.ts\`）：${r.postgres.failed ? `这次运行中失败：${r.postgres.failed}` : `未测：${r.postgres.skipped}`}`;
  }
  const { method, ...figures } = r.postgres as R;
  // autocannon rows (anything with requestsPerSecond) as a table; other figures listed after it
  const cannons = Object.entries(figures).filter(([, v]) => typeof v?.requestsPerSecond === 'number') as [string, R][];
  const others: [string, string][] = [];
  for (const [k, v] of Object.entries(figures)) if (typeof v?.requestsPerSecond !== 'number') flatten(v, k, others);
  const yesNo = (x: unknown) => (x === true ? '开' : x === false ? '关' : '—');
  return [
    `**PostgreSQL 上的保存**（\`bench/postgres.ts\`${typeof method === 'string' ? `：${method}` : ''}）：`,
    '',
    mdTable(
      ['配置', '实例数', '组提交', 'req/s', 'p50 ms', 'p99 ms', '非 2xx / 错误'],
      ['---', '---:', '---', '---:', '---:', '---:', '---:'],
      cannons.map(([k, c]) => [`\`${k}\``, fmt(c.instances ?? null, 0), yesNo(c.groupCommit), fmt(c.requestsPerSecond, 0), fmt(c.p50Millis), fmt(c.p99Millis), fmt((c.non2xx ?? 0) + (c.errors ?? 0), 0)]),
    ),
    ...(others.length > 0 ? ['', others.map(([k, v]) => `\`${k}\`：${v}`).join('；') + '。'] : []),
  ].join('\n');
}

function targetsBlock(r: R): string {
  const t = r.targets ?? {};
  const rows: (string | number)[][] = [];
  const add = (name: string, target: string, measured: number | undefined, text: (x: number) => string, reached: (x: number) => boolean) => {
    if (measured === undefined || measured === null) rows.push([name, target, '—', '—']);
    else rows.push([name, target, text(measured), reached(measured) ? '达到' : '未达到']);
  };
  const national = r.inProcess?.national12?.ours?.perSecond;
  add('进程内 12 指标全国表', `≥ ${fmt(t.inProcessNational12PerSecond, 0)} 份/秒`, national, (x) => `${fmt(x, 0)}（${pct(x / t.inProcessNational12PerSecond)}）`, (x) => x >= t.inProcessNational12PerSecond);
  const configs = Object.values(r.http?.configs ?? {}) as R[];
  const multi = configs.sort((a, b) => b.processes - a.processes)[0];
  add(`HTTP 保存 ÷ 回显（${multi?.processes ?? '—'} 个进程）`, `≥ ${fmt(t.httpEvaluationsOverEcho)}`, multi?.evaluationsOverEcho, (x) => fmt(x, 3), (x) => x >= t.httpEvaluationsOverEcho);
  add('批量重新评分 10 万条', `≤ ${fmt(t.batch100kSeconds, 0)} 秒`, r.batch?.sizes?.['100000']?.seconds, (x) => `${fmt(x)} 秒`, (x) => x <= t.batch100kSeconds);
  add('已存 10 万条时列表 p99（最差）', `≤ ${fmt(t.listP99MillisAt100k, 0)} ms`, r.storedEvaluations?.listWorstP99Millis, (x) => `${fmt(x)} ms`, (x) => x <= t.listP99MillisAt100k);
  add('已存 10 万条 ÷ 空库（保存）', `≥ ${fmt(t.storedOverEmpty)}`, r.http?.storedOverEmpty, (x) => fmt(x, 3), (x) => x >= t.storedOverEmpty);
  return ['**与目标的距离**：', '', mdTable(['目标', '要求', '本次', ''], ['---', '---', '---:', '---'], rows)].join('\n');
}

/** README's generated block, markers included. */
export function renderReadmeBlock(r: R): string {
  const parts = [header(r), targetsBlock(r), inProcessBlock(r), scaleBlock(r), httpBlock(r), batchBlock(r), storedBlock(r), pagesAndHostileBlock(r), workerdBlock(r), workbookBlock(r), postgresBlock(r)];
  return [BEGIN, '<!-- 由 scripts/bench-report.ts 从 bench/results.json 生成（npm run bench:report）；不要手改 -->', '', ...parts.filter((p): p is string => p !== null).flatMap((p) => [p, '']), END].join('\n');
}

/** The README's current block (markers included), or null when the markers are missing. */
export function readmeBlock(readme: string): string | null {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) return null;
  return readme.slice(begin, end + END.length);
}

export function replaceReadmeBlock(readme: string, block: string): string {
  const current = readmeBlock(readme);
  if (current === null) throw new Error(`README.md 中缺少 ${BEGIN} … ${END} 标记`);
  return readme.replace(current, () => block);
}

/** Files that differ from what `results` would generate (README.md, docs/bench/*.svg), relative to `repo`. */
export function staleFiles(repo: string, results: R): string[] {
  const stale: string[] = [];
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  if (readmeBlock(readme) !== renderReadmeBlock(results)) stale.push('README.md');
  for (const [name, svg] of Object.entries(renderCharts(results))) {
    const file = join(repo, CHART_DIR, name);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== svg) stale.push(`${CHART_DIR}/${name}`);
  }
  return stale;
}

export function readResults(repo: string): R {
  return JSON.parse(readFileSync(join(repo, 'bench/results.json'), 'utf8')) as R;
}

/** Writes the charts and README's block from bench/results.json; returns the files written. */
export function writeReport(repo: string): string[] {
  const results = readResults(repo);
  const written: string[] = [];
  mkdirSync(join(repo, CHART_DIR), { recursive: true });
  for (const [name, svg] of Object.entries(renderCharts(results))) {
    writeFileSync(join(repo, CHART_DIR, name), svg);
    written.push(`${CHART_DIR}/${name}`);
  }
  const readmePath = join(repo, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const next = replaceReadmeBlock(readme, renderReadmeBlock(results));
  if (next !== readme) writeFileSync(readmePath, next);
  written.push('README.md');
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (process.argv.includes('--check')) {
    const stale = staleFiles(repo, readResults(repo));
    if (stale.length > 0) {
      console.error(`与 bench/results.json 不一致：${stale.join('、')}（运行 npm run bench:report）`);
      process.exit(1);
    }
  } else {
    for (const file of writeReport(repo)) console.log(`已写入 ${file}`);
  }
}
