// Report views of the shipped examples (trial scores), as every renderer's test starts from them.
import { reportView, type ReportView } from '../../src/report/view.js';
import { scoreAndShow } from '../../src/services/scoring.js';
import { example, shippedRegistry } from '../support.js';

export const FIXED_DATE = new Date('2026-01-15T00:00:00Z');

export async function trialView(file: string): Promise<ReportView> {
  const input = example(file) as any;
  const { whatItWouldTake, ...result } = await scoreAndShow(shippedRegistry(), input);
  return reportView({ result: result as any, input, whatItWouldTake });
}
