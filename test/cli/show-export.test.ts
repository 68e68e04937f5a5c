// `cli show` and `cli export` on stored evaluations in DATABASE_PATH: the table at a given width, JSON and CSV; files
// for several ids at once, missing ids listed without stopping the others.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildNodeDeps } from '../../src/platform/node-deps.js';
import { displayWidth } from '../../src/report/terminal.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { ROOT, example } from '../support.js';
import { lines, runCli } from './run-cli.js';

let env: Record<string, string>;
let road: string;
let meizhou: string;
beforeAll(async () => {
  const databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-show-')), 'show.db');
  const { deps, database, checker } = await buildNodeDeps({ databasePath, rulesDir: join(ROOT, 'rules'), log: () => {} });
  road = (await submitEvaluation(deps, { tokenId: 't1', role: 'unit', unitId: 'demo-county-transport' }, example('national-road-maintenance-2023.json'), undefined)).evaluation.id;
  meizhou = (await submitEvaluation(deps, { tokenId: 't2', role: 'unit', unitId: 'mz-hpf-center' }, example('meizhou-2022.json'), undefined)).evaluation.id;
  await checker.close();
  database.close();
  env = { DATABASE_PATH: databasePath };
});

describe.concurrent('cli show', () => {
  it('a table no wider than --width 80, with the evaluation id, total and grade', async () => {
    const r = await runCli(['show', road, '--width', '80'], env);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout.trimEnd().split('\n');
    expect(Math.max(...out.map(displayWidth))).toBeLessThanOrEqual(80);
    expect(out[0]).toBe(`2023 年度 农村公路日常养护（示例县交通运输局）  评价 ${road}`);
    expect(out[2]).toBe('复算总分 88.45 / 100，等级 良好；自评 95（优）；自评与复算不一致 2 项（≠）');
  });
  it('--format csv and --format json', async () => {
    const csv = await runCli(['show', meizhou, '--format', 'csv'], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\r\n')).toContain('合计,,,,100,100,100,,,,优秀,,');
    const json = await runCli(['show', meizhou, '--format', 'json'], env);
    expect(JSON.parse(json.stdout).summary).toMatchObject({ total: 100, grade: { label: '优秀' }, final: { total: 100 } });
  });
  it('an unknown id: one line, exit 2', async () => {
    const r = await runCli(['show', 'ev_nothing'], env);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['没有编号为「ev_nothing」的评价记录']);
  });
});

describe('cli export', () => {
  it('several ids as Word drafts into --out-dir; a missing id is listed, the others written, exit 1', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'jxzp-export-')), 'out');
    const r = await runCli(['export', road, 'ev_missing', meizhou, '--format', 'docx', '--out-dir', outDir], env);
    expect(r.code).toBe(1);
    const names = [`农村公路日常养护-2023-自评报告-${road}.docx`, `网络系统运行服务费-2022-自评报告-${meizhou}.docx`];
    expect(lines(r.stdout)).toEqual(names.map((n) => join(outDir, n)));
    expect(lines(r.stderr)).toEqual(['✗ ev_missing：没有编号为「ev_missing」的评价记录', '导出 2 个文件，1 条评价没有找到']);
    expect(readdirSync(outDir).sort()).toEqual([...names].sort());
    const xml = strFromU8(unzipSync(readFileSync(join(outDir, names[0]!)))['word/document.xml']!);
    expect(xml).toContain('本项目复算总分 88.45 分（满分 100 分），绩效等级为「良好」');
  }, 60_000);
  it('the scored workbook by default', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'jxzp-export-'));
    const r = await runCli(['export', meizhou, '--out-dir', outDir], env);
    expect(r.code, r.stderr).toBe(0);
    const file = join(outDir, `网络系统运行服务费-2022-自评表-${meizhou}.xlsx`);
    expect(existsSync(file)).toBe(true);
    expect(strFromU8(unzipSync(readFileSync(file))['xl/sharedStrings.xml']!)).toContain('复算总分 100 / 100，等级 优秀');
  }, 60_000);
});
