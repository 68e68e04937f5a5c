// `lint [dir]`: run every checker pass over every rule-set file; non-zero exit on any error.
import { checkRulesDir, formatDiagnostic } from '../platform/rules-dir.js';
import { parseArgs } from './args.js';

export async function lintCommand(args: string[]): Promise<number> {
  const dir = parseArgs(args, []).positional[0] ?? 'rules';
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
