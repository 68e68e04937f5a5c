// Workbook routes (the 自评表 template and workbook uploads): handlers for the routes contract.ts declares.
import type { Handlers } from './handler.js';

export const workbookHandlers: Handlers<never> = {};
