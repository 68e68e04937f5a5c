// LibreOffice headless on many files in one run (one start-up for all): a private profile, its own process group,
// killed with its children on timeout or when done.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertWithLibreOffice } from '../system-parts.js';

export const TO_XLSX = 'xlsx:Calc MS Excel 2007 XML';
/** tab-separated UTF-8 text: the plain `txt:Text` filter is Writer's and fails on a spreadsheet */
export const TO_TEXT = 'txt:Text - txt - csv (StarCalc):9,34,76';
/** UTF-8 (76), comma-separated (44), double-quoted (34) */
export const TO_CSV = 'csv:Text - txt - csv (StarCalc):44,34,76';

/** Converts each file (name → bytes) with `soffice --convert-to <filter>`; the converted bytes by input name. */
export async function convertAll(files: ReadonlyMap<string, Uint8Array>, filter: string, extension: string, timeoutMs = 180_000): Promise<Map<string, Buffer>> {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-wb-lo-'));
  try {
    const inputs = join(dir, 'in');
    const out = join(dir, 'out');
    mkdirSync(inputs);
    mkdirSync(out);
    const paths: string[] = [];
    for (const [name, bytes] of files) {
      const path = join(inputs, `${name}.xlsx`);
      writeFileSync(path, bytes);
      paths.push(path);
    }
    await convertWithLibreOffice(dir, filter, out, paths, timeoutMs);
    return new Map([...files.keys()].map((name) => [name, readFileSync(join(out, `${name}.${extension}`))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
