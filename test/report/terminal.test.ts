// The `cli show` table wraps to the terminal width (80 and 120 columns, CJK two columns each) and the CSV form.
import { describe, expect, it } from 'vitest';
import { displayWidth, renderCsv, renderTerminalTable, wrapText } from '../../src/report/terminal.js';
import { trialView } from './fixtures.js';

describe('terminal table', () => {
  it.each([80, 120])('national road maintenance at %i columns: no line wider, figures and the ≠ marks in place', async (width) => {
    const table = renderTerminalTable(await trialView('national-road-maintenance-2023.json'), width);
    const lines = table.split('\n');
    expect(Math.max(...lines.map(displayWidth))).toBeLessThanOrEqual(width);
    expect(lines[2]).toBe('复算总分 88.45 / 100，等级 良好；自评 95（优）；自评与复算不一致 2 项（≠）');
    expect(lines.filter((l) => l.startsWith('≠ ')).map((l) => l.split(/\s{2,}/).slice(0, 5).join('|'))).toEqual(['≠|完成养护里程|20|20|16', '≠|每公里养护成本|10|10|8.5']);
    expect(table).toContain('距『优秀』（≥ 90 分）还差 1.55 分');
  });

  it('the explanation column is what is left of the width: wider terminals wrap the same text into fewer lines', async () => {
    const view = await trialView('national-road-maintenance-2023.json');
    expect(renderTerminalTable(view, 120).split('\n').length).toBeLessThan(renderTerminalTable(view, 80).split('\n').length);
  });

  it('wrapText breaks at display width, CJK counted twice', () => {
    expect(wrapText('完成养护里程 96公里', 8)).toEqual(['完成养护', '里程 96', '公里']);
    expect(wrapText('执行率 86.00%（430 ÷ 500 万元）', 12)).toEqual(['执行率', '86.00%（430', '÷ 500 万元）']);
  });

  it('CSV: header, one row per indicator, the total row; text that looks like a formula is quoted off', async () => {
    const csv = renderCsv(await trialView('national-road-maintenance-2023.json'));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('一级指标,二级指标,三级指标,层级,分值,自评分,复算分,复核分,差异,失分,说明,挽回所需,复核理由');
    expect(lines[1]).toMatch(/^预算执行率,,,一级指标,10,8\.6,8\.6,,0,1\.4,/);
    expect(lines).toContain('合计,,,,100,95,88.45,,,,良好,距『优秀』（≥ 90 分）还差 1.55 分：挽回「群众出行条件改善」4.09 分，总分可达 92.54 分,');
  });
});
