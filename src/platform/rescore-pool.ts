// Node: re-scoring (and the impact preview) score stored inputs on a pool of worker threads, one per core by
// default. A run hands its rule-set version to each thread once (compiled there); its pages are split into chunks
// handed to the least loaded thread, a few queued per thread so that threads go on scoring while the main thread is
// busy in a synchronous write; each page's outcomes are put back in row order. Threads start on first use and hold
// the process open only while they have work; close() ends them.
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { CompiledRuleSet } from '../engine/compiled.js';
import type { RescoreInput, RescoreOutcome, RescoreScorer, RescoreScoring } from '../services/ports.js';
import type { RescoreWorkerMessage, RescoreWorkerReply } from './rescore-worker.js';

export interface RescorePoolOptions {
  /** worker threads (default: availableParallelism()) */
  readonly threads?: number;
  /** the thread body (default: rescore-worker); tests pass one that fails */
  readonly entry?: URL;
  /** chunks a page is split into per thread, so a slow thread does not hold up the page (default 2) */
  readonly chunksPerThread?: number;
  /** each thread's heap limits (default WORKER_LIMITS) */
  readonly resourceLimits?: ResourceLimits;
}

/** Chunks handed to one thread at a time: it works through them without waiting for the main thread. */
const QUEUED_PER_THREAD = 4;

/**
 * Each thread's young generation. Re-scoring 100,000 rows on two threads: at 16 MB ~5% more CPU than at 48 MB (about
 * the default), ~40 MB less peak RSS — memory is the tighter bound (500 MB) on a 2-core machine.
 */
export const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16 };

function defaultEntry(): URL {
  // Running from TypeScript sources (tsx, vitest): the .mjs bootstrap registers tsx's loader in the thread.
  return import.meta.url.endsWith('.ts') ? new URL('./rescore-worker-bootstrap.mjs', import.meta.url) : new URL('./rescore-worker.js', import.meta.url);
}

interface Run {
  readonly key: number;
  readonly ruleSet: CompiledRuleSet;
  readonly resultText: boolean;
  ended: boolean;
}

interface Job {
  readonly id: number;
  readonly run: Run;
  readonly rows: readonly RescoreInput[];
  readonly resolve: (outcomes: RescoreOutcome[]) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker | null;
  /** runs whose rule set this thread holds */
  readonly loaded: Set<number>;
  /** handed to the thread, in the order it answers them */
  readonly jobs: Job[];
}

export class RescorePool {
  readonly size: number;
  private readonly entry: URL;
  private readonly chunksPerThread: number;
  private readonly resourceLimits: ResourceLimits;
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly exited = new Map<Worker, Promise<void>>();
  private nextKey = 1;
  private nextJob = 1;
  private isClosed = false;

  constructor(options: RescorePoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.entry = options.entry ?? defaultEntry();
    this.chunksPerThread = Math.max(1, Math.floor(options.chunksPerThread ?? 2));
    this.resourceLimits = options.resourceLimits ?? WORKER_LIMITS;
    this.slots = Array.from({ length: this.size }, () => ({ worker: null, loaded: new Set<number>(), jobs: [] }));
  }

  /** true once close() was called: nothing more is scored */
  get closed(): boolean {
    return this.isClosed;
  }

  /** worker threads running now (0 before first use and after close()) */
  get threads(): number {
    return this.exited.size;
  }

  readonly scorer: RescoreScorer = {
    begin: (ruleSet, options): RescoreScoring => {
      const run: Run = { key: this.nextKey++, ruleSet, resultText: options.resultText, ended: false };
      return {
        score: (rows) => this.score(run, rows),
        end: () => this.end(run),
      };
    },
  };

  private score(run: Run, rows: readonly RescoreInput[]): Promise<RescoreOutcome[]> {
    if (this.isClosed) return Promise.reject(new Error('重新评分线程池已关闭'));
    if (run.ended) return Promise.reject(new Error('重新评分已结束，不再评分'));
    if (rows.length === 0) return Promise.resolve([]);
    const chunk = Math.max(1, Math.ceil(rows.length / (this.size * this.chunksPerThread)));
    const parts: Promise<RescoreOutcome[]>[] = [];
    for (let start = 0; start < rows.length; start += chunk) {
      const part = rows.slice(start, start + chunk);
      parts.push(new Promise<RescoreOutcome[]>((resolve, reject) => this.queue.push({ id: this.nextJob++, run, rows: part, resolve, reject })));
    }
    this.dispatch();
    return Promise.all(parts).then((chunks) => chunks.flat());
  }

  private end(run: Run): void {
    if (run.ended) return;
    run.ended = true;
    const refused = new Error('重新评分已结束，不再评分');
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.run === run) this.queue.splice(i, 1)[0]!.reject(refused);
    }
    for (const slot of this.slots) {
      if (slot.worker && slot.loaded.delete(run.key)) slot.worker.postMessage({ kind: 'drop', key: run.key } satisfies RescoreWorkerMessage);
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot: Slot | undefined;
      for (const s of this.slots) if (s.jobs.length < QUEUED_PER_THREAD && (!slot || s.jobs.length < slot.jobs.length)) slot = s;
      if (!slot) return;
      const job = this.queue.shift()!;
      const worker = slot.worker ?? this.start(slot);
      if (!slot.loaded.has(job.run.key)) {
        // once per run and thread; messages to a thread arrive in order, so before any of the run's chunks
        worker.postMessage({ kind: 'ruleset', key: job.run.key, document: job.run.ruleSet.document, sha256: job.run.ruleSet.sha256 } satisfies RescoreWorkerMessage);
        slot.loaded.add(job.run.key);
      }
      slot.jobs.push(job);
      worker.ref(); // keep the process alive while a thread works; idle, it never does
      worker.postMessage({
        kind: 'score',
        job: job.id,
        key: job.run.key,
        resultText: job.run.resultText,
        ids: job.rows.map((r) => r.id),
        inputs: job.rows.map((r) => r.input),
      } satisfies RescoreWorkerMessage);
    }
  }

  private start(slot: Slot): Worker {
    const worker = new Worker(this.entry, { resourceLimits: this.resourceLimits });
    worker.unref();
    slot.worker = worker;
    slot.loaded.clear();
    let lostAlready = false;
    this.exited.set(worker, new Promise<void>((resolve) => worker.once('exit', () => resolve())));
    worker.on('message', (reply: RescoreWorkerReply) => {
      const job = slot.jobs[0];
      if (slot.worker !== worker || !job || job.id !== reply.job) return;
      slot.jobs.shift();
      if (slot.jobs.length === 0) worker.unref();
      if ('outcomes' in reply) job.resolve(reply.outcomes);
      else job.reject(new Error(reply.evaluationId ? `评价 ${reply.evaluationId}：${reply.failure}` : reply.failure));
      this.dispatch();
    });
    const lost = (error: Error) => {
      if (lostAlready) return;
      lostAlready = true;
      if (slot.worker === worker) {
        slot.worker = null;
        slot.loaded.clear();
        for (const job of slot.jobs.splice(0)) job.reject(error);
      }
      // the queue goes on, on a fresh thread
      if (!this.isClosed) this.dispatch();
    };
    worker.on('error', (e) => lost(new Error(`重新评分线程出错：${e instanceof Error ? e.message : String(e)}`)));
    worker.on('exit', (code) => {
      this.exited.delete(worker);
      lost(new Error(`重新评分线程意外退出（退出码 ${code}）`));
    });
    return worker;
  }

  /** Ends every thread; pages not yet scored are refused. Resolves once the threads have exited. */
  async close(): Promise<void> {
    this.isClosed = true;
    const refused = new Error('重新评分线程池已关闭');
    for (const job of this.queue.splice(0)) job.reject(refused);
    const exits = [...this.exited.values()];
    for (const slot of this.slots) {
      const worker = slot.worker;
      slot.worker = null;
      slot.loaded.clear();
      for (const job of slot.jobs.splice(0)) job.reject(refused);
      if (worker) void worker.terminate();
    }
    await Promise.all(exits);
  }
}
