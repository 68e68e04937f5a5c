// Worker-thread body: runs the rule-set checker (every pass and golden case) for the main thread's publish requests.
import { parentPort } from 'node:worker_threads';
import { checkRuleSet, type GoldenCase } from '../engine/check/index.js';
import type { RuleSetCheckOptions } from '../services/ports.js';

export interface CheckJob {
  readonly id: number;
  readonly document: unknown;
  readonly cases: readonly GoldenCase[];
  readonly options: RuleSetCheckOptions;
}

const port = parentPort;
if (!port) throw new Error('check-worker must run in a worker thread');

port.on('message', async (job: CheckJob) => {
  try {
    const report = await checkRuleSet(job.document, { cases: job.cases, ...job.options });
    port.postMessage({ id: job.id, outcome: { ok: report.ok, diagnostics: report.diagnostics } });
  } catch (e) {
    port.postMessage({ id: job.id, failure: e instanceof Error ? e.message : String(e) });
  }
});
