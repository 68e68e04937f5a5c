// `template <id>@<version> [--out file] [--from <submission.json | evaluation id>]`: writes the 自评表 workbook template
// of a rule-set version, blank or prefilled (e.g. from last year's submission or stored evaluation).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Submission } from '../domain/submission.js';
import { loadRegistry } from '../platform/rules-dir.js';
import { LOCAL_OPERATOR } from '../services/policy.js';
import { buildTemplate } from '../workbook/index.js';
import { ruleSetTemplate } from '../workbook/use-cases.js';
import { CliError, exitOnDomainError, parseCommandArgs } from './args.js';
import { openCliDeps } from './database.js';

const TEMPLATE = {
  usage: `用法：npm run cli -- template <规则集编号>@<版本号> [--out <文件.xlsx>] [--from <提交文件.json | 评价编号>]
  写出该规则集版本的自评表模板（Excel 工作簿）：只有浅黄色的填报单元格可编辑，另有填写说明和标明版本的隐藏工作表。
  --out    输出文件（默认 <编号>-<版本号>-自评表.xlsx）
  --from   用一份提交 JSON 或 DATABASE_PATH 数据库中已保存的评价预填（如上一年度的数据）
规则集取自 RULES_DIR（默认 rules/），其中没有的版本再到 DATABASE_PATH 数据库的已发布版本中找。`,
  options: { out: { type: 'string' }, from: { type: 'string' } },
  positionals: { names: ['<规则集编号>@<版本号>'], required: 1 },
} as const;

export async function templateCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, TEMPLATE);
  const m = /^([a-z0-9][a-z0-9-]{1,62})@(\d{1,6}\.\d{1,6}\.\d{1,6})$/.exec(positionals[0]!);
  if (!m) throw new CliError(`规则集应写成 <编号>@<版本号>，如 gd-meizhou-2022@1.0.0，不能是「${positionals[0]}」`);
  const [, id, version] = m as unknown as [string, string, string];
  const out = values.out ?? `${id}-${version}-自评表.xlsx`;
  const from = values.from;
  let prefill: Submission | undefined;
  const fromFile = from !== undefined && existsSync(from);
  if (fromFile) {
    try {
      prefill = JSON.parse(readFileSync(from, 'utf8')) as Submission;
    } catch (e) {
      throw new CliError(`无法读取预填文件 ${from}：${(e as Error).message.split('\n')[0]}`);
    }
  }
  return exitOnDomainError(async () => {
    const { registry } = await loadRegistry(process.env.RULES_DIR ?? 'rules');
    const bundled = registry.get(id, version);
    let bytes: Uint8Array;
    let notCarried: readonly string[];
    if (bundled && (from === undefined || fromFile)) {
      ({ bytes, notCarried } = await buildTemplate(bundled.document, bundled.sha256, prefill));
    } else {
      // an evaluation id, or a version published to the database
      if (from !== undefined && !fromFile && !/^ev_[0-9a-f]{6,64}$/.test(from)) throw new CliError(`--from 既不是存在的文件，也不是评价编号：「${from}」`);
      const { deps, close } = await openCliDeps({ mustExist: true });
      try {
        ({ bytes, notCarried } = await ruleSetTemplate(deps, LOCAL_OPERATOR, id, version, fromFile ? prefill : from));
      } finally {
        await close();
      }
    }
    writeFileSync(out, bytes);
    console.log(`已写出 ${out}（${id} ${version}${from !== undefined ? `，预填自 ${from}` : ''}）`);
    for (const n of notCarried) console.error(`  未填入：${n}`);
    return 0;
  });
}
