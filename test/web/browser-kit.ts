// What the browser tests share: tokens made with the CLI against the service's database, axe-core run in the page
// (from node_modules, nothing from other hosts), and screenshots into the git-ignored test-results/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM } from '../system-parts.js';
import { runCli } from '../cli/run-cli.js';
import { ROOT } from '../support.js';

declare const window: any;
declare const document: any;

export const RESULTS = join(ROOT, 'test-results');
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** A token made with `cli token create …` (its last line). */
export async function tokenFor(databasePath: string, args: string[]): Promise<string> {
  const r = await runCli(['token', 'create', ...args], { DATABASE_PATH: databasePath });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').pop()!.trim();
}

/** axe-core's serious and critical violations on the page, one line each. */
export async function axeProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] = await page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The whole page, and the first screen alone (small enough for docs/screenshots/). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: join(RESULTS, `${name}-top.png`) });
}

/** Debian's chromium, headless (root needs --no-sandbox). */
export function launchChromium(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM.path!, args: root ? ['--no-sandbox'] : [] });
}
