// `npx tsx bench/workbook.ts`: time and memory of each hostile workbook upload of issue #13 (and of a valid one), each
// in its own process: POST /v1/evaluations through createApp over a fresh SQLite database. Memory growth is the
// process's peak RSS after the upload minus its RSS just before it (after setup and a GC), so it bounds the upload's
// own growth from above. Prints a table and writes bench/workbook-results.json. (Not a test: no thresholds here.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Measured {
  status: number;
  code: string | null;
  millis: number;
  rssBeforeMiB: number;
  peakGrowthMiB: number;
}

/** In the child: one upload, measured. */
async function measureOne(file: string): Promise<Measured> {
  const { startTestService } = await import('../test/http/harness.js');
  const service = await startTestService();
  const bytes = new Uint8Array(readFileSync(file));
  // warm the route once with a tiny bad body so module loading is not counted
  await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, binary: new Uint8Array([1, 2, 3]), headers: { 'Content-Type': XLSX } });
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const r = await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, binary: bytes, headers: { 'Content-Type': XLSX } });
  const millis = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  await service.close();
  return {
    status: r.status,
    code: r.body?.error?.code ?? null,
    millis: Math.round(millis * 10) / 10,
    rssBeforeMiB: Math.round((rssBefore / 1024 / 1024) * 10) / 10,
    peakGrowthMiB: Math.round((Math.max(0, peak - rssBefore) / 1024 / 1024) * 10) / 10,
  };
}

async function main() {
  const child = process.argv.find((a) => a.startsWith('--file='))?.slice('--file='.length);
  if (child) {
    process.stdout.write(JSON.stringify(await measureOne(child)));
    return;
  }
  const files = await import('../test/workbook/files.js');
  const { example } = await import('../test/support.js');
  const { bytes: meizhou, compiled } = await files.templateOf(example('meizhou-2022.json'));
  const spent = files.inputAddress(compiled, ['facts', 'payment', 'spent']);
  const cases: [string, Uint8Array][] = [
    ['valid meizhou workbook (201)', meizhou],
    ['not a zip', files.notAZip()],
    ['encrypted OLE2', files.encryptedOle2()],
    ['zip bomb, honest header (64 MiB)', files.zipBomb(64)],
    ['lying header, 1 GiB of blanks', files.lyingZip(meizhou, 1024)],
    ['a million rows', files.millionRows(meizhou)],
    ['formula without cached value', files.replaceCell(meizhou, spent, `<c r="${spent}" s="6"><f>1+1</f></c>`)],
    ['edited indicator label', files.editParts(meizhou, { 'xl/sharedStrings.xml': (s: string) => s.replace('>论证决策<', '>论证与决策<') })],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-bench-wb-'));
  const rows: (Measured & { case: string; fileKiB: number })[] = [];
  try {
    for (const [name, bytes] of cases) {
      const file = join(dir, `${rows.length}.bin`);
      writeFileSync(file, bytes);
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/workbook.ts', `--file=${file}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
      if (run.status !== 0) throw new Error(`${name}: ${run.stderr}`);
      rows.push({ case: name, fileKiB: Math.round(bytes.length / 102.4) / 10, ...(JSON.parse(run.stdout) as Measured) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const header = ['case', 'file KiB', 'status', 'code', 'ms', 'RSS before MiB', 'peak growth MiB'];
  const table = [header, ...rows.map((r) => [r.case, r.fileKiB, r.status, r.code ?? '', r.millis, r.rssBeforeMiB, r.peakGrowthMiB].map(String))];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  writeFileSync(join(ROOT, 'bench', 'workbook-results.json'), `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
}

await main();
