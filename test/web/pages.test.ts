// The pages in process (app.fetch): sessions (cookie flags, idle and absolute expiry, revoked and expired tokens,
// sign-out), cross-site posts, escaping, the role matrix, HTML 404/403, the form's submit, 试算 and errors, /docs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../src/services/tokens.js';
import { formShape, submissionToFields } from '../../src/web/form.js';
import { example, shippedRegistry } from '../support.js';
import { Browser, OTHER, startWebService, UNIT, type WebService } from './web-harness.js';

const MINUTE = 60_000;
let s: WebService;
beforeAll(async () => {
  s = await startWebService();
});
afterAll(async () => {
  await s?.close();
});

const meizhouDoc = () => shippedRegistry().resolve('gd-meizhou-2022', undefined, 2022).document;
/** the meizhou example as the form posts it */
function meizhouForm(change: (sub: any) => void = () => {}, key = 'a'.repeat(32)): [string, string][] {
  const sub = structuredClone(example('meizhou-2022.json')) as any;
  change(sub);
  const fields = submissionToFields(meizhouDoc(), sub, formShape(meizhouDoc()));
  return [...fields, ['idempotencyKey', key], ['draftId', `dr_${'0'.repeat(24)}`]];
}
async function signedIn(token: string, origin?: string): Promise<Browser> {
  const b = new Browser(s, origin);
  const r = await b.signIn(token);
  expect(r.status).toBe(303);
  expect(r.headers.get('location')).toBe('/');
  return b;
}
const h1 = (html: string) => /<h1>(.*?)<\/h1>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, '');

describe('sign-in and sessions', () => {
  it('over http: jxzp_session, HttpOnly, SameSite=Strict, Path=/, not Secure; the wrong token is told so in Chinese', async () => {
    const b = new Browser(s);
    const bad = await b.signIn('jxzp_nothing');
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('令牌无效、已过期或已被吊销，请核对后重新输入');
    const r = await b.signIn(s.tokens.unit);
    const cookie = r.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^jxzp_session=[0-9a-f]{64}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    const home = await b.get('/');
    expect(home.status).toBe(200);
    expect(h1(home.text)).toBe(`预算单位（${UNIT}），您好`);
  });

  it('over https, or behind a TLS proxy whose public origin is https: __Host-jxzp_session, Secure', async () => {
    const direct = await new Browser(s, 'https://jixiao.example.gov.cn').signIn(s.tokens.unit);
    expect(direct.headers.getSetCookie()[0]).toMatch(/^__Host-jxzp_session=[0-9a-f]{64}; Max-Age=43200; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    const proxied = await startWebService({ publicOrigin: 'https://jixiao.example.gov.cn' });
    try {
      const b = new Browser(proxied, 'http://10.0.0.5:8787');
      const r = await b.request('POST', '/signin', { form: { token: proxied.tokens.unit }, headers: { Origin: 'https://jixiao.example.gov.cn' } });
      expect(r.status).toBe(303);
      expect(r.headers.getSetCookie()[0]).toMatch(/^__Host-jxzp_session=.*; Secure; SameSite=Strict$/);
      // the proxy's own origin is not ours: a post naming it is refused
      const cross = await b.request('POST', '/signout', { form: {}, headers: { Origin: 'http://10.0.0.5:8787' } });
      expect(cross.status).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('an idle session ends after 30 minutes; activity keeps it going', async () => {
    const b = await signedIn(s.tokens.unit);
    s.advance(29 * MINUTE);
    expect((await b.get('/')).status).toBe(200);
    s.advance(29 * MINUTE); // 58 minutes after sign-in, 29 after the last request
    expect((await b.get('/')).status).toBe(200);
    s.advance(31 * MINUTE);
    const r = await b.get('/');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/signin');
  });

  it('no session lasts more than 12 hours, however busy', async () => {
    const b = await signedIn(s.tokens.unit);
    for (let t = 20; t <= 700; t += 20) {
      s.advance(20 * MINUTE);
      expect((await b.get('/')).status, `after ${t} min`).toBe(200);
    }
    s.advance(20 * MINUTE); // 720 minutes: 12 hours
    expect((await b.get('/')).status).toBe(303);
  });

  it('revoking the token ends its sessions at once; an expiring token ends them when it expires', async () => {
    const b = await signedIn(s.tokens.reviewer);
    const other = await createToken(s.database.db, { role: 'reviewer' }, s.now());
    const b2 = await signedIn(other.token);
    await revokeToken(s.database.db, other.id, s.now());
    expect((await b2.get('/')).status).toBe(303);
    expect((await b.get('/')).status).toBe(200);

    const expiring = await createToken(s.database.db, { role: 'reviewer', expiresAt: new Date(s.now().getTime() + 50 * MINUTE) }, s.now());
    const b3 = await signedIn(expiring.token);
    s.advance(25 * MINUTE);
    expect((await b3.get('/')).status).toBe(200);
    s.advance(25 * MINUTE);
    expect((await b3.get('/')).status).toBe(303);
  });

  it('sign-out deletes the session: the old cookie no longer works', async () => {
    const b = await signedIn(s.tokens.unit);
    const cookie = b.cookies.get('jxzp_session')!;
    const out = await b.post('/signout', {});
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^jxzp_session=; Max-Age=0/);
    const replay = new Browser(s);
    replay.cookies.set('jxzp_session', cookie);
    expect((await replay.get('/')).headers.get('location')).toBe('/signin');
  });

  it('pages never take a bearer token, and /v1 never takes the cookie', async () => {
    const page = await new Browser(s).request('GET', '/', { headers: { Authorization: `Bearer ${s.tokens.bureau}` } });
    expect(page.status).toBe(303);
    const b = await signedIn(s.tokens.bureau);
    const api = await b.get('/v1/evaluations');
    expect(api.status).toBe(401);
    expect(JSON.parse(api.text).error.code).toBe('UNAUTHENTICATED');
  });
});

describe('cross-site posts', () => {
  it('a form post from another origin, or with no origin at all, is refused with the HTML 403 page', async () => {
    const b = await signedIn(s.tokens.unit);
    for (const headers of [{ Origin: 'http://evil.example' }, { Origin: 'null' }]) {
      const r = await b.request('POST', '/evaluations', { form: meizhouForm(), headers });
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toContain('text/html');
      expect(h1(r.text)).toBe('403 无权访问');
      expect(r.text).toContain('跨站提交已拒绝');
    }
    const noOrigin = await s.app.fetch(
      new Request('http://test.local/signout', { method: 'POST', body: '', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `jxzp_session=${b.cookies.get('jxzp_session')}` } }),
    );
    expect(noOrigin.status).toBe(403);
    // still signed in: nothing happened
    expect((await b.get('/')).status).toBe(200);
  });

  it('a JSON body to a page route (which the cross-site check would not look at) is refused with 415', async () => {
    const b = await signedIn(s.tokens.unit);
    const r = await b.request('POST', '/evaluations', { body: JSON.stringify(example('meizhou-2022.json')), headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } });
    expect(r.status).toBe(415);
    expect(r.text).toContain('页面只接受表单提交');
  });
});

describe('the unit’s form', () => {
  it('submit is idempotent: the same form posted twice stores one evaluation, shown as 100 / 优', async () => {
    const b = await signedIn(s.tokens.unit);
    const form = meizhouForm((sub) => (sub.project.name = '双击测试项目'), 'b'.repeat(32));
    const first = await b.post('/evaluations', form);
    const second = await b.post('/evaluations', form);
    expect(first.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const list = await b.get('/evaluations');
    expect(list.text.split('双击测试项目').length - 1).toBe(1);
    const page = await b.get(first.headers.get('location')!);
    expect(page.text).toContain('<span data-testid="total">100</span>');
    expect(page.text).toContain('<div class="grade" data-testid="grade">优</div>');
  });

  it('试算 answers the result region: points per item, subtotals, total and grade', async () => {
    const b = await signedIn(s.tokens.unit);
    const r = await b.post('/evaluations/try', meizhouForm((sub) => (sub.facts.fundsArrival.arrived = 40)), { 'X-Try': 'fragment' });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/<div id="try-result" aria-live="polite">/);
    expect(r.text).toContain('<strong data-testid="try-total">99.67</strong>');
    expect(r.text).toContain('<strong data-testid="try-grade">优</strong>');
    expect(r.text).toMatch(/data-try-item="fundsArrival"><th scope="row">资金到位<\/th><td class="num">2\.67<\/td><td class="num">3<\/td>/);
    expect(r.text).toMatch(/data-try-item="fundsSecured"><th scope="row">资金落实<\/th><td class="num">5\.67<\/td>/);
  });

  it('a national-style table: rows for the unit’s own indicators (category, direction, tier with its range), 试算 88.45 / 良', async () => {
    const b = await signedIn(s.tokens.unit);
    const page = await b.get('/evaluations/new?ruleset=cn-mof-2020&year=2023');
    expect(page.status).toBe(200);
    const categories = /<select id="f-indicators\.0\.category"[^>]*>(.*?)<\/select>/s.exec(page.text)![1]!;
    expect([...categories.matchAll(/<option value="(\w+)"/g)].map((m) => m[1])).toEqual([
      'quantity', 'quality', 'timeliness', 'cost', 'economicBenefit', 'socialBenefit', 'ecologicalBenefit', 'sustainableImpact', 'serviceSatisfaction',
    ]);
    expect(page.text).toContain('<option value="lte">反向（≤）</option>');
    expect(page.text).toContain('<option value="partial">部分达成并具有一定效果（60%–80% 分值）</option>');
    const national = example('national-road-maintenance-2023.json') as any;
    const doc = shippedRegistry().resolve('cn-mof-2020', undefined, 2023).document;
    const r = await b.post('/evaluations/try', [...submissionToFields(doc, national)], { 'X-Try': 'fragment' });
    expect(r.text).toContain('<strong data-testid="try-total">88.45</strong>');
    expect(r.text).toContain('<strong data-testid="try-grade">良</strong>');
    expect(r.text).toMatch(/data-try-item="roadKm"><th scope="row">完成养护里程<\/th><td class="num">16<\/td><td class="num">20<\/td>/);
    // without script the whole form comes back, the eight rows filled and one empty row to add another
    const full = await b.post('/evaluations/try', [...submissionToFields(doc, national)]);
    expect(full.text).toContain('value="养护路段可持续使用年限"');
    expect(full.text).toContain('<legend>自设指标 9</legend>');
    expect(full.text).not.toContain('<legend>自设指标 10</legend>');
  });

  it('errors appear beside their fields, in Chinese, and nothing is stored', async () => {
    const b = await signedIn(s.tokens.unit);
    const before = await b.get('/evaluations');
    const r = await b.post('/evaluations', meizhouForm((sub) => (sub.facts.fundsArrival.arrived = '四十'), 'c'.repeat(32)));
    expect(r.status).toBe(422);
    const slot = /<span class="field-error" id="err-facts\.fundsArrival\.arrived">([^<]*)<\/span>/.exec(r.text);
    expect(slot?.[1]).toMatch(/[\u4e00-\u9fa5]/);
    expect(r.text).toMatch(/<input id="f-facts\.fundsArrival\.arrived" name="facts\.fundsArrival\.arrived" type="text" value="四十"[^>]*aria-invalid="true"/);
    expect((await b.get('/evaluations')).text).toBe(before.text);
  });

  it('a draft is kept by 试算 and by 保存草稿, reopened with its fields, and is its own token’s only', async () => {
    const b = await signedIn(s.tokens.unit);
    const form = meizhouForm((sub) => (sub.project.name = '草稿项目')).map(([k, v]): [string, string] => (k === 'draftId' ? [k, `dr_${'1'.repeat(24)}`] : [k, v]));
    const saved = await b.post('/drafts', form);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/evaluations/new?draft=dr_${'1'.repeat(24)}&saved=1`);
    const drafts = await b.get('/drafts');
    expect(drafts.text).toContain('草稿项目');
    const reopened = await b.get(saved.headers.get('location')!);
    expect(reopened.text).toContain('value="草稿项目"');
    expect(reopened.text).toContain('<strong data-testid="try-total">100</strong>');
    const other = await signedIn(s.tokens.otherUnit);
    expect((await other.get(`/evaluations/new?draft=dr_${'1'.repeat(24)}`)).status).toBe(404);
    expect((await other.get('/drafts')).text).not.toContain('草稿项目');
    expect((await b.post(`/drafts/dr_${'1'.repeat(24)}/delete`, {})).status).toBe(303);
    expect((await b.get('/drafts')).text).not.toContain('草稿项目');
  });
});

describe('escaping', () => {
  it('a project name and remarks with markup show as text on every page', async () => {
    const b = await signedIn(s.tokens.unit);
    const r = await b.post(
      '/evaluations',
      meizhouForm((sub) => {
        sub.project.name = '<script>alert(1)</script>';
        sub.remarks.fairness = '"><img src=x onerror=alert(2)>';
      }, 'd'.repeat(32)),
    );
    expect(r.status).toBe(303);
    for (const path of [r.headers.get('location')!, '/evaluations', '/']) {
      const page = await b.get(path);
      expect(page.text, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text, path).not.toContain('<script>alert');
      expect(page.text, path).not.toContain('<img src=x');
    }
  });
});

describe('the role matrix through the pages', () => {
  let evaluationPath = '';
  beforeAll(async () => {
    const b = await signedIn(s.tokens.unit);
    const r = await b.post('/evaluations', meizhouForm((sub) => (sub.project.name = '角色矩阵项目'), 'e'.repeat(32)));
    evaluationPath = r.headers.get('location')!;
  });

  const PAGES = ['/', '/evaluations', 'EVALUATION', '/evaluations/new', '/evaluations/new?ruleset=gd-meizhou-2022&year=2022', '/drafts', '/docs'];
  const EXPECTED: Record<string, number[]> = {
    unit: [200, 200, 200, 200, 200, 200, 200],
    otherUnit: [200, 200, 404, 200, 200, 200, 200],
    reviewer: [200, 200, 200, 403, 403, 403, 200],
    bureau: [200, 200, 200, 403, 403, 403, 200],
  };

  it.each(Object.keys(EXPECTED))('%s', async (role) => {
    const b = await signedIn(s.tokens[role as keyof typeof s.tokens]);
    const statuses: number[] = [];
    for (const p of PAGES) {
      const r = await b.get(p === 'EVALUATION' ? evaluationPath : p);
      statuses.push(r.status);
      expect(r.headers.get('content-type'), p).toContain('text/html');
      if (r.status === 403) expect(r.text).toContain('只有预算单位可以');
      if (r.status === 404) expect(h1(r.text)).toBe('404 页面或记录不存在');
    }
    expect(statuses).toEqual(EXPECTED[role]);
    const list = await b.get('/evaluations');
    expect(list.text.includes('角色矩阵项目')).toBe(role !== 'otherUnit');
    expect(h1(list.text)).toBe(role === 'unit' || role === 'otherUnit' ? '我的自评' : '全部评价');
  });

  it('signed out, every page leads to sign-in', async () => {
    const b = new Browser(s);
    for (const p of PAGES) {
      const r = await b.get(p === 'EVALUATION' ? evaluationPath : p);
      if (p === '/docs') expect(r.status).toBe(200);
      else expect([r.status, r.headers.get('location')], p).toEqual([303, '/signin']);
    }
  });

  it(`units see their own unit only (${UNIT} vs ${OTHER})`, async () => {
    const other = await signedIn(s.tokens.otherUnit);
    const home = await other.get('/');
    expect(home.text).not.toContain('角色矩阵项目');
  });
});

describe('HTML error pages, headers, /docs', () => {
  it('unknown pages answer the HTML 404 page; unknown /v1 paths keep the JSON error body', async () => {
    const b = await signedIn(s.tokens.unit);
    const page = await b.get('/nothing-here');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(h1(page.text)).toBe('404 页面或记录不存在');
    const api = await b.request('GET', '/v1/nothing', { headers: { Authorization: `Bearer ${s.tokens.unit}` } });
    expect(api.status).toBe(404);
    expect(JSON.parse(api.text).error.code).toBe('NOT_FOUND');
  });

  it('pages carry a CSP of our own origin and load scripts only from /assets/', async () => {
    const b = await signedIn(s.tokens.unit);
    const r = await b.get('/evaluations/new?ruleset=gd-meizhou-2022&year=2022');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.text.match(/<script[^>]*>/g)).toEqual(['<script src="/assets/try.js" defer="">']);
    expect(r.text).not.toMatch(/https?:\/\//);
    expect(r.text).not.toMatch(/ style="/);
    const css = await b.get('/assets/style.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"');
    expect(css.text).toContain('@page { size: A4');
  });

  it('/docs renders the OpenAPI document as HTML without script', async () => {
    const r = await new Browser(s).get('/docs');
    expect(r.status).toBe(200);
    expect(r.text).not.toContain('<script');
    expect(r.text).toContain('<a href="/v1/openapi.json">/v1/openapi.json</a>');
    expect(r.text).toContain('<span class="method">POST</span> <code>/v1/evaluations</code>');
  });
});
