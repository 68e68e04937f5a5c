// The 自评表 workbook: template out (blank or prefilled), filled workbook in (bounded, structure-checked, cell-mapped).
import { DomainError } from '../domain/errors.js';
import type { CompiledRuleSet } from '../engine/compiled.js';
import { readWorkbook, workbookRuleSet, type ReadWorkbook } from './read.js';

export { buildTemplate, type Template } from './template.js';
export { readWorkbook, workbookRuleSet, withCells, EXTRA_ROWS, type ReadWorkbook } from './read.js';
export { XLSX_MEDIA_TYPE } from './xlsx-write.js';
export { ZIP_LIMITS } from './unzip.js';
export { MAIN_SHEET, META_SHEET, GUIDE_SHEET, ROWS_PER_SLOT } from './layout.js';

/** Reads an uploaded workbook with the rule-set version its hidden sheet names, looked up by the caller. */
export async function submissionFromWorkbook(
  bytes: Uint8Array,
  lookup: (id: string, version: string) => Promise<CompiledRuleSet | undefined>,
): Promise<ReadWorkbook> {
  const { id, version } = workbookRuleSet(bytes);
  const compiled = await lookup(id, version);
  if (!compiled) {
    throw new DomainError('SUBMISSION_INVALID', `此工作簿是规则集 ${id} ${version} 的模板，服务中没有该版本`, [
      { path: '$.ruleset', message: `没有规则集 ${id} ${version}（${'规则集'}!B1:B2）` },
    ]);
  }
  return readWorkbook(bytes, compiled);
}
