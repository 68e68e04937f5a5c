// `lint [dir]`: run every checker pass over every rule-set file; non-zero exit on any error.
import { checkRulesDir, formatDiagnostic } from '../platform/rules-dir.js';
import { parseCommandArgs, requireDirectory } from './args.js';

const LINT = {
  usage: `用法：npm run cli -- lint [目录]
  用所有检查项检查目录（默认 rules/）下的每个规则集文件；有错误时退出码为 1。`,
  options: {},
  positionals: { names: ['[目录]'], required: 0 },
} as const;

export async function lintCommand(args: string[]): Promise<number> {
  const dir = parseCommandArgs(args, LINT).positionals[0] ?? 'rules';
  requireDirectory(dir, '规则集目录');
  const report = await checkRulesDir(dir);
  let errors = 0;
  for (const f of report.files) {
    const fileErrors = f.report.diagnostics.filter((d) => d.severity === 'error').length;
    errors += fileErrors;
    console.log(`${fileErrors === 0 ? '✓' : '✗'} ${f.file}（${f.id} ${f.version}）${fileErrors === 0 ? '通过' : `${fileErrors} 个错误`}`);
    f.report.diagnostics.forEach((d) => console.log(formatDiagnostic(d)));
  }
  for (const d of report.problems) {
    if (d.severity === 'error') errors++;
    console.log(formatDiagnostic(d));
  }
  if (report.files.length === 0) {
    console.log(`✗ ${dir} 下没有规则集文件`);
    return 1;
  }
  console.log(errors === 0 ? `全部 ${report.files.length} 个规则集文件检查通过` : `共 ${errors} 个错误`);
  return errors === 0 ? 0 : 1;
}
