// The Word 自评报告 draft, read back by LibreOffice (plain text) and by unzipping its XML: the seed's seven headings
// verbatim, each first-level indicator's points, problems and what it would take; fonts, A4 and page numbers.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { REPORT_HEADINGS, renderReportDraft } from '../../src/report/word.js';
import { available, LIBREOFFICE } from '../system-parts.js';
import { FIXED_DATE, trialView } from './fixtures.js';
import { textOf } from './libreoffice.js';

const SEED_HEADINGS = ['一、基本情况', '二、绩效自评工作组织情况', '三、绩效自评结论', '四、绩效指标分析', '五、主要绩效', '六、存在问题', '七、下一步工作计划'];

describe('Word draft: the file itself', () => {
  it('headings in 黑体, body in 仿宋_GB2312, A4 portrait, a page number field in the footer', async () => {
    const parts = unzipSync(await renderReportDraft(await trialView('meizhou-2022.json'), { now: FIXED_DATE }));
    const styles = strFromU8(parts['word/styles.xml']!);
    expect(styles).toMatch(/<w:docDefaults>[\s\S]*<w:rFonts w:ascii="仿宋_GB2312" w:cs="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312"\/>/);
    for (const id of ['Heading1', 'Heading2']) {
      expect(styles).toMatch(new RegExp(`<w:style w:type="paragraph" w:styleId="${id}">[\\s\\S]*?<w:rFonts w:ascii="黑体" w:cs="黑体" w:eastAsia="黑体" w:hAnsi="黑体"/>`));
    }
    const document = strFromU8(parts['word/document.xml']!);
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    const footer = Object.keys(parts).find((p) => /^word\/footer\d*\.xml$/.test(p))!;
    expect(strFromU8(parts[footer]!)).toContain('PAGE');
  });
});

describe.skipIf(!available(LIBREOFFICE))('Word draft read by LibreOffice (text)', () => {
  it('meizhou: the seed’s seven headings verbatim, in order; 100 分 优秀; each first-level indicator’s points; 存在问题 无', async () => {
    const text = await textOf(await renderReportDraft(await trialView('meizhou-2022.json'), { now: FIXED_DATE }), 'meizhou.docx');
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(REPORT_HEADINGS).toEqual(SEED_HEADINGS);
    const at = SEED_HEADINGS.map((h) => lines.indexOf(h));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(lines).toEqual(expect.arrayContaining(['（一）项目基本情况', '（二）项目决策情况', '（三）绩效目标', '（一）决策分析', '（二）管理分析', '（三）产出分析', '（四）效益实现度分析']));
    expect(text).toContain('2022年网络系统运行服务费项目由梅州市住房公积金管理中心实施，全年预算 44.99 万元。');
    expect(text).toContain('本项目复算总分 100 分（满分 100 分），绩效等级为「优秀」。单位自评 100 分（优秀）；各项自评分与复算分一致。');
    for (const [name, points] of [['决策', 20], ['管理', 25], ['产出', 25], ['效益', 30]] as const) {
      expect(text).toContain(`「${name}」满分 ${points} 分，复算得 ${points} 分，未失分。`);
    }
    expect(lines[lines.indexOf('六、存在问题') + 1]).toBe('无。');
  }, 120_000);

  it('national road maintenance: 88.45 良好, points lost per first-level indicator, problems ranked, what it would take', async () => {
    const text = await textOf(await renderReportDraft(await trialView('national-road-maintenance-2023.json'), { now: FIXED_DATE }), 'road.docx');
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    for (const h of SEED_HEADINGS) expect(lines).toContain(h);
    expect(text).toContain('本项目复算总分 88.45 分（满分 100 分），绩效等级为「良好」。单位自评 95 分（优）；自评分与复算分不一致的指标 2 项');
    expect(text).toContain('「预算执行率」满分 10 分，复算得 8.6 分。');
    expect(text).toContain('「产出指标」满分 50 分，复算得 44.5 分。达到评分标准的：养护路段路况合格率（10/10 分）、养护任务按期完成率（10/10 分）。失分的：完成养护里程失 4 分（16/20 分）；每公里养护成本失 1.5 分（8.5/10 分）。');
    expect(text).toContain('「效益指标」满分 30 分，复算得 25.91 分。');
    expect(text).toContain('「满意度指标」满分 10 分，复算得 9.44 分。');
    const problems = lines.slice(lines.indexOf('六、存在问题') + 1, lines.indexOf('七、下一步工作计划'));
    expect(problems.map((l) => l.split('：')[0])).toEqual([
      '1.效益指标—社会效益指标—群众出行条件改善失 4.09 分',
      '2.产出指标—数量指标—完成养护里程失 4 分',
      '3.产出指标—成本指标—每公里养护成本失 1.5 分',
      '4.预算执行率失 1.4 分',
      '5.满意度指标—服务对象满意度指标—沿线群众满意度失 0.56 分',
    ]);
    expect(lines[lines.indexOf('七、下一步工作计划') + 1]).toBe('距『优秀』（≥ 90 分）还差 1.55 分：挽回「群众出行条件改善」4.09 分，总分可达 92.54 分。');
    expect(text).toContain('2.完成养护里程：实际完成值需达到 120公里（现为 96公里），可得满分 20 分，挽回 4 分。');
  }, 120_000);
});
