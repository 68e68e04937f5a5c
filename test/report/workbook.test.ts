// The scored 自评表 workbook, read back by LibreOffice (UTF-8 CSV) and by unzipping its XML: exact figures, discrepancies
// highlighted, values not formulas, frozen header, A4 landscape.
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderScoredWorkbook } from '../../src/report/workbook.js';
import { available, LIBREOFFICE } from '../system-parts.js';
import { FIXED_DATE, trialView } from './fixtures.js';
import { csvOf } from './libreoffice.js';

const xml = (bytes: Uint8Array, part: string) => strFromU8(unzipSync(bytes)[part]!);

describe('scored workbook: the file itself', () => {
  let road: Uint8Array;
  beforeAll(async () => {
    road = await renderScoredWorkbook(await trialView('national-road-maintenance-2023.json'), { now: FIXED_DATE });
  });
  it('values, not formulas; A4 landscape fitted to one page wide; header frozen below row 4 and repeated on each page', () => {
    const sheet = xml(road, 'xl/worksheets/sheet1.xml');
    expect(sheet).not.toMatch(/<f[ >]/);
    expect(sheet).toMatch(/<pageSetup[^>]*paperSize="9"[^>]*orientation="landscape"[^>]*fitToWidth="1"[^>]*fitToHeight="0"/);
    expect(sheet).toMatch(/<pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"\/>/);
    expect(xml(road, 'xl/workbook.xml')).toContain("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">&apos;自评表&apos;!$4:$4</definedName>");
  });
  it('the explanation column wraps; the two discrepancies (完成养护里程 20→16, 每公里养护成本 10→8.5) are filled red, and only they', () => {
    const sheet = xml(road, 'xl/worksheets/sheet1.xml');
    const styles = xml(road, 'xl/styles.xml');
    const fills = [...styles.matchAll(/<fill>([\s\S]*?)<\/fill>/g)].map((m) => m[1]!);
    const red = fills.findIndex((f) => f.includes('FFFFD7D7'));
    expect(red).toBeGreaterThan(0);
    const xfs = [...styles.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/)![1]!.matchAll(/<xf [^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
    const redStyles = new Set(xfs.flatMap((x, i) => (x.includes(`fillId="${red}"`) ? [String(i)] : [])));
    const redCells = [...sheet.matchAll(/<c r="([A-Z]+\d+)" s="(\d+)"/g)].filter((m) => redStyles.has(m[2]!)).map((m) => m[1]);
    // rows 8 (完成养护里程) and 14 (每公里养护成本): 自评分 E, 复算分 F, 差异 H
    expect(redCells).toEqual(['E8', 'F8', 'H8', 'E14', 'F14', 'H14']);
    expect(xfs.some((x) => x.includes('wrapText="1"'))).toBe(true);
  });
});

describe.skipIf(!available(LIBREOFFICE))('scored workbook read by LibreOffice (UTF-8 CSV)', () => {
  it('national road maintenance: 88.45 / 良好 beside the self-reported 95 / 优, each row’s figures', async () => {
    const csv = await csvOf(await renderScoredWorkbook(await trialView('national-road-maintenance-2023.json'), { now: FIXED_DATE }), 'road.xlsx');
    const lines = csv.split(/\r?\n/);
    expect(lines[2]).toBe('复算总分 88.45 / 100，等级 良好；自评总分 95（优）；自评分与复算分不一致 2 项（红底标出）,,,,,,,,,,,,');
    expect(lines[3]).toBe('一级指标,二级指标,三级指标,分值,自评分,复算分,复核分,差异（复算−自评）,失分,评分说明,证据（实际值 对 阈值）,挽回所需,复核理由');
    expect(csv).toContain('产出指标,数量指标,完成养护里程,20,20,16,,-4,4,"完成养护里程：实际完成 96公里，未达到年度指标值（≥ 120公里），完成比例 80.00%，得 16 分（满分 20 分）');
    expect(csv).toContain('产出指标,成本指标,每公里养护成本,10,10,8.5,,-1.5,1.5,');
    expect(csv).toContain('效益指标,经济效益指标,带动沿线农产品运输增收,0,,不适用,');
    expect(csv).toContain('\n合计,,,100,95,88.45,,,,,,,');
    expect(csv).toContain('\n等级,,,,优,良好,,,,距『优秀』（≥ 90 分）还差 1.55 分：挽回「群众出行条件改善」4.09 分，总分可达 92.54 分,,,');
  }, 120_000);

  it('meizhou: 100 / 优秀, every first-level indicator at full points', async () => {
    const csv = await csvOf(await renderScoredWorkbook(await trialView('meizhou-2022.json'), { now: FIXED_DATE }), 'meizhou.xlsx');
    for (const line of ['决策,,,20,,20,', '管理,,,25,,25,', '产出,,,25,,25,', '效益,,,30,,30,', '决策,项目立项,论证决策,5,,5,', '合计,,,100,100,100,', '等级,,,,优秀,优秀,']) {
      expect(csv).toContain(`\n${line}`);
    }
  }, 120_000);
});
