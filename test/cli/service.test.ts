// The README's path end to end, as separate processes: `npm start` on a fresh database, `cli token create`,
// POST the seed example, restart, GET it back.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServiceProcess, stopAllServiceProcesses } from '../service-process.js';
import { ROOT, readJson } from '../support.js';

afterEach(stopAllServiceProcesses);

const startService = (env: Record<string, string>) => startServiceProcess(env);

async function stop(service: { child: ChildProcess; exited: Promise<number | string> }): Promise<void> {
  service.child.kill('SIGTERM');
  await service.exited;
}

describe('service as the README runs it', () => {
  it('fresh database → token → POST seed → 201 total 100 优 → restart → GET', async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-e2e-')), 'nested', 'jxzp.db');
    const env = { DATABASE_PATH: databasePath };
    const first = await startService(env);

    const created = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', '--role', 'unit', '--unit', 'mz-hpf-center'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(created.status, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^jxzp_[0-9a-f]{64}$/);

    const post = await fetch(`${first.base}/v1/evaluations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(readJson('examples/meizhou-2022.json')),
    });
    expect(post.status).toBe(201);
    const evaluation = (await post.json()) as any;
    expect(evaluation.result.total).toBe(100);
    expect(evaluation.result.grade.name).toBe('优');

    await stop(first);
    const second = await startService(env);
    const got = await fetch(`${second.base}/v1/evaluations/${evaluation.id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(got.status).toBe(200);
    expect(((await got.json()) as any).result).toEqual(evaluation.result);
  });

  it('token create refuses a unit token without a unit', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', '--role', 'unit'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_PATH: join(mkdtempSync(join(tmpdir(), 'jxzp-tok-')), 't.db') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('必须绑定一个单位编号');
  });
});
