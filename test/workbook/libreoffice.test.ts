// LibreOffice as the second reader and writer: the template converts to text and UTF-8 CSV with its headings and
// figures, and every scoring submission's prefilled template, saved through LibreOffice, reads back the same.
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { buildTemplate, readWorkbook } from '../../src/workbook/index.js';
import { available, LIBREOFFICE } from '../system-parts.js';
import { example } from '../support.js';
import { compiledFor, expectedReadBack, scoringSubmissions, templateOf } from './files.js';
import { convertAll, TO_CSV, TO_TEXT, TO_XLSX } from './soffice.js';

describe.skipIf(!available(LIBREOFFICE))('the 自评表 workbook through LibreOffice', () => {
  const all = scoringSubmissions();
  const key = (name: string) => name.replace(/[^A-Za-z0-9-]/g, '_');
  let saved: Map<string, Buffer>;
  let text: Map<string, Buffer>;
  let csv: Map<string, Buffer>;

  beforeAll(async () => {
    const templates = new Map(await Promise.all(all.map(async (s) => [key(s.name), (await templateOf(s.submission)).bytes] as const)));
    saved = await convertAll(templates, TO_XLSX, 'xlsx');
    const meizhou = new Map([['meizhou', (await templateOf(example('meizhou-2022.json'))).bytes]]);
    const national = compiledFor(example('national-training-2023.json'));
    meizhou.set('national-blank', (await buildTemplate(national.document, national.sha256)).bytes);
    text = await convertAll(meizhou, TO_TEXT, 'txt');
    csv = await convertAll(meizhou, TO_CSV, 'csv');
  }, 300_000);

  it('converts the prefilled meizhou template to text: headings, indicator names, points and figures', () => {
    const t = text.get('meizhou')!.toString('utf8');
    for (const s of ['项目绩效自评信息指标评分表（广东梅州，2022 年度）（gd-meizhou-2022 1.0.0）', '网络系统运行服务费', '梅州市住房公积金管理中心', '决策（20 分）', '项目立项（14 分）', '论证决策', '资金到位', '全年预算数（> 0）', '44.99', '满意度']) {
      expect(t).toContain(s);
    }
  });
  it('converts it to UTF-8 CSV with the figures in their columns', () => {
    const lines = csv.get('meizhou')!.toString('utf8').split('\n');
    expect(lines[1]).toBe('项目名称,,,,,网络系统运行服务费,,,,');
    expect(lines[11]).toBe('一级指标,二级指标,三级指标,分值,评分标准 / 数据项,填报值,单位,自评分,不适用理由,备注 / 说明');
    expect(lines).toContain(',,,,立项依据充分，符合法律法规、相关政策和发展规划（未满足扣 2 分）,是,是 / 否,,,');
    expect(lines).toContain(',,,,全年预算数（> 0）,44.99,万元,,,');
  });
  it('converts a blank national template: the unit-indicator headings and slots are there', () => {
    const lines = csv.get('national-blank')!.toString('utf8').split('\n');
    expect(lines).toContain('一级指标,二级指标,三级指标名称,分值,指标方向,年度指标值,计量单位,实际完成值,定性档次,定性所选得分,自评分,不适用理由,偏差原因,指标编号（可不填）,所属目标编号,填报顺序（可不填）');
    expect(lines.some((l) => l.startsWith('产出指标（50 分）,数量指标,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('满意度指标（10 分）,服务对象满意度指标,'))).toBe(true);
  });
  it.each(all.map((s) => [s.name, s] as const))('%s: saved by LibreOffice, reads back the same submission and result', (name, { submission }) => {
    const compiled = compiledFor(submission);
    const read = readWorkbook(new Uint8Array(saved.get(key(name))!), compiled);
    expect(canonicalJson(read.submission)).toBe(canonicalJson(expectedReadBack(submission, compiled.document.version)));
    expect(canonicalJson(scoreWithRuleSet(compiled, read.submission))).toBe(canonicalJson(scoreWithRuleSet(compiled, submission)));
  });
});
