// `publish <file-or-dir> [--to URL]`: the bureau publishes a rule-set version with its golden cases. The file is
// resolved (extends, shared rule groups) and every check and case — the coverage gate included — is run here first;
// then it goes to the service at URL (bureau token from JXZP_TOKEN, never from the command line) or, without --to,
// into the service's own database (PostgreSQL when DATABASE_URL is postgres://…, else the SQLite file DATABASE_URL or
// DATABASE_PATH names).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import { compareVersions, type RuleSetDocument } from '../domain/ruleset.js';
import { formatDiagnostic } from '../engine/check/diagnostics.js';
import { checkRuleSet, type Diagnostic } from '../engine/check/index.js';
import { caseCoverage, caseOutcome, summarizeCaseCoverage } from '../engine/case-coverage.js';
import { caseAppliesTo, runGoldenCase } from '../engine/golden.js';
import { resolveRuleSet, type ParentLookup } from '../engine/resolve.js';
import { loadRegistry, readCases } from '../platform/rules-dir.js';
import { LOCAL_OPERATOR } from '../services/policy.js';
import { publishRuleSet } from '../services/publish.js';
import { CliError, parseCommandArgs } from './args.js';
import { openCliDeps } from './database.js';

/** The environment variable holding the bureau's token for --to (a token on the command line would end up in shell history). */
export const TOKEN_VARIABLE = 'JXZP_TOKEN';

const PUBLISH = {
  usage: `用法：npm run cli -- publish <规则集文件或目录> [--to <服务地址>]
  发布规则集版本（财政局）：先在本机展开（extends、共用规则组）并运行全部检查和测试用例（须覆盖每条计分规则和每档等级），
  通过后连同适用的测试用例一起发布。
  <规则集文件或目录>  如 rules/xx-province-2024/1.0.0.json；给目录时取其中版本号最大的文件；测试用例取同目录下的 cases/
  --to <服务地址>     发布到该服务（如 https://jxzp.example.gov.cn），令牌取自环境变量 ${TOKEN_VARIABLE}（须为财政局令牌）；
                      不给时写入本机服务的数据库：DATABASE_URL 为 postgres:// 时是 PostgreSQL，
                      否则是 SQLite 文件 DATABASE_URL 或 DATABASE_PATH（默认 data/jxzp.db）
退出码：0 已发布或已存在相同内容；1 未通过检查或服务拒绝；2 命令行有误或无法连接。`,
  options: { to: { type: 'string' } },
  positionals: { names: ['<规则集文件或目录>'], required: 1 },
} as const;

const VERSION_FILE = /^(\d+\.\d+\.\d+)\.json$/;

/** The version file an argument names, and the folder of its golden cases. */
function locate(argument: string): { file: string; ruleSetDir: string } {
  let stats;
  try {
    stats = statSync(argument);
  } catch {
    throw new CliError(`规则集文件或目录 ${argument} 不存在`);
  }
  if (stats.isFile()) return { file: argument, ruleSetDir: dirname(argument) };
  const versions = readdirSync(argument)
    .map((name) => VERSION_FILE.exec(name)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort(compareVersions);
  const newest = versions[versions.length - 1];
  if (!newest) throw new CliError(`目录 ${argument} 中没有规则集版本文件（<版本号>.json）`);
  return { file: join(argument, `${newest}.json`), ruleSetDir: argument };
}

function readDocument(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`无法读取规则集文件 ${file}：${(e as Error).message.split('\n')[0]}`);
  }
}

/** Parents of an extension from the service itself (what it will resolve against), else from the local rules/. */
function remoteParents(base: string, token: string, local: ParentLookup): ParentLookup {
  return async (id, version) => {
    const r = await fetch(`${base}/v1/rulesets/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, { headers: { authorization: `Bearer ${token}` } });
    if (r.ok) return ((await r.json()) as { ruleset: RuleSetDocument }).ruleset;
    return local(id, version);
  };
}

function printRefusal(file: string, diagnostics: readonly Diagnostic[]): void {
  console.error(`${file} 未通过检查，未发布：`);
  diagnostics.filter((d) => d.severity === 'error').forEach((d) => console.error(formatDiagnostic(d)));
}

export async function publishCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseCommandArgs(args, PUBLISH);
  const { file, ruleSetDir } = locate(positionals[0]!);
  const base = values.to?.replace(/\/+$/, '');
  if (base !== undefined && !/^https?:\/\/[^\s/]+/.test(base)) throw new CliError(`--to 应为 http:// 或 https:// 开头的服务地址，不能是「${values.to}」`);
  const token = base === undefined ? undefined : process.env[TOKEN_VARIABLE];
  if (base !== undefined && !token) throw new CliError(`发布到服务须在环境变量 ${TOKEN_VARIABLE} 中给出财政局令牌（令牌不写在命令行上）`);

  const source = readDocument(file);
  const problems: Diagnostic[] = [];
  const cases = readCases(ruleSetDir, problems);
  if (problems.length > 0) {
    printRefusal(file, problems);
    return 1;
  }

  const local = base === undefined ? await openCliDeps({ mustExist: false, log: () => {} }) : null;
  try {
    let parents: ParentLookup;
    if (local) parents = async (id, version) => (await local.deps.ruleSets.get(id, version))?.document;
    else {
      const { registry } = await loadRegistry(process.env.RULES_DIR ?? 'rules');
      parents = remoteParents(base!, token!, async (id, version) => registry.get(id, version)?.document);
    }
    const resolution = await resolveRuleSet(source, parents);
    if (resolution.document === null) {
      printRefusal(file, resolution.diagnostics);
      return 1;
    }
    const report = await checkRuleSet(resolution.document, { cases });
    const compiled = report.compiled ?? null;
    if (!compiled) {
      printRefusal(file, report.diagnostics);
      return 1;
    }
    const applicable = cases.filter((c) => caseAppliesTo(compiled, c));
    // one case at a time, as the checker runs them
    const outcomes = [];
    for (const c of applicable) outcomes.push(caseOutcome(c, await runGoldenCase(compiled, c)));
    console.log(`${file}：${compiled.document.id} ${compiled.document.version} 通过全部检查；${summarizeCaseCoverage(caseCoverage(compiled, outcomes)).join('；')}`);
    const body = { ruleset: source, cases: applicable.map(({ source: _where, ...c }) => c) };

    if (local) {
      try {
        const { created, summary } = await publishRuleSet(local.deps, LOCAL_OPERATOR, body);
        const where = local.choice.kind === 'sqlite' ? `本机数据库 ${local.where}` : `数据库 ${local.where} `;
        console.log(published(created, summary.id, summary.version, summary.sha256, where, applicable.length));
        return 0;
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        console.error(`未发布：${e.message}`);
        e.details.forEach((d) => console.error(`  ${d.path}：${d.message}`));
        return 1;
      }
    }
    return await publishTo(base!, token!, body, applicable.length);
  } finally {
    await local?.close();
  }
}

function published(created: boolean, id: string, version: string, sha256: string, where: string, caseCount: number): string {
  return created
    ? `已发布 ${id} ${version} 到${where}（sha256 ${sha256}，随附测试用例 ${caseCount} 个）`
    : `${id} ${version} 已在${where}中，内容相同（sha256 ${sha256}），未作改动`;
}

async function publishTo(base: string, token: string, body: unknown, caseCount: number): Promise<number> {
  let r: Response;
  try {
    r = await fetch(`${base}/v1/rulesets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new CliError(`无法连接服务 ${base}：${(e as Error).message}`);
  }
  const reply = (await r.json().catch(() => null)) as
    | { id?: string; version?: string; sha256?: string; error?: { code: string; message: string; details?: { path: string; message: string }[] } }
    | null;
  if (r.status === 201 || r.status === 200) {
    console.log(published(r.status === 201, reply?.id ?? '?', reply?.version ?? '?', reply?.sha256 ?? '?', `服务 ${base} `, caseCount));
    return 0;
  }
  console.error(`服务 ${base} 拒绝发布（HTTP ${r.status}${reply?.error ? ` ${reply.error.code}` : ''}）：${reply?.error?.message ?? ''}`);
  (reply?.error?.details ?? []).forEach((d) => console.error(`  ${d.path}：${d.message}`));
  return 1;
}
