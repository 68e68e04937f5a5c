// `table-export <ruleset>@<version> [--out file] [--rules dir]`: a rule set as the workbook a bureau reads (indicator tree,
// points, checklist deductions, thresholds, rules with method, criteria and tiers, grade bands).
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { needsResolution, resolveRuleSet } from '../engine/resolve.js';
import { ruleSetShapeErrors } from '../validation/index.js';
import { parentsIn, parseRuleSetFile, VERSION_REFERENCE } from './rule-files.js';
import { CliError, parseCommandArgs, requireDirectory } from './args.js';

const TABLE_EXPORT = {
  usage: `用法：npm run cli -- table-export <规则集编号>@<版本号> [--out <文件.xlsx>] [--rules <目录>]
  把规则集写成财政局阅读和修改的评分表工作簿：指标树与分值、扣分要求、阈值、规则（计分方法、条件、档次、情形与说明）、等级分档。
  黄色底的单元格可以修改，改后用 table-import 读回为新版本。
  --out     写入的文件（默认 <规则集编号>-<版本号>.xlsx）
  --rules   规则集目录（默认 rules/）`,
  options: { out: { type: 'string' }, rules: { type: 'string' } },
  positionals: { names: ['<规则集编号>@<版本号>'], required: 1 },
} as const;




/** <id>@<version> from the rules directory, resolved (extends, shared groups) to the document it is scored with. */
export async function readVersion(reference: string, rulesDir: string): Promise<{ document: RuleSetDocument; file: string }> {
  const m = VERSION_REFERENCE.exec(reference);
  if (!m) throw new CliError(`规则集应写作 <规则集编号>@<版本号>（如 gd-meizhou-2022@1.0.0），不能是「${reference}」`);
  requireDirectory(rulesDir, '规则集目录');
  const file = join(rulesDir, m[1]!, `${m[2]!}.json`);
  if (!existsSync(file)) throw new CliError(`规则集目录 ${rulesDir} 中没有规则集 ${m[1]} 的版本 ${m[2]}（${file} 不存在）`);
  let document = parseRuleSetFile(file);
  if (needsResolution(document)) {
    const resolution = await resolveRuleSet(document, parentsIn(rulesDir));
    const first = resolution.diagnostics.find((d) => d.severity === 'error');
    if (resolution.document === null || first) throw new CliError(`规则集文件 ${file} 无法展开：${first ? `${first.location}：${first.message}` : '原因不明'}`, 1);
    document = resolution.document;
  }
  const problems = ruleSetShapeErrors(document);
  if (problems.length > 0) throw new CliError(`规则集文件 ${file} 不符合规则集格式：${problems[0]!.path}：${problems[0]!.message}`, 1);
  return { document: document as RuleSetDocument, file };
}

/** Written whole or not at all. */
export function writeWhole(file: string, bytes: Uint8Array | string): void {
  writeFileSync(`${file}.part`, bytes);
  renameSync(`${file}.part`, file);
}

export async function tableExportCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, TABLE_EXPORT);
  const { document } = await readVersion(positionals[0]!, values.rules ?? 'rules');
  const out = values.out ?? `${document.id}-${document.version}.xlsx`;
  const { exportRuleTable } = await import('../ruletable/export.js'); // exceljs: loaded only by this command
  writeWhole(out, await exportRuleTable(document));
  console.log(out);
  return 0;
}
