// Contract cases for the scored workbook and the Word 自评报告 draft of a stored evaluation: called inside contractSuite, so they run against every target (Node, workerd).
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { example } from '../support.js';
import type { ContractTarget } from './contract.js';
import { expectError } from './contract.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A second reader: the zip's parts as text (fflate), not the library that wrote them. */
function parts(bytes: Uint8Array): Map<string, string> {
  return new Map(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

export function documentsContract(target: () => ContractTarget): void {
  describe('evaluation documents (table.xlsx, report.docx)', () => {
    let id: string;
    beforeAll(async () => {
      const t = target();
      const r = await t.send('POST', '/v1/evaluations', { token: t.tokens.unit, json: example('meizhou-2022.json') });
      expect(r.status, r.text).toBe(201);
      id = r.body.id;
    });

    it('GET table.xlsx: the unit’s own evaluation as the scored 自评表, values not formulas, A4 landscape, frozen header', async () => {
      const t = target();
      const r = await t.send('GET', `/v1/evaluations/${id}/table.xlsx`, { token: t.tokens.unit });
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get('content-type')).toBe(XLSX);
      expect(r.headers.get('content-disposition')).toBe(
        `attachment; filename="${id}-table.xlsx"; filename*=UTF-8''${encodeURIComponent(`网络系统运行服务费-2022-自评表-${id}.xlsx`)}`,
      );
      const zip = parts(r.bytes);
      const sheet = zip.get('xl/worksheets/sheet1.xml')!;
      const strings = zip.get('xl/sharedStrings.xml')!;
      expect(strings).toContain('复算总分 100 / 100，等级 优秀');
      expect(strings).toContain('资金支付');
      expect(sheet).not.toContain('<f>');
      expect(sheet).toMatch(/<pageSetup[^>]*paperSize="9"[^>]*orientation="landscape"/);
      expect(sheet).toMatch(/<pane[^>]*ySplit="4"[^>]*state="frozen"/);
    });

    it('GET report.docx: the 自评报告 draft with the seven headings; a reviewer may read it too', async () => {
      const t = target();
      const r = await t.send('GET', `/v1/evaluations/${id}/report.docx`, { token: t.tokens.reviewer });
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get('content-type')).toBe(DOCX);
      expect(r.headers.get('content-disposition')).toContain(`filename="${id}-report.docx"`);
      const xml = parts(r.bytes).get('word/document.xml')!;
      for (const h of ['一、基本情况', '二、绩效自评工作组织情况', '三、绩效自评结论', '四、绩效指标分析', '五、主要绩效', '六、存在问题', '七、下一步工作计划']) {
        expect(xml).toContain(`<w:t xml:space="preserve">${h}</w:t>`);
      }
      expect(xml).toContain('本项目复算总分 100 分（满分 100 分），绩效等级为「优秀」');
    });

    it('another unit’s evaluation, or none, is 404 for both documents', async () => {
      const t = target();
      expectError(await t.send('GET', `/v1/evaluations/${id}/table.xlsx`, { token: t.tokens.otherUnit }), 404, 'NOT_FOUND');
      expectError(await t.send('GET', `/v1/evaluations/${id}/report.docx`, { token: t.tokens.otherUnit }), 404, 'NOT_FOUND');
      expectError(await t.send('GET', '/v1/evaluations/ev_000000000000000000000000/table.xlsx', { token: t.tokens.bureau }), 404, 'NOT_FOUND');
      expectError(await t.send('GET', '/v1/evaluations/ev_000000000000000000000000/report.docx', { token: t.tokens.bureau }), 404, 'NOT_FOUND');
    });

    it('without a token → 401', async () => {
      const t = target();
      expectError(await t.send('GET', `/v1/evaluations/${id}/report.docx`), 401, 'UNAUTHENTICATED');
    });
  });
}
