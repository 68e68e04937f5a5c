// HTTP_PROCESSES=2 killed under load: 50 submissions in flight all the time; SIGKILL one HTTP worker, later SIGKILL
// the primary (the one writer). The workers then exit by themselves (nothing they accept could be acknowledged).
// Restarted on the same file, every evaluation that was answered 201 is there, with the total it was answered with.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  createTokenWithCli,
  killGroup,
  processAlive,
  serviceChildrenOf,
  startServiceProcess,
  stopAllServiceProcesses,
} from '../service-process.js';
import { example } from '../support.js';
import { OWN_UNIT } from './harness.js';

afterAll(stopAllServiceProcesses);

const IN_FLIGHT = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('SIGKILL of a worker, then of the writer, under 50 submissions in flight: every 201 is stored after a restart', async () => {
  const databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-kill-')), 'jxzp.db');
  const token = createTokenWithCli(databasePath, '--role', 'unit', '--unit', OWN_UNIT);
  const service = await startServiceProcess({ DATABASE_PATH: databasePath, HTTP_PROCESSES: '2', LOG_LEVEL: 'warn' }, 90_000);
  const primary = service.child.pid!;
  const body = JSON.stringify(example('meizhou-2022.json'));

  const acknowledged = new Map<string, unknown>(); // id → total as answered
  const statuses = new Map<string, number>(); // status (or client error) → count
  const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
  let running = true;
  const loop = async () => {
    while (running) {
      try {
        const r = await fetch(`${service.base}/v1/evaluations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body,
        });
        const answer = (await r.json()) as { id?: string; total?: unknown };
        count(String(r.status));
        if (r.status === 201) acknowledged.set(answer.id!, answer.total);
      } catch {
        count('connection error');
        await sleep(20);
      }
    }
  };
  const loops = Array.from({ length: IN_FLIGHT }, loop);

  await sleep(1_500);
  const workers = serviceChildrenOf(primary);
  expect(workers).toHaveLength(2);
  process.kill(workers[0]!, 'SIGKILL');
  // the other worker serves on, and a replacement starts
  let replaced: number[] = [];
  for (let i = 0; i < 600 && !(replaced.length === 2 && !replaced.includes(workers[0]!)); i++) {
    await sleep(100);
    replaced = serviceChildrenOf(primary);
  }
  expect(replaced).toHaveLength(2);
  const beforeWriterKill = acknowledged.size;
  await sleep(1_500);
  expect(acknowledged.size).toBeGreaterThan(beforeWriterKill); // still acknowledging after the worker was replaced

  process.kill(primary, 'SIGKILL');
  // the workers see the IPC channel close and exit by themselves
  for (let i = 0; i < 100 && replaced.some(processAlive); i++) await sleep(100);
  const survivors = replaced.filter(processAlive);
  killGroup(service.child); // whatever is left (e.g. tsx's esbuild service)
  running = false;
  await Promise.all(loops);
  expect(survivors).toEqual([]);
  // the worker that was serving all along said why, in one line (its replacement may still have been starting)
  const exitLine = `主进程已退出，HTTP 进程 ${workers[1]} 随之退出（不再能确认写入）`;
  for (let i = 0; i < 40 && !service.output().stderr.includes(exitLine); i++) await sleep(50);
  expect(service.output().stderr.split('\n')).toContain(exitLine);

  const restarted = await startServiceProcess({ DATABASE_PATH: databasePath, HTTP_PROCESSES: '2', LOG_LEVEL: 'warn' }, 90_000);
  const missing: string[] = [];
  const wrong: string[] = [];
  const ids = [...acknowledged.keys()];
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(
      ids.slice(i, i + 50).map(async (id) => {
        const r = await fetch(`${restarted.base}/v1/evaluations/${id}`, { headers: { Authorization: `Bearer ${token}` } });
        const view = (await r.json()) as { total?: unknown };
        if (r.status !== 200) missing.push(`${id}: ${r.status}`);
        else if (JSON.stringify(view.total) !== JSON.stringify(acknowledged.get(id))) wrong.push(id);
      }),
    );
  }
  console.log(`SIGKILL under load: ${acknowledged.size} answered 201, all read back after restart; answers ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(acknowledged.size).toBeGreaterThan(50);
  expect(missing).toEqual([]);
  expect(wrong).toEqual([]);
  // nothing but 201, dropped connections, or 503 (not saved: the writer was gone) — never a 500
  expect([...statuses.keys()].filter((s) => s !== '201' && s !== '503' && s !== 'connection error')).toEqual([]);
}, 240_000);
