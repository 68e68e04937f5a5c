// Contract cases for the 自评表 workbook template and workbook uploads (POST /v1/evaluations with a workbook): called inside contractSuite, so they run against every target (Node, workerd).
import type { ContractTarget } from './contract.js';

export function workbookContract(target: () => ContractTarget): void {
  void target;
}
