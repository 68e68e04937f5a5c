// The reviewer's, the unit's 申诉/佐证材料 and the bureau's pages in process (app.fetch): the queue's filters and its
// refused combinations, review scores with reasons, verify, disputes and answers, evidence upload and download, the
// rule-set catalogue, a version's table and publishing — each with its role matrix, cross-site refusal and escaping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/services/ports.js';
import { submitEvaluation } from '../../src/services/submit.js';
import { example, ruleSet } from '../support.js';
import { Browser, OTHER, startWebService, UNIT, type PageReply, type WebService } from './web-harness.js';

let s: WebService;
/** the meizhou example as stored, 100 / 优, self-assessed in agreement */
let agreed = '';
/** another, where the unit gave 论证决策 3 of its 5 points (a discrepancy) */
let differing = '';
const XSS = '<script>alert(1)</script><img src=x>';

beforeAll(async () => {
  s = await startWebService();
  const unit: Principal = { tokenId: s.tokenIds.unit, role: 'unit', unitId: UNIT };
  const submit = async (change: (sub: any) => void, key: string) => {
    const sub = structuredClone(example('meizhou-2022.json')) as any;
    change(sub);
    return (await submitEvaluation(s.deps, unit, sub, key)).evaluation.id;
  };
  agreed = await submit((sub) => (sub.project.name = `一致的项目${XSS}`), 'a'.repeat(32));
  s.advance(1000);
  differing = await submit((sub) => {
    sub.project.name = '有差异的项目';
    sub.selfAssessment.items = { decisionBasis: 3 };
  }, 'b'.repeat(32));
});
afterAll(async () => {
  await s?.close();
});

async function signedIn(role: keyof WebService['tokens']): Promise<Browser> {
  const b = new Browser(s);
  expect((await b.signIn(s.tokens[role])).status).toBe(303);
  return b;
}
const h1 = (html: string) => /<h1>(.*?)<\/h1>/s.exec(html)?.[1]?.replace(/<[^>]+>/g, '');
/** the text of the element with this id (first level of markup removed) */
const byId = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>(.*?)</`, 's').exec(html)?.[1] ?? null;
/** project names in the list's table, in order */
const listed = (html: string) => [...html.matchAll(/<td><a href="\/evaluations\/ev_[^"]+">(.*?)<\/a><\/td>/g)].map((m) => m[1]);

/** A multipart form post, as a browser sends a file input: session cookie, our Origin. */
async function upload(b: Browser, path: string, fields: Record<string, string>, file: { name: string; bytes: Uint8Array } | null, origin = b.origin): Promise<PageReply> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new File([file.bytes as Uint8Array<ArrayBuffer>], file.name));
  const headers = { Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), Origin: origin };
  const res = await s.app.fetch(new Request(`${b.origin}${path}`, { method: 'POST', headers, body: form }));
  return { status: res.status, headers: res.headers, text: await res.text() };
}
async function download(b: Browser, path: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const res = await s.app.fetch(new Request(`${b.origin}${path}`, { headers: { Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }));
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe('the queue', () => {
  it('a reviewer filters by 有差异 and by 未复核; each row says 差异 and 复核', async () => {
    const b = await signedIn('reviewer');
    const all = await b.get('/evaluations');
    expect(all.status).toBe(200);
    expect(listed(all.text)).toEqual(['有差异的项目', `一致的项目${XSS.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`]);
    const diff = await b.get('/evaluations?discrepancies=1');
    expect(listed(diff.text)).toEqual(['有差异的项目']);
    expect(diff.text).toContain('<strong class="discrepancy">有差异</strong>');
    expect(diff.text).toContain('<input id="q-discrepancies" name="discrepancies" type="checkbox" value="1" checked=""');
    const pending = await b.get('/evaluations?pending=1&year=2022');
    expect(listed(pending.text)).toHaveLength(2);
    expect(pending.text).toContain('<td>未复核</td>');
    expect(listed((await b.get('/evaluations?year=2021')).text)).toEqual([]);
    expect(listed((await b.get('/evaluations?ruleset=gd-meizhou-2022&year=2022')).text)).toHaveLength(2);
    expect(listed((await b.get(`/evaluations?unit=${UNIT}`)).text)).toHaveLength(2);
    expect(listed((await b.get('/evaluations?grade=excellent')).text)).toHaveLength(2);
    expect(listed((await b.get('/evaluations?grade=poor')).text)).toEqual([]);
  });

  it('a combination no index serves is said on the list page (400), not an error page', async () => {
    const b = await signedIn('reviewer');
    const r = await b.get('/evaluations?grade=excellent&pending=1');
    expect(r.status).toBe(400);
    expect(h1(r.text)).toBe('全部评价');
    expect(byId(r.text, 'queue-error')).toContain('不支持按 等级（grade） + 未复核（pending） 组合筛选评价列表；可用的组合：不筛选、unit、unit+year');
    expect(byId(r.text, 'err-q-grade')).toBe('不能与 pending 同时使用');
    expect(listed(r.text)).toEqual([]);
  });

  it('a year that is not a year is told beside the field, escaped', async () => {
    const b = await signedIn('bureau');
    const r = await b.get(`/evaluations?year=${encodeURIComponent('<b>x')}`);
    expect(r.status).toBe(400);
    expect(byId(r.text, 'err-q-year')).toBe('年度应为四位数字，如 2022，不能是「&lt;b&gt;x」');
    expect(r.text).toContain('aria-invalid="true" aria-describedby="err-q-year"');
    expect(r.text).not.toContain('<b>x');
  });

  it('a unit sees its own unit only, whatever it asks; it has no unit filter', async () => {
    const own = await signedIn('unit');
    const mine = await own.get('/evaluations?year=2022');
    expect(listed(mine.text)).toHaveLength(2);
    expect(mine.text).not.toContain('name="unit"');
    const other = await signedIn('otherUnit');
    expect(listed((await other.get('/evaluations')).text)).toEqual([]);
    expect(listed((await other.get(`/evaluations?unit=${UNIT}`)).text)).toEqual([]);
    // a unit's list is always by unit: pending is not offered with it, and says why
    const r = await other.get('/evaluations?pending=1');
    expect(r.status).toBe(400);
    expect(byId(r.text, 'queue-error')).toContain('预算单位令牌只能查看本单位的评价');
  });
});

describe('review and verify', () => {
  it('only a reviewer gets the review form; verify is for whoever may read the evaluation', async () => {
    const forms = async (role: keyof WebService['tokens']) => {
      const r = await (await signedIn(role)).get(`/evaluations/${differing}`);
      return [r.status, r.text.includes('录入复核分'), r.text.includes('>复验</button>'), r.text.includes('提出申诉'), r.text.includes('<h3>上传佐证材料</h3>')];
    };
    expect(await forms('reviewer')).toEqual([200, true, true, false, false]);
    expect(await forms('bureau')).toEqual([200, false, true, false, false]);
    expect(await forms('unit')).toEqual([200, false, true, true, true]);
    expect((await forms('otherUnit'))[0]).toBe(404);
  });

  it('a review score without a reason is refused beside the field and nothing is stored', async () => {
    const b = await signedIn('reviewer');
    const r = await b.post(`/evaluations/${differing}/review`, { 'points.decisionBasis': '4', 'reason.decisionBasis': '  ', comment: '' });
    expect(r.status).toBe(422);
    expect(byId(r.text, 'review-error')).toBe('复核内容有误，未保存');
    expect(byId(r.text, 'err-rv-reason-decisionBasis')).toBe('请填写复核理由（必填）');
    expect(r.text).toContain('value="4"'); // what was typed is kept
    const none = await b.post(`/evaluations/${differing}/review`, { 'points.decisionBasis': '', 'reason.decisionBasis': '' });
    expect(none.status).toBe(422);
    expect(byId(none.text, 'review-error')).toBe('请至少为一个指标填写复核分和理由');
    expect((await b.get('/evaluations?pending=1')).text).not.toContain('<td>已复核</td>');
  });

  it('points above the item’s maximum: the service’s message beside the field', async () => {
    const b = await signedIn('reviewer');
    const r = await b.post(`/evaluations/${differing}/review`, { 'points.decisionBasis': '6', 'reason.decisionBasis': '多给' });
    expect(r.status).toBe(422);
    expect(byId(r.text, 'review-error')).toBe('复核内容有误，未保存');
    expect(byId(r.text, 'err-rv-points-decisionBasis')).toMatch(/5/);
    const bad = await b.post(`/evaluations/${differing}/review`, { 'points.decisionBasis': '四', 'reason.decisionBasis': '理由' });
    expect(byId(bad.text, 'err-rv-points-decisionBasis')).toBe('应填写数字，如 3 或 2.5');
  });

  it('a reviewer records 4 of 5 for 论证决策 with a reason; the page and the queue show it', async () => {
    const b = await signedIn('reviewer');
    const r = await b.post(`/evaluations/${differing}/review`, { 'points.decisionBasis': '4', 'reason.decisionBasis': `立项依据不全${XSS}`, comment: '复核意见' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/evaluations/${differing}?done=review#review-heading`);
    const page = await b.get(`/evaluations/${differing}?done=review`);
    expect(page.text).toContain('复核分已保存。');
    expect(page.text).toContain(`<div>复核（${s.tokenIds.reviewer}）：立项依据不全&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x&gt;</div>`);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).toContain('<div class="muted">复算 100 分，复核后 99 分</div>');
    const queue = await b.get('/evaluations?pending=1');
    expect(listed(queue.text)).toEqual([expect.stringContaining('一致的项目')]);
  });

  it('verify: 复验一致 for the unit, 404 for another unit', async () => {
    const b = await signedIn('unit');
    const r = await b.post(`/evaluations/${agreed}/verify`, {});
    expect(r.status).toBe(200);
    expect(r.text).toContain('复验一致：按 gd-meizhou-2022 1.0.0 重新评分，结果与存储的结果完全相同（共 0 处差异），提交内容的校验值相符。');
    expect((await (await signedIn('otherUnit')).post(`/evaluations/${agreed}/verify`, {})).status).toBe(404);
  });

  it('review refused for units and the bureau (403); cross-site posts refused (403) and nothing stored', async () => {
    for (const role of ['unit', 'bureau'] as const) {
      const r = await (await signedIn(role)).post(`/evaluations/${agreed}/review`, { 'points.decisionBasis': '1', 'reason.decisionBasis': 'x' });
      expect(r.status, role).toBe(403);
      expect(r.text).toContain('只有复核人员可以录入复核分');
    }
    const b = await signedIn('reviewer');
    const cross = await b.post(`/evaluations/${agreed}/review`, { 'points.decisionBasis': '1', 'reason.decisionBasis': 'x' }, { Origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.text).toContain('跨站提交已拒绝');
    expect((await b.get('/evaluations?pending=1')).text).toContain('一致的项目');
  });
});

describe('申诉', () => {
  let disputeId = '';

  it('a unit disputes the review score of 论证决策, citing the criterion; blanks are told beside their fields', async () => {
    const b = await signedIn('unit');
    const blank = await b.post(`/evaluations/${differing}/disputes`, { itemId: 'decisionBasis', about: 'review', claimedPoints: '5', criterion: ' ', reason: '' });
    expect(blank.status).toBe(422);
    expect(byId(blank.text, 'err-dp-criterion')).toBe('请写明引用的评分标准（必填）');
    expect(byId(blank.text, 'err-dp-reason')).toBe('请写明申诉理由（必填）');
    // a review dispute where there is no review score: the service says so beside 申诉的分数
    const noReview = await b.post(`/evaluations/${agreed}/disputes`, { itemId: 'decisionBasis', about: 'review', criterion: '标准', reason: '理由' });
    expect(noReview.status).toBe(422);
    expect(byId(noReview.text, 'err-dp-about')).toBe('指标「论证决策」还没有复核分，只能对复算分申诉');
    const r = await b.post(`/evaluations/${differing}/disputes`, { itemId: 'decisionBasis', about: 'review', claimedPoints: '5', criterion: `立项依据充分${XSS}`, reason: '附件有批复文件' });
    expect(r.status).toBe(303);
    const page = await b.get(`/evaluations/${differing}?done=dispute`);
    expect(page.text).toContain('申诉已提交，等待复核人员答复。');
    expect(page.text).toContain('论证决策：对复核分 4 分申诉');
    expect(page.text).toContain('（待答复）');
    expect(page.text).toContain('<dd>立项依据充分&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x&gt;</dd>');
    disputeId = /data-dispute="(dp_[^"]+)"/.exec(page.text)![1]!;
    expect(page.text).not.toContain('提交答复'); // the unit has no answer form
  });

  it('another unit sees nothing of it; a reviewer may not raise one; a unit may not answer', async () => {
    const other = await signedIn('otherUnit');
    expect((await other.get(`/evaluations/${differing}`)).status).toBe(404);
    expect((await other.post(`/evaluations/${differing}/disputes`, { itemId: 'decisionBasis', about: 'recomputed', criterion: 'c', reason: 'r' })).status).toBe(404);
    const reviewer = await signedIn('reviewer');
    const raised = await reviewer.post(`/evaluations/${differing}/disputes`, { itemId: 'decisionBasis', about: 'recomputed', criterion: 'c', reason: 'r' });
    expect(raised.status).toBe(403);
    expect(raised.text).toContain('只有预算单位可以提出申诉');
    const unit = await signedIn('unit');
    const answered = await unit.post(`/evaluations/${differing}/disputes/${disputeId}/answer`, { decision: 'accepted', points: '5', reason: 'r' });
    expect(answered.status).toBe(403);
    expect(answered.text).toContain('只有复核人员可以答复申诉');
  });

  it('the reviewer accepts: points are required; then 5 is recorded as the review score and the history kept', async () => {
    const b = await signedIn('reviewer');
    const noPoints = await b.post(`/evaluations/${differing}/disputes/${disputeId}/answer`, { decision: 'accepted', points: '', reason: '材料充分' });
    expect(noPoints.status).toBe(422);
    expect(byId(noPoints.text, `err-an-${disputeId}-points`)).toBe('接受申诉时请填写复核分');
    const noDecision = await b.post(`/evaluations/${differing}/disputes/${disputeId}/answer`, { reason: '' });
    expect(byId(noDecision.text, `err-an-${disputeId}-decision`)).toBe('请选择接受或驳回');
    expect(byId(noDecision.text, `err-an-${disputeId}-reason`)).toBe('请填写答复理由（必填）');
    // a minute later than the review it overrides (reviews at the same instant have no defined order)
    s.advance(60_000);
    const r = await b.post(`/evaluations/${differing}/disputes/${disputeId}/answer`, { decision: 'accepted', points: '5', reason: '批复文件齐全' });
    expect(r.status).toBe(303);
    const page = await b.get(`/evaluations/${differing}`);
    expect(page.text).toContain('（已接受）');
    expect(page.text).toMatch(/接受，复核分记为 5 分（2026-03-02T09:01:01\.000Z）/);
    expect(page.text).toContain('<dd>批复文件齐全</dd>');
    expect(page.text).toContain('<div class="muted">复算 100 分，复核后 100 分</div>');
    // answered once: a second answer is refused at the top, 409
    const again = await b.post(`/evaluations/${differing}/disputes/${disputeId}/answer`, { decision: 'rejected', reason: '改主意' });
    expect(again.status).toBe(409);
    expect(byId(again.text, 'answer-error')).toBe(`申诉「${disputeId}」已经答复过，答复不可更改`);
  });

  it('a rejection keeps the points and says why', async () => {
    const unit = await signedIn('unit');
    expect((await unit.post(`/evaluations/${agreed}/disputes`, { itemId: 'targetSetting', about: 'recomputed', criterion: '目标设置', reason: '应得满分' })).status).toBe(303);
    const reviewer = await signedIn('reviewer');
    const id = /data-dispute="(dp_[^"]+)"/.exec((await reviewer.get(`/evaluations/${agreed}`)).text)![1]!;
    const withPoints = await reviewer.post(`/evaluations/${agreed}/disputes/${id}/answer`, { decision: 'rejected', points: '3', reason: '不成立' });
    expect(withPoints.status).toBe(422);
    expect(byId(withPoints.text, `err-an-${id}-points`)).toBe('驳回申诉时不给分（分数维持不变）');
    expect((await reviewer.post(`/evaluations/${agreed}/disputes/${id}/answer`, { decision: 'rejected', reason: '已是满分' })).status).toBe(303);
    const page = await unit.get(`/evaluations/${agreed}`);
    expect(page.text).toContain('（已驳回）');
    expect(page.text).toContain('驳回，分数维持不变');
  });
});

describe('佐证材料', () => {
  let evidencePath = '';

  it('a unit uploads a PDF to an item (Chinese name); it is listed with its size', async () => {
    const b = await signedIn('unit');
    const r = await upload(b, `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, { name: '立项批复.pdf', bytes: PDF });
    expect(r.status).toBe(303);
    const page = await b.get(`/evaluations/${agreed}?done=evidence`);
    expect(page.text).toContain('佐证材料已上传。');
    const m = /<a href="(\/evaluations\/[^"]+\/evidence\/ed_[^"]+)" download="立项批复.pdf">立项批复.pdf<\/a>/.exec(page.text);
    expect(m).not.toBeNull();
    evidencePath = m![1]!;
    expect(page.text).toContain(`<td class="num">${PDF.length} 字节</td>`);
  });

  it('an SVG is refused (422), beside the file field, and nothing is stored', async () => {
    const b = await signedIn('unit');
    const r = await upload(b, `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, { name: 'chart.svg', bytes: SVG });
    expect(r.status).toBe(422);
    expect(byId(r.text, 'evidence-error')).toBe('不接受这种文件');
    expect(byId(r.text, 'err-ev-file')).toBe('佐证材料只接受 PDF、PNG/JPEG 图片和 Office 文档；该文件不是其中任何一种（如 SVG、HTML、脚本或纯文本）');
    expect(r.text.match(/\/evidence\/ed_/g)).toHaveLength(1);
    const empty = await upload(b, `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, null);
    expect(empty.status).toBe(422);
    expect(byId(empty.text, 'err-ev-file')).toBe('请选择要上传的文件');
  });

  it('downloads: attachment with the UTF-8 name, nosniff, the same bytes — for the unit, the reviewer and the bureau only', async () => {
    for (const role of ['unit', 'reviewer', 'bureau'] as const) {
      const d = await download(await signedIn(role), evidencePath);
      expect(d.status, role).toBe(200);
      expect(d.headers.get('content-disposition')).toBe(`attachment; filename="____.pdf"; filename*=UTF-8''${encodeURIComponent('立项批复')}.pdf`);
      expect(d.headers.get('x-content-type-options')).toBe('nosniff');
      expect(d.headers.get('content-type')).toBe('application/octet-stream');
      expect(d.bytes).toEqual(PDF);
    }
    const other = await download(await signedIn('otherUnit'), evidencePath);
    expect(other.status).toBe(404);
    expect(new TextDecoder().decode(other.bytes)).toContain('404 页面或记录不存在');
    expect((await download(new Browser(s), evidencePath)).status).toBe(303);
  });

  it('upload refused to reviewers (403), to another unit (404), cross-site (403)', async () => {
    const file = { name: 'a.pdf', bytes: PDF };
    const reviewer = await upload(await signedIn('reviewer'), `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, file);
    expect(reviewer.status).toBe(403);
    expect(reviewer.text).toContain('只有预算单位可以上传佐证材料');
    expect((await upload(await signedIn('otherUnit'), `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, file)).status).toBe(404);
    const unit = await signedIn('unit');
    expect((await upload(unit, `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, file, 'https://evil.example')).status).toBe(403);
    expect((await unit.get(`/evaluations/${agreed}`)).text.match(/\/evidence\/ed_/g)).toHaveLength(1);
  });

  it('a file over 20 MB: the HTML 413 page', async () => {
    const b = await signedIn('unit');
    const big = new Uint8Array(21 * 1024 * 1024);
    big.set(PDF);
    const r = await upload(b, `/evaluations/${agreed}/evidence`, { itemId: 'decisionBasis' }, { name: 'big.pdf', bytes: big });
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(h1(r.text)).toBe('413 内容过大');
    expect(r.text).toContain(`请求体超过上限 ${20 * 1024 + 64} KiB`);
  });
});

describe('rule sets', () => {
  const meizhou = () => structuredClone(ruleSet('gd-meizhou-2022')) as any;
  const publishFile = (b: Browser, name: string, json: unknown, origin?: string) =>
    upload(b, '/rulesets/publish', {}, { name, bytes: new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json)) }, origin);

  it('the catalogue lists every rule set with its versions, for every role', async () => {
    for (const role of ['unit', 'reviewer', 'bureau'] as const) {
      const r = await (await signedIn(role)).get('/rulesets');
      expect(r.status, role).toBe(200);
      expect(r.text).toContain('<a href="/rulesets/gd-meizhou-2022/1.0.0">1.0.0</a>');
      expect(r.text).toContain('项目绩效自评信息指标评分表（广东梅州，2022 年度）');
      expect(r.text.includes('<a href="/rulesets/publish">发布新版本</a>')).toBe(role === 'bureau');
    }
  });

  it('a version’s page is the printable table: indicators, points, checklist deductions, methods and criteria in Chinese', async () => {
    const r = await (await signedIn('unit')).get('/rulesets/gd-meizhou-2022/1.0.0');
    expect(r.status).toBe(200);
    expect(h1(r.text)).toBe('项目绩效自评信息指标评分表（广东梅州，2022 年度）（1.0.0）');
    expect(r.text).toMatch(/<tr class="level-3" data-indicator="decisionBasis"><th scope="row"><span class="muted">三级指标<\/span> 论证决策<\/th><td class="num">5<\/td>/);
    expect(r.text).toContain('<li>立项依据充分，符合法律法规、相关政策和发展规划（未满足扣 2 分）</li>');
    expect(r.text).toContain('<strong>各项要求均满足</strong>：未满足的要求数 = 0。计分方法：满分。');
    expect(r.text).toContain('这是该规则集的第一个版本。');
    expect((await (await signedIn('unit')).get('/rulesets/gd-meizhou-2022/9.9.9')).status).toBe(404);
    const newest = await (await signedIn('unit')).get('/rulesets/gd-meizhou-2022');
    expect(newest.headers.get('location')).toBe('/rulesets/gd-meizhou-2022/1.0.0');
  });

  it('publishing is the bureau’s: others get 403 on the page and the post', async () => {
    for (const role of ['unit', 'reviewer'] as const) {
      const b = await signedIn(role);
      const page = await b.get('/rulesets/publish');
      expect(page.status, role).toBe(403);
      expect(page.text).toContain('只有财政局可以发布规则集新版本');
      expect((await publishFile(b, 'x.json', meizhou())).status).toBe(403);
    }
    expect((await (await signedIn('bureau')).get('/rulesets/publish')).status).toBe(200);
  });

  it('a rule set whose points do not add up: 422 with the checker’s diagnostics listed, code and path, escaped', async () => {
    const doc = meizhou();
    doc.version = '1.0.1';
    doc.indicators[0].children[0].children[0].points = 6; // 论证决策 5 → 6: 项目立项 no longer adds up
    doc.title = `梅州${XSS}`;
    const r = await publishFile(await signedIn('bureau'), '梅州-有误.json', doc);
    expect(r.status).toBe(422);
    const box = /<div class="error-box" role="alert" id="publish-error">(.*?)<\/div>/s.exec(r.text)![1]!;
    expect(box).toContain('<p>「梅州-有误.json」未发布：规则集未通过检查，未发布</p>');
    expect(box).toContain('<li><code>$.ruleset.indicators[0].children[0].points</code>：TREE_SUM_MISMATCH（treeSums）：「项目立项」分值 14 分，但其下级指标分值之和为 15 分</li>');
    // the shipped cases fail too, each named by its file
    expect(box).toContain('<li><code>rules/gd-meizhou-2022/cases/seed-meizhou-2022.json</code>：CASE_FAILED（goldenCases）：用例「种子案例：梅州市住房公积金管理中心 网络系统运行服务费（2022）」未通过：总分为 101，期望 100</li>');
    const stated = Number(/检查发现 (\d+) 个问题/.exec(box)![1]);
    expect(box.match(/<li>/g)).toHaveLength(stated);
    expect(r.text).not.toContain('<script>alert');
    expect((await (await signedIn('bureau')).get('/rulesets/gd-meizhou-2022/1.0.1')).status).toBe(404);
  });

  it('a file that is not JSON, and no file, are told at the top', async () => {
    const b = await signedIn('bureau');
    const notJson = await publishFile(b, 'a.json', '{"id": ');
    expect(notJson.status).toBe(422);
    expect(notJson.text).toContain('<p>「a.json」未发布：文件不是有效的 JSON：');
    const none = await upload(b, '/rulesets/publish', {}, null);
    expect(none.status).toBe(422);
    expect(byId(none.text, 'publish-error')).toContain('请选择要上传的规则集文件');
    expect((await publishFile(b, 'x.json', meizhou(), 'https://evil.example')).status).toBe(403);
  });

  it('a good version is published: the version page says so and lists its change from 1.0.0', async () => {
    const doc = meizhou();
    doc.version = '1.1.0';
    doc.changelog = '论证决策的扣分调整';
    doc.indicators[0].children[0].children[0].checklist[0].deduction = 3;
    const b = await signedIn('bureau');
    const r = await publishFile(b, 'meizhou-1.1.0.json', doc);
    expect(r.status, r.text.slice(0, 3000)).toBe(303);
    expect(r.headers.get('location')).toBe('/rulesets/gd-meizhou-2022/1.1.0?published=created');
    const page = await b.get(r.headers.get('location')!);
    expect(page.text).toContain('已发布：gd-meizhou-2022 1.1.0。');
    expect(page.text).toContain('立项依据充分，符合法律法规、相关政策和发展规划（未满足扣 3 分）');
    expect(page.text).toMatch(/<li>[^<]*立项依据充分[^<]*2[^<]*3[^<]*<\/li>/);
    const same = await publishFile(b, 'again.json', { ruleset: doc });
    expect(same.headers.get('location')).toBe('/rulesets/gd-meizhou-2022/1.1.0?published=same');
  });
});

it(`units stay in their own unit: ${OTHER} never sees ${UNIT}'s disputes or evidence`, async () => {
  const other = await signedIn('otherUnit');
  for (const path of [`/evaluations/${agreed}`, `/evaluations/${differing}`]) expect((await other.get(path)).status).toBe(404);
  expect((await other.get('/')).text).not.toContain('一致的项目');
});
