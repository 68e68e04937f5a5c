// Small things every command shares: argument parsing, and turning domain errors into a message and exit code 2.
import { DomainError } from '../domain/errors.js';

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

export function parseArgs(args: readonly string[], optionNames: readonly string[]): { positional: string[]; options: Record<string, string> } {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith('--') ? a.slice(2) : null;
    if (name !== null && optionNames.includes(name.split('=')[0]!)) {
      if (name.includes('=')) options[name.split('=')[0]!] = name.slice(name.indexOf('=') + 1);
      else options[name] = args[++i] ?? '';
    } else if (name !== null) {
      throw new Error(`未知选项 ${a}`);
    } else positional.push(a);
  }
  return { positional, options };
}
