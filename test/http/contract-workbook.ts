// Contract cases for the 自评表 workbook template and workbook uploads (POST /v1/evaluations with a workbook): called inside contractSuite, so they run against every target (Node, workerd).
import { describe, expect, it } from 'vitest';
import { XLSX_MEDIA_TYPE } from '../../src/workbook/index.js';
import { XlsxReader } from '../../src/workbook/xlsx-read.js';
import { example } from '../support.js';
import { encryptedOle2, inputAddress, lyingZip, registryOf, replaceCell } from '../workbook/files.js';
import { expectError, type ContractTarget } from './contract.js';

export function workbookContract(target: () => ContractTarget): void {
  describe('自评表 workbook: template and upload', () => {
    const xlsx = { 'Content-Type': XLSX_MEDIA_TYPE };
    const template = (path: string, token = target().tokens.unit) => target().send('GET', path, { token });

    it('GET the template of a version: the form, its hidden sheet naming the version and hash', async () => {
      const r = await template('/v1/rulesets/gd-meizhou-2022/1.0.0/template.xlsx');
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get('content-type')).toBe(XLSX_MEDIA_TYPE);
      // read back with the service's own bounded reader (it writes with another module)
      const reader = new XlsxReader(r.bytes);
      expect(reader.sheets).toEqual([
        { name: '自评表', hidden: false },
        { name: '填写说明', hidden: false },
        { name: '规则集', hidden: true },
      ]);
      const meta = reader.cells('规则集', 200);
      const compiled = registryOf().get('gd-meizhou-2022', '1.0.0')!;
      expect([meta.get('B1')?.value, meta.get('B2')?.value, meta.get('B3')?.value]).toEqual(['gd-meizhou-2022', '1.0.0', compiled.sha256]);
      const main = reader.cells('自评表', 200);
      expect(main.get('C13')?.value).toBe('论证决策');
      expect(main.get(inputAddress(compiled, ['facts', 'fundsArrival', 'budget']))?.value).toBeNull();
    });

    it('prefilled from a stored evaluation (?from=), uploaded as a workbook → 201, 100 / 优', async () => {
      const stored = await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, json: example('meizhou-2022.json') });
      expect(stored.status, stored.text).toBe(201);
      const t = await template(`/v1/rulesets/gd-meizhou-2022/1.0.0/template.xlsx?from=${stored.body.id}`);
      expect(t.status, t.text).toBe(200);
      const r = await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: t.bytes, headers: xlsx });
      expect(r.status, r.text).toBe(201);
      expect(r.body.result.total).toBe(100);
      expect(r.body.result.grade).toMatchObject({ code: 'excellent', name: '优' });
      expect(JSON.stringify(r.body.result)).toBe(JSON.stringify(stored.body.result));
      // another unit cannot prefill from it: as if it did not exist
      expectError(await template(`/v1/rulesets/gd-meizhou-2022/1.0.0/template.xlsx?from=${stored.body.id}`, target().tokens.otherUnit), 404, 'NOT_FOUND');
    });

    it('unknown version → 404; unknown query parameter → 400', async () => {
      expectError(await template('/v1/rulesets/gd-meizhou-2022/9.9.9/template.xlsx'), 404, 'NOT_FOUND');
      expectError(await template('/v1/rulesets/gd-meizhou-2022/1.0.0/template.xlsx?prefill=1'), 400, 'BAD_REQUEST');
    });

    it('an invalid workbook → 422 with each error naming its cell; hostile files → 422 / 413', async () => {
      const compiled = registryOf().get('gd-meizhou-2022', '1.0.0')!;
      const t = await template('/v1/rulesets/gd-meizhou-2022/1.0.0/template.xlsx');
      const r = await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: t.bytes, headers: xlsx });
      expectError(r, 422, 'SUBMISSION_INVALID');
      // a blank template: nothing of the project was filled in, told at its first cell
      expect(r.body.error.details).toEqual([{ path: '$.project', message: '缺少必填项「project」（自评表!F2）' }]);
      const spent = inputAddress(compiled, ['facts', 'payment', 'spent']);
      const encrypted = await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: encryptedOle2(), headers: xlsx });
      expectError(encrypted, 422, 'SUBMISSION_INVALID');
      expect(encrypted.body.error.message).toMatch(/^文件已加密/);
      const lying = await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: lyingZip(t.bytes, 32), headers: xlsx });
      expectError(lying, 413, 'PAYLOAD_TOO_LARGE');
      const formula = replaceCell(t.bytes, spent, `<c r="${spent}" s="6"><f>1+1</f></c>`);
      const noCache = await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: formula, headers: xlsx });
      expectError(noCache, 422, 'SUBMISSION_INVALID');
      expect(noCache.body.error.details[0].message).toContain(`自评表!${spent}`);
    });

    it('a workbook over 2 MiB → 413; a JSON body over 1 MiB stays 413 as before', async () => {
      const big = new Uint8Array(2 * 1024 * 1024 + 10).fill(0x50);
      expectError(await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: big, headers: xlsx }), 413, 'PAYLOAD_TOO_LARGE');
      // 1.5 MiB is within the workbook limit: it gets as far as the reader (not a zip)
      const within = new Uint8Array(1.5 * 1024 * 1024).fill(0x50);
      expectError(await target().send('POST', '/v1/evaluations', { token: target().tokens.unit, binary: within, headers: xlsx }), 422, 'SUBMISSION_INVALID');
    });
  });
}
