// Contract cases for the scored workbook and the Word 自评报告 draft of a stored evaluation: called inside contractSuite, so they run against every target (Node, workerd).
import type { ContractTarget } from './contract.js';

export function documentsContract(target: () => ContractTarget): void {
  void target;
}
