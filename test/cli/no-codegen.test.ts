// Workers forbid code generation from strings; Node can be told to as well. Validation, checking and scoring
// must work that way (a regression — e.g. ajv compiling at run time — fails here, and in the Workers suite).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support.js';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--disallow-code-generation-from-strings', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('no code generation from strings', () => {
  it('the flag is in force (new Function throws)', () => {
    const r = run('-e', "new Function('return 1')");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Code generation from strings disallowed');
  });

  it('checks every rule set and golden case', () => {
    const r = run('--import', 'tsx', 'src/cli/main.ts', 'test');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('validates and scores a submission, and rejects a bad one with paths', () => {
    const ok = run('--import', 'tsx', 'src/cli/main.ts', 'score', 'examples/national-road-maintenance-2023.json', '--format', 'json');
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).total).toBe(88.45);
  });
});
