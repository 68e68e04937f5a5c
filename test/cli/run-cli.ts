// Runs the CLI as an operator would (node + tsx loader, from the repository root) and collects what it printed.
import { spawn } from 'node:child_process';
import { ROOT } from '../support.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Asynchronous, so a test file can run several at once (each spawn pays for loading tsx). */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What a person sees of a failure: exactly one line, and nothing that looks like a stack trace. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

export const STACK_TRACE = /^\s+at |node:internal|\.ts:\d+|^\s*\^\s*$/m;
