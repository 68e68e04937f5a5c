// Writes the samples under docs/samples/ for the meizhou example (the seed report's project) with a fixed date: the
// scored 自评表 workbook, the Word 自评报告 draft and its PDF rendering (LibreOffice). `tsx scripts/docs-samples.ts [dir]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportView } from '../src/report/view.js';
import { renderReportDraft } from '../src/report/word.js';
import { renderScoredWorkbook } from '../src/report/workbook.js';
import { scoreAndShow } from '../src/services/scoring.js';
import { convertWith, TO_PDF } from '../test/report/libreoffice.js';
import { example, shippedRegistry } from '../test/support.js';

/** Every sample carries this date (the documents' own dates; the zip containers' entry times are the writers'). */
export const SAMPLE_DATE = new Date('2026-01-15T00:00:00Z');
export const SAMPLE_DIR = fileURLToPath(new URL('../docs/samples/', import.meta.url));

export interface Sample {
  readonly file: string;
  /** bytes of the sample; `written` holds the samples made before it (the PDF is rendered from the Word draft) */
  readonly make: (written: ReadonlyMap<string, Uint8Array>) => Promise<Uint8Array>;
}

async function meizhouView() {
  const input = example('meizhou-2022.json') as any;
  const { whatItWouldTake, ...result } = await scoreAndShow(shippedRegistry(), input);
  return reportView({ result: result as any, input, whatItWouldTake });
}

export const SAMPLES: readonly Sample[] = [
  // Hook: the filled 自评表 template (src/workbook/, another part of the service) goes first here, e.g.
  // { file: 'meizhou-2022-template.xlsx', make: async () => fillTemplate(…, { now: SAMPLE_DATE }) },
  { file: 'meizhou-2022-scored.xlsx', make: async () => renderScoredWorkbook(await meizhouView(), { now: SAMPLE_DATE }) },
  { file: 'meizhou-2022-report.docx', make: async () => renderReportDraft(await meizhouView(), { now: SAMPLE_DATE }) },
  {
    file: 'meizhou-2022-report.pdf',
    make: async (written) => new Uint8Array(await convertWith(written.get('meizhou-2022-report.docx')!, 'meizhou-2022-report.docx', TO_PDF)),
  },
];

export async function writeSamples(dir: string): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written = new Map<string, Uint8Array>();
  for (const sample of SAMPLES) {
    const bytes = await sample.make(written);
    written.set(sample.file, bytes);
    writeFileSync(join(dir, sample.file), bytes);
  }
  return [...written.keys()].map((f) => join(dir, f));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await writeSamples(process.argv[2] ?? SAMPLE_DIR);
  files.forEach((f) => console.log(f));
}
