// Every submission that scores → prefilled template → read back: the same submission and the same result, byte for
// byte; the template read with exceljs shows the form as written, and the bounded reader reads what exceljs writes.
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical.js';
import { scoreWithRuleSet } from '../../src/engine/score.js';
import { buildTemplate, readWorkbook } from '../../src/workbook/index.js';
import { XlsxReader } from '../../src/workbook/xlsx-read.js';
import { compiledFor, expectedReadBack, inputAddress, replaceCell, scoringSubmissions, templateOf } from './files.js';
import { example } from '../support.js';

describe('workbook round trip', () => {
  const all = scoringSubmissions();
  it('covers the examples and the golden cases that score', () => {
    expect(all.length).toBeGreaterThanOrEqual(42); // 3 examples and 39 golden cases when written
    expect(all.filter((s) => s.submission.indicators).length).toBeGreaterThanOrEqual(20);
  });
  it.each(all.map((s) => [s.name, s] as const))('%s: template → read back → same submission, same result', async (_name, { submission }) => {
    const { bytes, compiled } = await templateOf(submission);
    const read = readWorkbook(bytes, compiled);
    const expected = expectedReadBack(submission, compiled.document.version);
    expect(canonicalJson(read.submission)).toBe(canonicalJson(expected));
    expect(read.warnings).toEqual([]);
    expect(canonicalJson(scoreWithRuleSet(compiled, read.submission))).toBe(canonicalJson(scoreWithRuleSet(compiled, submission)));
  });
  it('the meizhou example reads back as 100 / 优', async () => {
    const { bytes, compiled } = await templateOf(example('meizhou-2022.json'));
    const result = scoreWithRuleSet(compiled, readWorkbook(bytes, compiled).submission);
    expect(result.total).toBe(100);
    expect(result.grade).toMatchObject({ code: 'excellent', name: '优' });
  });
  it('the same input gives the same bytes', async () => {
    const s = example('national-training-2023.json');
    expect(Buffer.from((await templateOf(s)).bytes).equals(Buffer.from((await templateOf(s)).bytes))).toBe(true);
  });
});

describe('the template as another reader (exceljs) sees it', () => {
  it('meizhou: the form, merged names, inputs unlocked, checks on inputs, the hidden sheet', async () => {
    const s = example('meizhou-2022.json');
    const { bytes, compiled } = await templateOf(s);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as any);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['自评表', 'visible'],
      ['填写说明', 'visible'],
      ['规则集', 'hidden'],
    ]);
    const sheet = wb.getWorksheet('自评表')!;
    const budget = inputAddress(compiled, ['facts', 'fundsArrival', 'budget']);
    expect(sheet.getCell(budget).value).toBe(44.99);
    expect(sheet.getCell(budget).protection?.locked).toBe(false);
    expect(sheet.getCell(budget).dataValidation).toMatchObject({ type: 'decimal', operator: 'between', formulae: [0, 1000000000000] });
    const row = Number(budget.slice(1));
    expect(sheet.getCell(`E${row}`).value).toBe('全年预算数（> 0）');
    expect(sheet.getCell(`G${row}`).value).toBe('万元');
    const legal = inputAddress(compiled, ['facts', 'decisionBasis', 'requirements', 'legalBasis']);
    expect(sheet.getCell(legal).value).toBe('是');
    expect(sheet.getCell(legal).dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(sheet.getCell('A13').value).toBe('决策（20 分）');
    expect(sheet.getCell('A14').isMerged).toBe(true);
    expect(sheet.getCell('A14').master.address).toBe('A13');
    // a covered cell keeps the table's borders; inputs are the pale yellow ones; the form is in 宋体
    expect(sheet.getCell('A14').border?.left?.style).toBe('thin');
    expect(sheet.getCell(budget).fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } });
    expect(sheet.getCell('C13').font).toMatchObject({ name: '宋体', size: 11 });
    expect(sheet.getCell('A1').font).toMatchObject({ name: '宋体', size: 14, bold: true });
    expect(sheet.getCell('C13').value).toBe('论证决策');
    expect(sheet.getCell('D13').value).toBe(5);
    expect(sheet.getCell('E13').protection?.locked ?? true).toBe(true);
    expect((sheet as any).sheetProtection?.sheet).toBe(true);
    const meta = wb.getWorksheet('规则集')!;
    expect([meta.getCell('B1').value, meta.getCell('B2').value, meta.getCell('B3').value]).toEqual(['gd-meizhou-2022', '1.0.0', compiled.sha256]);
    expect(String(wb.getWorksheet('填写说明')!.getCell('A1').value)).toContain('自评表填写说明');
  });
  it('national: rows per slot for the unit\'s indicators, with lists of directions and tiers', async () => {
    const s = example('national-training-2023.json');
    const compiled = compiledFor(s);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from((await buildTemplate(compiled.document, compiled.sha256)).bytes) as any);
    const sheet = wb.getWorksheet('自评表')!;
    const heading = [...Array(sheet.rowCount).keys()].map((i) => i + 1).find((r) => sheet.getCell(`C${r}`).value === '三级指标名称')!;
    expect(sheet.getCell(`A${heading + 1}`).value).toBe('产出指标（50 分）');
    expect(sheet.getCell(`B${heading + 1}`).value).toBe('数量指标');
    expect(sheet.getCell(`B${heading + 9}`).value).toBe('质量指标');
    expect(sheet.getCell(`E${heading + 1}`).dataValidation).toMatchObject({ type: 'list', formulae: ['"正向（≥）,反向（≤）,等于（=）,定性"'] });
    expect(sheet.getCell(`I${heading + 1}`).dataValidation).toMatchObject({ type: 'list', formulae: ['"达成年度指标,部分达成并具有一定效果,未达成且效果较差"'] });
    expect(sheet.getCell(`C${heading + 1}`).value).toBeNull();
    expect(sheet.getCell(`C${heading + 1}`).protection?.locked).toBe(false);
  });
});

describe('the bounded reader on what exceljs writes', () => {
  it('shared strings and numbers as written; formula text, boolean and inline cells as an office suite may save them', async () => {
    const { bytes, compiled } = await templateOf(example('meizhou-2022.json'));
    // exceljs writes text as shared strings, not inline
    expect(strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!)).toMatch(/<c r="C13" s="\d+" t="s"><v>\d+<\/v><\/c>/);
    const budget = inputAddress(compiled, ['facts', 'fundsArrival', 'budget']);
    const spent = inputAddress(compiled, ['facts', 'payment', 'spent']);
    const legal = inputAddress(compiled, ['facts', 'decisionBasis', 'requirements', 'legalBasis']);
    let edited = replaceCell(bytes, budget, `<c r="${budget}" t="str"><f>"四十"&amp;"四"</f><v>四十四</v></c>`);
    edited = replaceCell(edited, spent, `<c r="${spent}" t="b"><v>1</v></c>`);
    edited = replaceCell(edited, legal, `<c r="${legal}" t="inlineStr"><is><t>否</t></is></c>`);
    const cells = new XlsxReader(edited).cells('自评表', 200);
    expect(cells.get('C13')).toEqual({ value: '论证决策', formula: false, noCachedValue: false });
    expect(cells.get('D13')).toEqual({ value: 5, formula: false, noCachedValue: false });
    expect(cells.get(budget)).toEqual({ value: '四十四', formula: true, noCachedValue: false });
    expect(cells.get(spent)).toEqual({ value: true, formula: false, noCachedValue: false });
    expect(cells.get(legal)).toEqual({ value: '否', formula: false, noCachedValue: false });
  });
  it('finds the shared strings where the workbook relationships put them', async () => {
    const { bytes } = await templateOf(example('meizhou-2022.json'));
    const files = unzipSync(bytes);
    files['xl/strings.xml'] = files['xl/sharedStrings.xml']!;
    delete files['xl/sharedStrings.xml'];
    const rels = strFromU8(files['xl/_rels/workbook.xml.rels']!);
    expect(rels).toContain('Target="sharedStrings.xml"');
    files['xl/_rels/workbook.xml.rels'] = strToU8(rels.replace('Target="sharedStrings.xml"', 'Target="strings.xml"'));
    const reader = new XlsxReader(zipSync(files));
    expect(reader.sheets).toEqual([
      { name: '自评表', hidden: false },
      { name: '填写说明', hidden: false },
      { name: '规则集', hidden: true },
    ]);
    expect(reader.cells('自评表', 200).get('C13')?.value).toBe('论证决策');
    expect(reader.cells('规则集', 200).get('B1')?.value).toBe('gd-meizhou-2022');
  });
  it('the sheet protection and zip entries of the template', async () => {
    const { bytes } = await templateOf(example('meizhou-2022.json'));
    const files = unzipSync(bytes);
    // the parts only (no folder entries), well under the reader's 100 entries
    expect(Object.keys(files).filter((n) => n.endsWith('/'))).toEqual([]);
    expect(Object.keys(files).length).toBeLessThan(20);
    for (const n of [1, 2, 3]) {
      expect(strFromU8(files[`xl/worksheets/sheet${n}.xml`]!)).toContain('<sheetProtection sheet="1" formatColumns="0" formatRows="0" objects="1" scenarios="1"/>');
    }
  });
});
