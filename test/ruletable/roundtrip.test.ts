// The bureau's table round trip: export a rule set to a workbook, edit one threshold and one points value with exceljs
// (as a bureau would in Excel), import it as a new version that passes `cli lint`, and `cli diff` shows just those edits.
// Structural edits are refused cell by cell.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, runCli, STACK_TRACE } from '../cli/run-cli.js';
import { ROOT } from '../support.js';

const BASE = 'gd-meizhou-2022@1.0.0';

async function load(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** The row of `sheet` whose first columns read `keys`. */
function rowOf(wb: ExcelJS.Workbook, sheet: string, ...keys: string[]): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  wb.getWorksheet(sheet)!.eachRow((row) => {
    if (keys.every((k, i) => row.getCell(i + 1).value === k)) found = row;
  });
  if (!found) throw new Error(`no row ${keys.join(' ')} in ${sheet}`);
  return found;
}

describe('bureau table round trip (cli table-export → exceljs edit → cli table-import → cli lint, cli diff)', () => {
  let dir: string;
  let exported: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jxzp-ruletable-'));
    exported = join(dir, 'table.xlsx');
    const r = await runCli(['table-export', BASE, '--out', exported]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(exported);
  });

  it('the exported table: indicator tree with points, deductions, shared thresholds, rules, grade bands', async () => {
    const wb = await load(exported);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['规则集', '指标', '扣分要求', '阈值', '规则', '等级']);
    expect(rowOf(wb, '指标', 'decision').values).toEqual([undefined, 'decision', 1, '决策', 20, undefined, '上级指标']);
    expect((rowOf(wb, '指标', 'payment').values as unknown[]).slice(1, 5)).toEqual(['payment', 3, '资金支付', 8]);
    expect((rowOf(wb, '扣分要求', 'decisionBasis', 'legalBasis').values as unknown[]).slice(3)).toEqual(['立项依据充分，符合法律法规、相关政策和发展规划', 2]);
    expect((rowOf(wb, '阈值', 'efficiency', 'completionRate').values as unknown[]).slice(3)).toEqual(['efficiency.met ≥；efficiency.short <', 1]);
    expect((rowOf(wb, '等级', 'excellent').values as unknown[]).slice(1)).toEqual(['excellent', '优', '优秀', 90]);
  });

  it('one threshold and one points value edited → a new 1.1.0 that passes lint; diff shows exactly those edits', async () => {
    const wb = await load(exported);
    rowOf(wb, '阈值', 'efficiency', 'completionRate').getCell(4).value = 0.95;
    rowOf(wb, '扣分要求', 'decisionBasis', 'legalBasis').getCell(4).value = 3;
    const edited = join(dir, 'edited.xlsx');
    await wb.xlsx.writeFile(edited);

    // a rules directory holding the base, its golden cases and the new version, as lint reads it
    const rules = join(dir, 'rules');
    mkdirSync(join(rules, 'gd-meizhou-2022'), { recursive: true });
    cpSync(join(ROOT, 'rules/gd-meizhou-2022/1.0.0.json'), join(rules, 'gd-meizhou-2022/1.0.0.json'));
    cpSync(join(ROOT, 'rules/gd-meizhou-2022/cases'), join(rules, 'gd-meizhou-2022/cases'), { recursive: true });
    const imported = await runCli(['table-import', edited, '--base', BASE, '--rules', rules]);
    expect(imported.code, imported.stderr).toBe(0);
    const out = join(rules, 'gd-meizhou-2022/1.1.0.json');
    expect(imported.stdout.split('\n').filter(Boolean)).toEqual([`已写出 ${out}（gd-meizhou-2022 1.1.0，未发布），读回的修改 2 处：`, '  扣分要求!D2：2 → 3', '  阈值!D12：1 → 0.95']);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.version).toBe('1.1.0');

    const lint = await runCli(['lint', rules]);
    expect(lint.code, lint.stdout).toBe(0);
    expect(lint.stdout).toContain('全部 2 个规则集文件检查通过');

    const diff = await runCli(['diff', BASE, out]);
    expect(diff.code, diff.stderr).toBe(0);
    // the threshold is one cell in the table and one line in the notice: the band boundary both its rules share
    expect(lines(diff.stdout)).toEqual([
      '评分规则变更通知：项目绩效自评信息指标评分表（广东梅州，2022 年度）。旧版本 gd-meizhou-2022 1.0.0，新版本 1.1.0，共 2 处变化。',
      '论证决策（决策／项目立项／论证决策）：要求「立项依据充分，符合法律法规、相关政策和发展规划」未满足时扣分 2 → 3 分',
      '效率性（产出／效率性）：分档界限 产出完成率 100% → 95%（规则 efficiency.met、efficiency.short）',
    ]);
  }, 120_000);

  it('structural edits (an id, a scoring method, an added row) and a broken tree sum are refused by cell; nothing is written', async () => {
    const wb = await load(exported);
    rowOf(wb, '指标', 'payment').getCell(1).value = 'paid';
    rowOf(wb, '规则', 'payment.met').getCell(3).value = '{"method":"zero"}';
    const grades = wb.getWorksheet('等级')!;
    grades.addRow(['excellent-plus', '特优', '特优', 95]);
    const structural = join(dir, 'structural.xlsx');
    await wb.xlsx.writeFile(structural);
    const out = join(dir, 'never.json');
    const r = await runCli(['table-import', structural, '--base', BASE, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(lines(r.stderr)).toEqual([
      '工作簿中有不能读回的修改',
      expect.stringMatching(/^ {2}指标!A\d+：「编号」是结构（应为「payment」，读到「paid」），请在 JSON 中修改$/),
      expect.stringMatching(/^ {2}规则!C\d+：「计分方法」是结构（应为「\{"method":"full"\}」，读到「\{"method":"zero"\}」），请在 JSON 中修改$/),
      '  等级!A6：新增的行属于结构变化（增加指标、规则或等级），请在 JSON 中修改',
    ]);
    expect(existsSync(out)).toBe(false);

    const sums = await load(exported);
    rowOf(sums, '指标', 'payment').getCell(4).value = 9;
    const unbalanced = join(dir, 'unbalanced.xlsx');
    await sums.xlsx.writeFile(unbalanced);
    const s = await runCli(['table-import', unbalanced, '--base', BASE, '--out', out]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^修改后的规则集未通过检查\n {2}指标!D\d+（\$\.indicators\[1\]/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
