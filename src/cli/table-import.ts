// `table-import <file.xlsx> --base <ruleset>@<version> [--out file] [--version v]`: reads a bureau's edits (points,
// thresholds, criteria text, labels, grade bands) back into a new, unpublished version file; problems listed by cell.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { CliError, parseCommandArgs, requireFile, requireOption } from './args.js';
import { readVersion, writeWhole } from './table-export.js';

const TABLE_IMPORT = {
  usage: `用法：npm run cli -- table-import <评分表.xlsx> --base <规则集编号>@<版本号> [--out <文件>] [--version <新版本号>] [--rules <目录>]
  读回财政局在评分表工作簿中的修改（分值、扣分、阈值、评分标准与说明文字、名称、等级名称与下限），写成一个新的、未发布的版本文件；
  其他改动（指标增删、层级、计分方法、条件写法）属于结构变化，逐个单元格列出并拒绝，请在 JSON 中修改。
  --base      工作簿所依据的版本（即 table-export 导出的版本）
  --version   新版本号（默认把次版本号加一，如 1.0.0 → 1.1.0）
  --out       写入的文件（默认 <规则集目录>/<编号>/<新版本号>.json；已存在时不覆盖）
  --rules     规则集目录（默认 rules/）
写出的文件通过全部检查（测试用例除外：发布前请为新版本补充用例，见 cli lint、cli publish）；用 cli diff 查看变化。`,
  options: { base: { type: 'string' }, out: { type: 'string' }, version: { type: 'string' }, rules: { type: 'string' } },
  positionals: { names: ['<评分表.xlsx>'], required: 1 },
} as const;

export async function tableImportCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, TABLE_IMPORT);
  const workbookFile = positionals[0]!;
  requireFile(workbookFile, '工作簿');
  const rulesDir = values.rules ?? 'rules';
  const { document: base } = await readVersion(requireOption('base', values.base), rulesDir);
  const [major, minor] = base.version.split('.').map(Number) as [number, number];
  const version = values.version ?? `${major}.${minor + 1}.0`;
  if (!/^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(version)) throw new CliError(`--version 应为 主.次.修订 形式的版本号，不能是「${version}」`);
  const out = values.out ?? join(rulesDir, base.id, `${version}.json`);
  if (existsSync(out)) throw new CliError(`${out} 已存在，不覆盖（用 --out 或 --version 另选）`);
  const { importRuleTable } = await import('../ruletable/import.js'); // exceljs: loaded only by this command
  let imported;
  try {
    imported = await importRuleTable(new Uint8Array(readFileSync(workbookFile)), base, version);
  } catch (e) {
    // the command ran and found problems in the workbook: exit 1, each one with its cell
    if (!(e instanceof DomainError)) throw e;
    console.error(e.message);
    for (const d of e.details) console.error(`  ${d.path}：${d.message}`);
    return 1;
  }
  {
    mkdirSync(dirname(out), { recursive: true });
    writeWhole(out, `${JSON.stringify(imported.document, null, 2)}\n`);
    console.log(`已写出 ${out}（${base.id} ${version}，未发布），读回的修改 ${imported.edits.length} 处：`);
    imported.edits.forEach((e) => console.log(`  ${e}`));
    return 0;
  }
}
