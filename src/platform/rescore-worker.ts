// Worker-thread body of the re-scoring pool (rescore-pool.ts): holds the rule-set versions the main thread hands it
// (once per run, compiled here) and scores pages of stored inputs with the same function as the in-process scorer.
import { parentPort } from 'node:worker_threads';
import type { RuleSetDocument } from '../domain/ruleset.js';
import { compileChecked, type CompiledRuleSet } from '../engine/compiled.js';
import type { RescoreOutcome } from '../services/ports.js';
import { scoreStoredInput } from '../services/rescore.js';

/** main → worker */
export type RescoreWorkerMessage =
  | { readonly kind: 'ruleset'; readonly key: number; readonly document: RuleSetDocument; readonly sha256: string }
  | { readonly kind: 'drop'; readonly key: number }
  | { readonly kind: 'score'; readonly job: number; readonly key: number; readonly resultText: boolean; readonly ids: readonly string[]; readonly inputs: readonly string[] };

/** worker → main: a job's outcomes in row order, or why it could not be scored (nothing of it is kept) */
export type RescoreWorkerReply =
  | { readonly job: number; readonly outcomes: RescoreOutcome[] }
  | { readonly job: number; readonly failure: string; readonly evaluationId: string | null };

const port = parentPort;
if (!port) throw new Error('rescore-worker must run in a worker thread');

/** by the pool's key: the compiled version, or why it could not be compiled here */
const ruleSets = new Map<number, CompiledRuleSet | string>();

port.on('message', (m: RescoreWorkerMessage) => {
  if (m.kind === 'ruleset') {
    try {
      const compiled = compileChecked(m.document);
      // the same document must give the same hash here: a result names the version it was scored with
      ruleSets.set(m.key, compiled.sha256 === m.sha256 ? compiled : `线程中编译的规则集 sha256 ${compiled.sha256.slice(0, 16)}… 与主线程的 ${m.sha256.slice(0, 16)}… 不一致`);
    } catch (e) {
      ruleSets.set(m.key, `线程中无法编译规则集：${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  if (m.kind === 'drop') {
    ruleSets.delete(m.key);
    return;
  }
  const compiled = ruleSets.get(m.key);
  if (compiled === undefined || typeof compiled === 'string') {
    port.postMessage({ job: m.job, failure: compiled ?? '线程中没有该批次的规则集', evaluationId: null } satisfies RescoreWorkerReply);
    return;
  }
  const outcomes: RescoreOutcome[] = [];
  for (let i = 0; i < m.ids.length; i++) {
    try {
      outcomes.push(scoreStoredInput(compiled, m.inputs[i]!, m.resultText));
    } catch (e) {
      port.postMessage({ job: m.job, failure: e instanceof Error ? `${e.name}: ${e.message}` : String(e), evaluationId: m.ids[i]! } satisfies RescoreWorkerReply);
      return;
    }
  }
  port.postMessage({ job: m.job, outcomes } satisfies RescoreWorkerReply);
});
