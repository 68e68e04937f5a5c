// Tiny argument parsing shared by the commands: positional arguments and --name value options.
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
