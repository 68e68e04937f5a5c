// The pages in a real Chromium (playwright-core + Debian's chromium) against the service as a separate process: a unit
// fills the meizhou example with the keyboard alone, watches 试算, resumes its draft, submits and sees 100 / 优; another
// unit is refused its evaluation; a cross-site form post is refused; the print view fits A4; axe finds nothing serious.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreSubmission } from '../../src/services/scoring.js';
import { formShape, submissionToFields } from '../../src/web/form.js';
import { startServiceProcess, stopAllServiceProcesses, type ServiceProcess } from '../service-process.js';
import { available, CHROMIUM } from '../system-parts.js';
import { axeProblems, launchChromium, RESULTS, shot, tokenFor } from './browser-kit.js';
import { ROOT, example, shippedRegistry } from '../support.js';

// what the callbacks given to page.evaluate see in the browser (the project's types have no DOM library)
declare const document: any;
declare const window: any;
declare function getComputedStyle(element: unknown): { display: string };

/** A4 less 10 mm margins each side, in CSS pixels (96 per inch) */
const A4_CONTENT_WIDTH = Math.floor(((210 - 20) / 25.4) * 96);


/** Presses Tab until the element named `name` (or the button reading `name`) has the focus. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('name') || el?.textContent?.trim() || '';
    });
    if (at === name) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/** Opens, with Tab and Enter, the closed <details> the field named `name` sits in (remarks, 不适用). */
async function openDetailsOf(page: Page, name: string): Promise<void> {
  const closed = await page.evaluate((n) => {
    const details = document.querySelector(`[name="${n}"]`)?.closest('details');
    return details ? !details.open : false;
  }, name);
  if (!closed) return;
  for (let i = 0; i < 800; i++) {
    await page.keyboard.press('Tab');
    const there = await page.evaluate((n) => {
      const el = document.activeElement;
      return el?.tagName === 'SUMMARY' && el.parentElement!.contains(document.querySelector(`[name="${n}"]`));
    }, name);
    if (there) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`Tab never reached the details of ${name}`);
}

/** Types the value into the focused field, replacing what it held. */
async function retype(page: Page, value: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(value);
}

describe.skipIf(!available(CHROMIUM))('pages in Chromium', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let databasePath: string;
  const tokens = { unit: '', otherUnit: '', reviewer: '' };
  let evaluationPath = '';
  const accessibility = new Map<string, string[]>();

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-browser-')), 'b.db');
    service = await startServiceProcess({ DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' });
    [tokens.unit, tokens.otherUnit, tokens.reviewer] = await Promise.all([
      tokenFor(databasePath, ['--role', 'unit', '--unit', 'mz-hpf-center']),
      tokenFor(databasePath, ['--role', 'unit', '--unit', 'other-unit']),
      tokenFor(databasePath, ['--role', 'reviewer']),
    ]);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopAllServiceProcesses();
  });

  async function signedIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${service.base}/signin`);
    accessibility.set('signin', await axeProblems(page));
    await page.locator('#token').focus();
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${service.base}/`);
    return { context, page };
  }

  it('a unit fills the meizhou example with the keyboard, sees 试算 change, resumes its draft, submits: 100 / 优', async () => {
    const { context, page } = await signedIn(tokens.unit);
    accessibility.set('home', await axeProblems(page));
    await shot(page, 'home');

    await page.goto(`${service.base}/evaluations/new`);
    accessibility.set('new', await axeProblems(page));
    await page.locator('#ruleset').focus();
    for (let i = 0; i < 20 && (await page.locator('#ruleset').inputValue()) !== 'gd-meizhou-2022'; i++) await page.keyboard.press('ArrowDown');
    await tabTo(page, 'year');
    await retype(page, '2022');
    await page.keyboard.press('Enter');
    await page.waitForURL(/ruleset=gd-meizhou-2022&year=2022/);
    expect(await page.locator('h1').textContent()).toBe('新建自评：项目绩效自评信息指标评分表（广东梅州，2022 年度）');

    // the example as the form's fields, in the page's own order
    const submission = example('meizhou-2022.json');
    const compiled = shippedRegistry().resolve('gd-meizhou-2022', undefined, 2022);
    const wanted = submissionToFields(compiled.document, submission as any, formShape(compiled.document));
    const order: string[] = await page.$$eval('#evaluation-form [name]', (els) => els.map((e) => e.getAttribute('name')!));
    const toFill = order.filter((n) => wanted.has(n) && !['ruleset.id', 'ruleset.version', 'project.unitId', 'project.fiscalYear'].includes(n));
    const half = toFill.indexOf('facts.payment.arrived');
    expect(half).toBeGreaterThan(5);

    const fill = async (names: string[]) => {
      for (const name of names) {
        await openDetailsOf(page, name);
        await tabTo(page, name);
        if (wanted.get(name) === 'true') await page.keyboard.press('Space');
        else await page.keyboard.type(wanted.get(name)!);
      }
    };
    await fill(toFill.slice(0, half));
    // half filled: 试算 says what is missing, beside the field, in Chinese
    await expect.poll(() => page.locator('#err-facts\\.payment').textContent(), { timeout: 10_000 }).not.toBe('');
    expect(await page.locator('#try-result').textContent()).toContain('需要修改');
    accessibility.set('form', await axeProblems(page));
    await shot(page, 'form-half');

    // the tab is closed; the draft was kept on the server
    await page.close();
    const resumed = await context.newPage();
    await resumed.goto(`${service.base}/drafts`);
    accessibility.set('drafts', await axeProblems(resumed));
    await resumed.getByRole('link', { name: '网络系统运行服务费' }).click();
    await resumed.waitForURL(/draft=dr_/);
    expect(await resumed.locator('[name="facts.fundsArrival.arrived"]').inputValue()).toBe('44.99');
    expect(await resumed.locator('[name="facts.decisionBasis.requirements.legalBasis"]').isChecked()).toBe(true);

    await resumed.locator('[name="facts.fundsArrival.arrived"]').focus();
    const pageRef = resumed;
    await (async () => {
      for (const name of toFill.slice(half)) {
        await openDetailsOf(pageRef, name);
        await tabTo(pageRef, name);
        if (wanted.get(name) === 'true') await pageRef.keyboard.press('Space');
        else await pageRef.keyboard.type(wanted.get(name)!);
      }
    })();
    await expect.poll(() => resumed.locator('[data-testid=try-total]').textContent(), { timeout: 10_000 }).toBe('100');
    expect(await resumed.locator('[data-testid=try-grade]').textContent()).toBe('优');

    // 试算 follows the values: 40 of 44.99 arrived costs points; back to 44.99 restores 100
    const short = structuredClone(submission) as any;
    short.facts.fundsArrival.arrived = 40;
    const shortTotal = String((await scoreSubmission(shippedRegistry(), short)).total);
    expect(shortTotal).not.toBe('100');
    await resumed.locator('[name="facts.fundsArrival.arrived"]').focus();
    await retype(resumed, '40');
    await expect.poll(() => resumed.locator('[data-testid=try-total]').textContent(), { timeout: 10_000 }).toBe(shortTotal);
    await retype(resumed, '44.99');
    await expect.poll(() => resumed.locator('[data-testid=try-total]').textContent(), { timeout: 10_000 }).toBe('100');
    await shot(resumed, 'form');

    await tabTo(resumed, '提交自评');
    await resumed.keyboard.press('Enter');
    await resumed.waitForURL(/\/evaluations\/ev_/);
    evaluationPath = new URL(resumed.url()).pathname;
    expect(await resumed.locator('[data-testid=total]').textContent()).toBe('100');
    expect(await resumed.locator('[data-testid=grade]').textContent()).toBe('优');
    accessibility.set('evaluation', await axeProblems(resumed));
    await shot(resumed, 'evaluation');

    await resumed.goto(`${service.base}/evaluations`);
    expect(await resumed.locator('main table tbody tr').count()).toBe(1);
    accessibility.set('list', await axeProblems(resumed));
    await resumed.goto(`${service.base}/drafts`);
    expect(await resumed.locator('main').textContent()).toContain('没有草稿');
    await resumed.goto(`${service.base}/docs`);
    accessibility.set('docs', await axeProblems(resumed));
    await context.close();
  }, 240_000);

  it('another unit opening that evaluation’s URL gets the HTML 404 page', async () => {
    expect(evaluationPath).toMatch(/^\/evaluations\/ev_/);
    const { context, page } = await signedIn(tokens.otherUnit);
    const response = await page.goto(`${service.base}${evaluationPath}`);
    expect(response!.status()).toBe(404);
    expect(response!.headers()['content-type']).toContain('text/html');
    expect(await page.locator('h1').textContent()).toBe('404 页面或记录不存在');
    accessibility.set('not-found', await axeProblems(page));
    await shot(page, 'not-found');
    await context.close();
  });

  it('a form posted from another origin is refused with the HTML 403 page', async () => {
    const evil: Server = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><title>x</title><form method="post" action="${service.base}/signout"><button>go</button></form></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, 'localhost', resolve));
    try {
      const { context, page } = await signedIn(tokens.unit);
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'go' }).click()]);
      expect(response!.status()).toBe(403);
      expect(await page.locator('main').textContent()).toContain('跨站提交已拒绝');
      // and the session is still there
      const home = await page.goto(`${service.base}/`);
      expect(home!.url()).toBe(`${service.base}/`);
      await context.close();
    } finally {
      evil.close();
    }
  });

  it('the print view lays the 自评表 out within A4', async () => {
    const context = await browser.newContext({ viewport: { width: A4_CONTENT_WIDTH, height: 1100 } });
    const page = await context.newPage();
    await page.goto(`${service.base}/signin`);
    await page.locator('#token').fill(tokens.reviewer);
    await page.locator('#token').press('Enter');
    await page.waitForURL(`${service.base}/`);
    await page.goto(`${service.base}${evaluationPath}`);
    await page.emulateMedia({ media: 'print' });
    const widths = await page.evaluate(() => ({
      table: document.querySelector('table.report')!.getBoundingClientRect().right,
      page: document.documentElement.scrollWidth,
      header: getComputedStyle(document.querySelector('header.site')!).display,
    }));
    expect(widths.header).toBe('none');
    expect(widths.table).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
    expect(widths.page).toBeLessThanOrEqual(A4_CONTENT_WIDTH);
    await shot(page, 'evaluation-print');
    await page.pdf({ path: join(RESULTS, 'evaluation.pdf'), format: 'A4' });
    await context.close();
  });

  it('axe finds no serious or critical problem on any page', () => {
    expect([...accessibility.keys()].sort()).toEqual(['docs', 'drafts', 'evaluation', 'form', 'home', 'list', 'new', 'not-found', 'signin']);
    for (const [page, problems] of accessibility) expect(problems, page).toEqual([]);
  });
});
