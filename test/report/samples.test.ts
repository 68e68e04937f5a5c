// The committed samples under docs/samples/ are what scripts/docs-samples.ts makes: regenerated into a temporary
// directory, each office file's LibreOffice text equals the committed one's; the PDF has as many pages.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_DIR, SAMPLES, writeSamples } from '../../scripts/docs-samples.js';
import { available, LIBREOFFICE } from '../system-parts.js';
import { csvOf, textOf } from './libreoffice.js';

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe.skipIf(!available(LIBREOFFICE))('docs/samples are regenerated unchanged', () => {
  it('scored workbook, Word draft and its PDF for the meizhou example', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jxzp-samples-'));
    await writeSamples(dir);
    for (const { file } of SAMPLES) {
      const fresh = readFileSync(join(dir, file));
      const committed = readFileSync(join(SAMPLE_DIR, file));
      if (file.endsWith('.xlsx')) expect(await csvOf(fresh, file), file).toBe(await csvOf(committed, file));
      else if (file.endsWith('.docx')) {
        const text = await textOf(fresh, file);
        expect(text, file).toBe(await textOf(committed, file));
        expect(text).toContain('（草稿，2026年1月15日由评分服务生成，试算；【】内为须由单位填写的内容）');
      } else {
        expect(fresh.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pages(fresh), file).toBe(pages(committed));
        expect(pages(committed)).toBeGreaterThan(1);
      }
    }
  }, 240_000);
});
