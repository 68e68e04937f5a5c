// Document routes (scored workbook and Word 自评报告 draft of a stored evaluation): handlers for contract.ts's routes.
import type { Handlers } from './handler.js';

export const documentHandlers: Handlers<never> = {};
