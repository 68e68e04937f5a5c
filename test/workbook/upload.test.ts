// Workbook uploads over HTTP (createApp on a fresh SQLite database): the meizhou example through template → upload →
// 100 / 优; errors naming their cells; every hostile file of the issue answered 413 or 422 in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_MEDIA_TYPE } from '../../src/workbook/index.js';
import { startTestService, type TestService } from '../http/harness.js';
import { example } from '../support.js';
import {
  editParts,
  encryptedOle2,
  inputAddress,
  lyingZip,
  millionRows,
  notAZip,
  replaceCell,
  templateOf,
  zipBomb,
} from './files.js';

const XLSX = { 'Content-Type': XLSX_MEDIA_TYPE };

describe('POST /v1/evaluations with a workbook', () => {
  let service: TestService;
  const meizhou = () => templateOf(example('meizhou-2022.json'));
  const upload = (bytes: Uint8Array, headers: Record<string, string> = {}) =>
    service.send('POST', '/v1/evaluations', { token: service.tokens.unit, binary: bytes, headers: { ...XLSX, ...headers } });
  const expectRefusal = (r: Awaited<ReturnType<typeof upload>>, status: number, code: string) => {
    expect(r.status, r.text).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.text).not.toMatch(/\n\s+at |\.ts:\d+/);
  };

  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service.close();
  });

  it('the meizhou example: template from the service, prefilled from its stored evaluation, uploaded → 201, 100 / 优', async () => {
    const json = await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, json: example('meizhou-2022.json') });
    expect(json.status, json.text).toBe(201);
    const template = await service.send('GET', `/v1/rulesets/gd-meizhou-2022/1.0.0/template.xlsx?from=${json.body.id}`, { token: service.tokens.unit });
    expect(template.status, template.text).toBe(200);
    expect(template.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
    expect(template.headers.get('content-disposition')).toBe(
      `attachment; filename="gd-meizhou-2022-1.0.0-.xlsx"; filename*=UTF-8''gd-meizhou-2022-1.0.0-${encodeURIComponent('自评表')}.xlsx`,
    );
    const r = await upload(template.bytes);
    expect(r.status, r.text).toBe(201);
    expect(r.body.result.total).toBe(100);
    expect(r.body.result.grade).toMatchObject({ code: 'excellent', name: '优' });
    expect(r.headers.get('location')).toBe(`/v1/evaluations/${r.body.id}`);
    // the same evaluation as the JSON submission: same result, byte for byte
    expect(JSON.stringify(r.body.result)).toBe(JSON.stringify(json.body.result));
    expect(r.body.input.ruleset).toEqual({ id: 'gd-meizhou-2022', version: '1.0.0' });
  });

  it('an Idempotency-Key makes a repeated upload a replay', async () => {
    const { bytes } = await meizhou();
    const first = await upload(bytes, { 'Idempotency-Key': 'wb-1' });
    const again = await upload(bytes, { 'Idempotency-Key': 'wb-1' });
    expect(first.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  it('the usual validation, each error naming its cell', async () => {
    const { bytes, compiled } = await meizhou();
    const spent = inputAddress(compiled, ['facts', 'payment', 'spent']);
    const arrived = inputAddress(compiled, ['facts', 'fundsArrival', 'arrived']);
    let broken = replaceCell(bytes, spent, `<c r="${spent}" s="6"/>`);
    broken = replaceCell(broken, arrived, `<c r="${arrived}" s="6" t="inlineStr"><is><t>四十四</t></is></c>`);
    const r = await upload(broken);
    expectRefusal(r, 422, 'SUBMISSION_INVALID');
    expect(r.body.error.details).toEqual([
      { path: '$.facts.fundsArrival.arrived', message: `「实际到位资金」应为数值（自评表!${arrived}）` },
      { path: '$.facts.payment.spent', message: `缺少「实际支出」（万元）（自评表!${spent}）` },
    ]);
  });

  it('a unit name of another unit is refused like JSON, naming the cell', async () => {
    const { bytes } = await meizhou();
    const r = await upload(replaceCell(bytes, 'F4', '<c r="F4" s="6" t="inlineStr"><is><t>demo-county-transport</t></is></c>'));
    expect(r.status, r.text).toBe(403);
    expect(r.body.error.details.map((d: { message: string }) => d.message).join()).toContain('（自评表!F4）');
  });

  describe('hostile files', () => {
    it('not a zip → 422', async () => {
      const r = await upload(notAZip());
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.message).toBe('上传的文件不是 Excel 工作簿（.xlsx）：请用本系统生成的自评表模板填写后上传');
    });
    it('an encrypted (OLE2) file → 422 文件已加密', async () => {
      const r = await upload(encryptedOle2());
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.message).toMatch(/^文件已加密/);
    });
    it('a zip bomb (honest header, 64 MiB of blanks) → 413 from its central directory', async () => {
      const r = await upload(zipBomb(64));
      expectRefusal(r, 413, 'PAYLOAD_TOO_LARGE');
      expect(r.body.error.message).toBe('工作簿中的「xl/worksheets/sheet1.xml」解压后 67108864 字节，超过上限 20 MiB');
    });
    it('a lying zip header (declares 2 KiB, inflates to 64 MiB) → 413 from the running cap', async () => {
      const r = await upload(lyingZip((await meizhou()).bytes, 64));
      expectRefusal(r, 413, 'PAYLOAD_TOO_LARGE');
      expect(r.body.error.message).toBe('工作簿中的「xl/workbook.xml」解压后超过其声明的 2048 字节（zip 头信息不实），已拒绝');
    });
    it('a million rows under the size limit → 413 at the row limit', async () => {
      const bytes = millionRows((await meizhou()).bytes);
      expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
      const r = await upload(bytes);
      expectRefusal(r, 413, 'PAYLOAD_TOO_LARGE');
      expect(r.body.error.message).toBe('工作表「自评表」的行数超过上限 1054（模板行数 + 1000），请勿在表中追加大量行');
    });
    it('a file over 2 MiB → 413 before it is read', async () => {
      const r = await upload(new Uint8Array(2 * 1024 * 1024 + 1).fill(0x50));
      expectRefusal(r, 413, 'PAYLOAD_TOO_LARGE');
    });
    it('a formula without a saved result → 422 naming the cell', async () => {
      const { bytes, compiled } = await meizhou();
      const cell = inputAddress(compiled, ['facts', 'payment', 'spent']);
      const r = await upload(replaceCell(bytes, cell, `<c r="${cell}" s="6"><f>F30*1</f></c>`));
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.details).toEqual([
        { path: '$', message: `单元格 自评表!${cell} 是公式但没有保存计算结果：请在 Excel 或 WPS 中重新计算并保存，或改填数值` },
      ]);
    });
    it('a formula with a saved result → read as that value, with a warning header', async () => {
      const { bytes, compiled } = await meizhou();
      const cell = inputAddress(compiled, ['facts', 'payment', 'spent']);
      const r = await upload(replaceCell(bytes, cell, `<c r="${cell}" s="6"><f>44.99*1</f><v>44.99</v></c>`));
      expect(r.status, r.text).toBe(201);
      expect(r.body.result.total).toBe(100);
      expect(r.headers.get('workbook-formula-cells')).toBe(cell);
    });
    it('the template of a version the service does not have → 422', async () => {
      const r = await upload(editParts((await meizhou()).bytes, { 'xl/sharedStrings.xml': (s) => s.replace('<t>1.0.0</t>', '<t>9.9.9</t>') }));
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.message).toBe('此工作簿是规则集 gd-meizhou-2022 9.9.9 的模板，服务中没有该版本');
    });
    it('a hash that is not the version\'s → 422', async () => {
      const { bytes, compiled } = await meizhou();
      const r = await upload(editParts(bytes, { 'xl/sharedStrings.xml': (s) => s.replace(compiled.sha256, 'a'.repeat(64)) }));
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.message).toBe(`此工作簿所依据的规则集 gd-meizhou-2022 1.0.0 的内容（sha256 aaaaaaaaaaaa…）与服务中的（${compiled.sha256.slice(0, 12)}…）不一致：请重新下载模板`);
    });
    it('an edited indicator label → 422 naming the cell', async () => {
      const r = await upload(editParts((await meizhou()).bytes, { 'xl/sharedStrings.xml': (s) => s.replace('>论证决策<', '>论证与决策<') }));
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.message).toBe('工作簿的结构被改动（指标、标题或隐藏的规则集工作表与模板不符），无法读取：请在新下载的模板中填写');
      expect(r.body.error.details).toEqual([{ path: '$', message: '自评表!C13 应为「论证决策」，现为「论证与决策」' }]);
    });
    it('a renamed sheet → 422', async () => {
      const r = await upload(editParts((await meizhou()).bytes, { 'xl/workbook.xml': (s) => s.replace('name="填写说明"', 'name="说明"') }));
      expectRefusal(r, 422, 'SUBMISSION_INVALID');
      expect(r.body.error.message).toBe('工作簿的工作表应为 「自评表」、「填写说明」、「规则集」，收到的是 「自评表」、「说明」、「规则集」：请用本系统生成的自评表模板填写，不要增删或改名工作表');
    });
    it('a workbook of another table → 422 (its hidden sheet names another rule set)', async () => {
      const national = (await templateOf(example('national-training-2023.json'))).bytes;
      const r = await upload(national);
      // it is a valid template, so it is read: then refused for what it holds (the unit is not ours)
      expect(r.status).toBe(403);
      const swapped = editParts((await meizhou()).bytes, { 'xl/worksheets/sheet3.xml': () => new TextDecoder().decode(unzipPart(national, 'xl/worksheets/sheet3.xml')) });
      const s = await upload(swapped);
      expectRefusal(s, 422, 'SUBMISSION_INVALID');
    });
  });

  it('415 for any other content type, telling both', async () => {
    const r = await service.send('POST', '/v1/evaluations', { token: service.tokens.unit, binary: (await meizhou()).bytes, headers: { 'Content-Type': 'application/zip' } });
    expectRefusal(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(r.body.error.message).toBe(`请求体应为 JSON（application/json）或填好的自评表工作簿（${XLSX_MEDIA_TYPE}）`);
  });
});

import { unzipSync } from 'fflate';
function unzipPart(bytes: Uint8Array, name: string): Uint8Array {
  return unzipSync(bytes)[name]!;
}
