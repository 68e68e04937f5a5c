// `diff <a> <b> [--format text|json] [--rules dir]`: the change notice between two rule-set versions (files or id@version).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { renderChangeNotice } from '../engine/change-notice.js';
import { needsResolution, resolveRuleSet } from '../engine/resolve.js';
import { diffRuleSets } from '../engine/ruleset-diff.js';
import { ruleSetShapeErrors } from '../validation/index.js';
import { parentsIn, parseRuleSetFile, VERSION_REFERENCE } from './rule-files.js';
import { CliError, oneOf, parseCommandArgs, requireDirectory, requireFile } from './args.js';

const DIFF = {
  usage: `用法：npm run cli -- diff <旧版本> <新版本> [--format text|json] [--rules <目录>]
  列出两个规则集版本之间的变化（指标增删、分值、条件阈值、计分方法、档次、等级），每处变化一行，写明变化前 → 变化后。
  <旧版本>、<新版本>   规则集文件路径，或 <规则集编号>@<版本号>（如 cn-mof-2020@1.0.0，从 --rules 目录读取）
  --format text|json   输出变更通知文字（默认）或 JSON（含结构化的变化列表）
  --rules <目录>        按编号@版本号查找规则集的目录（默认 rules/）；在其他规则集上改写（extends）或使用共用规则组的文件先展开再比较，所依据的版本也从这里读取
两个版本都须符合规则集格式；不符合时退出码为 1，文件不存在时为 2。`,
  options: { format: { type: 'string' }, rules: { type: 'string' } },
  positionals: { names: ['<旧版本>', '<新版本>'], required: 2 },
} as const;


/** The file an argument names: itself when it exists, else rules/<id>/<version>.json for an id@version. */
function ruleSetFile(argument: string, rulesDir: string): string {
  if (existsSync(argument)) {
    requireFile(argument, '规则集文件');
    return argument;
  }
  const m = VERSION_REFERENCE.exec(argument);
  if (!m) throw new CliError(`规则集文件 ${argument} 不存在（也可写作 <规则集编号>@<版本号>，如 cn-mof-2020@1.0.0）`);
  requireDirectory(rulesDir, '规则集目录');
  const file = join(rulesDir, m[1]!, `${m[2]!}.json`);
  if (!existsSync(file)) throw new CliError(`规则集目录 ${rulesDir} 中没有规则集 ${m[1]} 的版本 ${m[2]}（${file} 不存在）`);
  return file;
}


/**
 * A rule set as it is scored with: a file written on top of another (extends) or with shared rule groups is resolved
 * first, its parents read from the rules directory. Then it must pass the schema. Otherwise the one line saying why.
 */
async function readRuleSet(file: string, rulesDir: string): Promise<{ document: RuleSetDocument } | { refusal: string }> {
  let document = parseRuleSetFile(file);
  if (needsResolution(document)) {
    const resolution = await resolveRuleSet(document, parentsIn(rulesDir));
    const first = resolution.diagnostics.find((d) => d.severity === 'error');
    if (resolution.document === null || first) {
      return { refusal: `规则集文件 ${file} 无法展开：${first ? `${first.location}：${first.message}` : '原因不明'}` };
    }
    document = resolution.document;
  }
  const problems = ruleSetShapeErrors(document);
  if (problems.length === 0) return { document: document as RuleSetDocument };
  const first = problems[0]!;
  const more = problems.length > 1 ? `（另有 ${problems.length - 1} 处问题）` : '';
  return { refusal: `规则集文件 ${file} 不符合规则集格式：${first.path}：${first.message}${more}` };
}


export async function diffCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, DIFF);
  const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
  const rulesDir = values.rules ?? 'rules';
  const files = [ruleSetFile(positionals[0]!, rulesDir), ruleSetFile(positionals[1]!, rulesDir)];
  const read = await Promise.all(files.map((f) => readRuleSet(f, rulesDir)));
  const refused = read.find((r) => 'refusal' in r);
  if (refused && 'refusal' in refused) {
    console.error(refused.refusal);
    return 1;
  }
  const [before, after] = read.map((r) => (r as { document: RuleSetDocument }).document) as [RuleSetDocument, RuleSetDocument];
  const changes = diffRuleSets(before, after);
  const notice = renderChangeNotice(before, after, changes);
  if (format === 'json') {
    const body = {
      from: { id: before.id, version: before.version },
      to: { id: after.id, version: after.version },
      header: notice.header,
      changes,
      notice: notice.lines,
    };
    console.log(JSON.stringify(body, null, 2));
  } else {
    console.log(notice.header);
    notice.lines.forEach((line) => console.log(line));
  }
  return 0;
}
