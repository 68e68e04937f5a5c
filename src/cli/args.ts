// What every command shares: argument parsing (node:util parseArgs), usage and operator errors, exit codes.
//
// Exit codes: 0 done; 1 the command ran and found problems (lint errors, failing cases, an invalid submission,
// an unexpected failure); 2 the command line is wrong (unknown option, missing argument or value, a file or
// directory that does not exist, a value out of range). Errors are one line on stderr, never a stack trace
// (set JXZP_DEBUG=1 to see the stack of an unexpected error).
import { existsSync, statSync } from 'node:fs';
import { parseArgs as parseNodeArgs } from 'node:util';
import { DomainError } from '../domain/errors.js';
import { DEFAULT_DATABASE_PATH } from '../platform/sqlite.js';

/** The operator got the command line wrong: one line on stderr, exit 2 (or `exitCode`). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `--help` / `-h`: print the usage on stdout and exit 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super('help');
    this.name = 'HelpRequested';
  }
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface CommandSpec<O extends OptionSpec> {
  /** Chinese usage text, first line `用法：…` */
  readonly usage: string;
  readonly options: O;
  /** names of the positional arguments in order, e.g. ['<提交文件.json>']; `required` of them must be given */
  readonly positionals?: { readonly names: readonly string[]; readonly required: number };
}

export type OptionValues<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/** Parses a command's arguments strictly; throws HelpRequested or a one-line CliError. */
export function parseCommandArgs<O extends OptionSpec>(
  args: readonly string[],
  spec: CommandSpec<O>,
): { values: OptionValues<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseNodeArgs({
      args: [...args],
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (e) {
    throw new CliError(parseErrorMessage(e));
  }
  if (parsed.values.help === true) throw new HelpRequested(spec.usage);
  const names = spec.positionals?.names ?? [];
  const required = spec.positionals?.required ?? 0;
  if (parsed.positionals.length > names.length) {
    throw new CliError(`多余的参数「${parsed.positionals[names.length]}」`);
  }
  if (parsed.positionals.length < required) throw new CliError(`缺少参数 ${names[parsed.positionals.length]}`);
  const values = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(parsed.values)) if (k !== 'help') values[k] = v;
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}

/** node:util's ERR_PARSE_ARGS_* errors in Chinese, one line. */
function parseErrorMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `未知选项 ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(message) ? `选项 ${option} 不带取值` : `选项 ${option} 缺少取值`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return '多余的参数';
    default:
      throw e;
  }
}

/** A string option that must be one of `allowed`. */
export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`选项 --${name} 只能是 ${allowed.join('、')}，不能是「${value}」`);
  return value as T;
}

export function requireOption(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new CliError(`缺少选项 --${name}`);
  return value;
}

export function requireFile(path: string, what: string): void {
  if (!existsSync(path)) throw new CliError(`${what} ${path} 不存在`);
  if (!statSync(path).isFile()) throw new CliError(`${what} ${path} 不是文件`);
}

export function requireDirectory(path: string, what: string): void {
  if (!existsSync(path)) throw new CliError(`${what} ${path} 不存在`);
  if (!statSync(path).isDirectory()) throw new CliError(`${what} ${path} 不是目录`);
}

/** The database the operator commands work on: DATABASE_PATH, or the service's default. */
export function databasePath(): string {
  return process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
}

/** Commands that read or change stored data must not create an empty database by mistake. */
export function requireExistingDatabase(path: string): void {
  if (path === ':memory:') return;
  if (!existsSync(path)) throw new CliError(`数据库文件 ${path} 不存在（用环境变量 DATABASE_PATH 指定）`);
  if (!statSync(path).isFile()) throw new CliError(`数据库 ${path} 不是文件`);
}

/** Runs a command body; a DomainError (bad input from the operator) prints its message and exits 2. */
export async function exitOnDomainError(run: () => Promise<number> | number): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    console.error(e.message);
    for (const d of e.details) console.error(`  ${d.path}：${d.message}`);
    return 2;
  }
}
