// Workers forbid code generation from strings; Node can be told to as well. Validation, checking and scoring
// must work that way (a regression — e.g. ajv compiling at run time — fails here, and in the Workers suite).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, example } from '../support.js';

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

    // refused by the generated schema validators: a wrong type and an unknown property, each named by its path
    const bad = example('national-road-maintenance-2023.json');
    bad.project.fiscalYear = '2023';
    bad.project.budgetCode = 'x';
    const file = join(mkdtempSync(join(tmpdir(), 'jxzp-nocodegen-')), 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const refused = run('--import', 'tsx', 'src/cli/main.ts', 'score', file, '--format', 'json');
    expect(refused.stderr).not.toContain('Code generation from strings disallowed');
    expect(refused.status, refused.stderr).toBe(1);
    const { error } = JSON.parse(refused.stdout);
    expect(error.code).toBe('SUBMISSION_INVALID');
    expect(error.details).toContainEqual({ path: '$.project.fiscalYear', message: '类型错误：应为整数' });
    expect(error.details.map((d: { path: string }) => d.path)).toContain('$.project.budgetCode');
    expect(error.details.every((d: { path: string }) => d.path.startsWith('$'))).toBe(true);
  });
});
