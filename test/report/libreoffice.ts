// LibreOffice headless as a second reader of the office files we write: convert to text, UTF-8 CSV or PDF in a private
// profile, in its own process group, killed with its children on timeout.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertWithLibreOffice } from '../system-parts.js';

export const TO_TEXT = 'txt:Text';
/** UTF-8 (76), comma-separated (44), double-quoted (34) */
export const TO_CSV = 'csv:Text - txt - csv (StarCalc):44,34,76';
export const TO_PDF = 'pdf';

/** Converts `bytes` (a file named `name`) with `soffice --convert-to <filter>`; returns the converted file's bytes. */
export async function convertWith(bytes: Uint8Array, name: string, filter: string, timeoutMs = 90_000): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'jxzp-lo-'));
  try {
    const input = join(dir, name);
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(input, bytes);
    await convertWithLibreOffice(dir, filter, out, [input], timeoutMs);
    const produced = readdirSync(out);
    if (produced.length !== 1) throw new Error(`LibreOffice produced ${produced.length} files for ${name} (${filter})`);
    return readFileSync(join(out, produced[0]!));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function textOf(bytes: Uint8Array, name: string): Promise<string> {
  return (await convertWith(bytes, name, TO_TEXT)).toString('utf8');
}

export async function csvOf(bytes: Uint8Array, name: string): Promise<string> {
  return (await convertWith(bytes, name, TO_CSV)).toString('utf8');
}
