// The reviewer's, the unit's and the bureau's pages in a real Chromium against the service as a separate process: a
// reviewer filters the queue and enters a review score, a unit disputes it, the reviewer answers; the unit uploads and
// downloads 佐证材料 and an SVG is refused; the bureau uploads a rule set with an error and sees the diagnostic. axe
// finds nothing serious on any of these pages; screenshots go to test-results/.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess, stopAllServiceProcesses, type ServiceProcess } from '../service-process.js';
import { available, CHROMIUM } from '../system-parts.js';
import { axeProblems, launchChromium, RESULTS, shot, tokenFor } from './browser-kit.js';
import { ROOT, example, ruleSet } from '../support.js';

declare const document: any;
declare const window: any;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');


describe.skipIf(!available(CHROMIUM))('reviewer, dispute, evidence and bureau pages in Chromium', () => {
  let service: ServiceProcess;
  let browser: Browser;
  const tokens = { unit: '', reviewer: '', bureau: '' };
  let evaluationPath = '';
  const accessibility = new Map<string, string[]>();

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    const databasePath = join(mkdtempSync(join(tmpdir(), 'jxzp-browser-review-')), 'b.db');
    service = await startServiceProcess({ DATABASE_PATH: databasePath, LOG_LEVEL: 'warn' });
    [tokens.unit, tokens.reviewer, tokens.bureau] = await Promise.all([
      tokenFor(databasePath, ['--role', 'unit', '--unit', 'mz-hpf-center']),
      tokenFor(databasePath, ['--role', 'reviewer']),
      tokenFor(databasePath, ['--role', 'bureau']),
    ]);
    // the unit's evaluation, through the JSON API: it gave 论证决策 3 of 5 (a discrepancy with the recomputed 5)
    const submission = structuredClone(example('meizhou-2022.json')) as any;
    submission.selfAssessment.items = { decisionBasis: 3 };
    const res = await fetch(`${service.base}/v1/evaluations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.unit}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'browser-review-1' },
      body: JSON.stringify(submission),
    });
    expect(res.status).toBe(201);
    evaluationPath = `/evaluations/${((await res.json()) as { id: string }).id}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopAllServiceProcesses();
  });

  async function signedIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${service.base}/signin`);
    await page.locator('#token').fill(token);
    await page.locator('#token').press('Enter');
    await page.waitForURL(`${service.base}/`);
    return { context, page };
  }

  it('a reviewer filters the queue, enters a review score with its reason, and verifies', async () => {
    const { context, page } = await signedIn(tokens.reviewer);
    await page.getByRole('link', { name: '复核队列' }).click();
    await page.waitForURL(/pending=1/);
    expect(await page.locator('#q-pending').isChecked()).toBe(true);
    expect(await page.locator('main table tbody tr').count()).toBe(1);
    // a combination no index serves: said on the page, beside the filters
    await page.locator('#q-grade').selectOption('excellent');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/grade=excellent/);
    expect(await page.locator('#queue-error').textContent()).toContain('不支持按 等级（grade） + 未复核（pending） 组合筛选评价列表');
    expect(await page.locator('#err-q-grade').textContent()).toBe('不能与 pending 同时使用');
    accessibility.set('queue-refused', await axeProblems(page));
    await page.locator('#q-grade').selectOption('');
    await page.locator('#q-pending').uncheck();
    await page.locator('#q-discrepancies').check();
    await page.locator('#q-year').fill('2022');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/discrepancies=1&year=2022|year=2022.*discrepancies=1/);
    expect(await page.locator('#queue-error').count()).toBe(0);
    expect(await page.locator('main table tbody tr').count()).toBe(1);
    expect(await page.locator('main table tbody tr td').nth(6).textContent()).toBe('有差异');
    accessibility.set('queue', await axeProblems(page));
    await shot(page, 'review-queue');

    await page.getByRole('link', { name: '网络系统运行服务费' }).click();
    await page.waitForURL(`${service.base}${evaluationPath}`);
    // a score without a reason is refused beside the field
    await page.locator('#rv-points-decisionBasis').fill('4');
    await page.getByRole('button', { name: '保存复核分' }).click();
    expect(await page.locator('#err-rv-reason-decisionBasis').textContent()).toBe('请填写复核理由（必填）');
    expect(await page.locator('#rv-points-decisionBasis').inputValue()).toBe('4');
    await page.locator('#rv-reason-decisionBasis').fill('立项批复未附，扣 1 分');
    await page.getByRole('button', { name: '保存复核分' }).click();
    await page.waitForURL(/done=review/);
    expect(await page.locator('main .ok-box').first().textContent()).toBe('复核分已保存。');
    expect(await page.locator('tr[data-item=decisionBasis] td').nth(3).textContent()).toBe('4');
    expect(await page.locator('.summary').textContent()).toContain('复算 100 分，复核后 99 分');

    await page.getByRole('button', { name: '复验' }).click();
    expect(await page.locator('#verify-result').textContent()).toContain('复验一致：按 gd-meizhou-2022 1.0.0 重新评分');
    accessibility.set('reviewer-evaluation', await axeProblems(page));
    await shot(page, 'review-evaluation');
    await context.close();
  }, 120_000);

  it('the unit disputes the review score, uploads and downloads a PDF, and an SVG is refused', async () => {
    const { context, page } = await signedIn(tokens.unit);
    await page.goto(`${service.base}${evaluationPath}`);
    await page.locator('#dp-item').selectOption('decisionBasis');
    await page.locator('#dp-about-review').check();
    await page.locator('#dp-claimed').fill('5');
    await page.locator('#dp-criterion').fill('立项依据充分，符合法律法规、相关政策和发展规划');
    await page.locator('#dp-reason').fill('批复文件已作为佐证材料上传');
    await page.getByRole('button', { name: '提交申诉' }).click();
    await page.waitForURL(/done=dispute/);
    expect(await page.locator('ol.disputes > li h3').textContent()).toBe('论证决策：对复核分 4 分申诉（待答复）');

    await page.locator('#ev-item').selectOption('decisionBasis');
    await page.locator('#ev-file').setInputFiles({ name: '立项批复.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: '上传' }).click();
    await page.waitForURL(/done=evidence/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '立项批复.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('立项批复.pdf');
    expect(readFileSync((await download.path())!)).toEqual(PDF);

    await page.locator('#ev-file').setInputFiles({ name: 'chart.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
    await page.getByRole('button', { name: '上传' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#evidence-error').textContent()).toBe('不接受这种文件');
    expect(await page.locator('#err-ev-file').textContent()).toContain('佐证材料只接受 PDF、PNG/JPEG 图片和 Office 文档');
    expect(await page.locator('#ev-file').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('a[href*="/evidence/ed_"]').count()).toBe(1);
    accessibility.set('unit-evaluation', await axeProblems(page));
    await shot(page, 'unit-dispute-evidence');
    await context.close();
  }, 120_000);

  it('the reviewer accepts the dispute: 5 becomes the review score, and the history stays on the page', async () => {
    const { context, page } = await signedIn(tokens.reviewer);
    await page.goto(`${service.base}${evaluationPath}`);
    const dispute = page.locator('ol.disputes > li').first();
    await dispute.getByLabel('接受（记为该指标的复核分）').check();
    await dispute.getByLabel('接受时的复核分').fill('5');
    await dispute.getByLabel('理由（必填）').fill('批复文件齐全，恢复满分');
    await dispute.getByRole('button', { name: '提交答复' }).click();
    await page.waitForURL(/done=answer/);
    expect(await page.locator('ol.disputes > li h3').textContent()).toBe('论证决策：对复核分 4 分申诉（已接受）');
    expect(await page.locator('ol.disputes > li').textContent()).toContain('批复文件齐全，恢复满分');
    expect(await page.locator('tr[data-item=decisionBasis] td').nth(3).textContent()).toBe('5');
    accessibility.set('answered', await axeProblems(page));
    await shot(page, 'review-dispute-answered');
    await context.close();
  }, 120_000);

  it('the bureau reads the catalogue and a version’s table, uploads a rule set with an error and sees the diagnostic', async () => {
    const { context, page } = await signedIn(tokens.bureau);
    await page.getByRole('link', { name: '评分规则' }).click();
    await page.waitForURL(`${service.base}/rulesets`);
    accessibility.set('catalogue', await axeProblems(page));
    await shot(page, 'rulesets');
    await page.locator('a[href="/rulesets/gd-meizhou-2022/1.0.0"]').click();
    expect(await page.locator('tr[data-indicator=decisionBasis] td.num').textContent()).toBe('5');
    accessibility.set('version', await axeProblems(page));
    await shot(page, 'ruleset-version');

    await page.goto(`${service.base}/rulesets/publish`);
    const doc = structuredClone(ruleSet('gd-meizhou-2022')) as any;
    doc.version = '1.0.1';
    doc.indicators[0].children[0].children[0].points = 6;
    await page.locator('#rs-file').setInputFiles({ name: '梅州-1.0.1.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
    await page.getByRole('button', { name: '检查并发布' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#publish-error p').first().textContent()).toBe('「梅州-1.0.1.json」未发布：规则集未通过检查，未发布');
    expect(await page.locator('ol.diagnostics li').first().textContent()).toBe(
      '$.ruleset.indicators[0].children[0].points：TREE_SUM_MISMATCH（treeSums）：「项目立项」分值 14 分，但其下级指标分值之和为 15 分',
    );
    accessibility.set('publish', await axeProblems(page));
    await shot(page, 'ruleset-publish-error');
    await context.close();
  }, 180_000);

  it('axe finds no serious or critical problem on any of these pages', () => {
    expect([...accessibility.keys()].sort()).toEqual(['answered', 'catalogue', 'publish', 'queue', 'queue-refused', 'reviewer-evaluation', 'unit-evaluation', 'version']);
    for (const [page, problems] of accessibility) expect(problems, page).toEqual([]);
  });
});
