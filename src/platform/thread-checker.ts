// Node: publishing runs the rule-set checker in one worker thread, so a large rule set being checked never holds up
// the event loop (other requests, /healthz). One job runs at a time, the rest wait in order; a job past its time
// limit ends the thread (the next job gets a fresh one) and is answered with a diagnostic instead of a stall.
import { Worker } from 'node:worker_threads';
import type { Diagnostic, GoldenCase } from '../engine/check/index.js';
import type { RuleSetChecker, RuleSetCheckOptions, RuleSetCheckOutcome } from '../services/ports.js';

/** A check that runs longer than this is abandoned; the passes' own work budget should end it well before. */
export const CHECK_TIME_LIMIT_MS = 60_000;

interface Job {
  readonly document: unknown;
  readonly cases: readonly GoldenCase[];
  readonly options: RuleSetCheckOptions;
  readonly resolve: (outcome: RuleSetCheckOutcome) => void;
  readonly reject: (error: Error) => void;
}

function workerEntry(): URL {
  // Running from TypeScript sources (tsx, vitest): the .mjs bootstrap registers tsx's loader in the thread.
  return import.meta.url.endsWith('.ts')
    ? new URL('./check-worker-bootstrap.mjs', import.meta.url)
    : new URL('./check-worker.js', import.meta.url);
}

function timeLimitDiagnostic(ms: number): Diagnostic {
  return {
    pass: 'budget',
    code: 'CHECK_TIME_LIMIT',
    severity: 'error',
    message: `规则集检查超过 ${ms / 1000} 秒仍未完成，已中止；请精简规则（减少规则数、阈值或测试用例）后再发布`,
    location: '$',
  };
}

export class ThreadChecker {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private running: { job: Job; timer: ReturnType<typeof setTimeout> } | null = null;
  private closed = false;

  constructor(private readonly timeLimitMs = CHECK_TIME_LIMIT_MS) {}

  readonly check: RuleSetChecker = (document, cases, options = {}) =>
    new Promise<RuleSetCheckOutcome>((resolve, reject) => {
      if (this.closed) return reject(new Error('规则集检查线程已关闭'));
      this.queue.push({ document, cases, options, resolve, reject });
      this.startNext();
    });

  private startNext(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    const worker = this.ensureWorker();
    const timer = setTimeout(() => {
      this.finish(job, () => job.resolve({ ok: false, diagnostics: [timeLimitDiagnostic(this.timeLimitMs)] }));
      this.discardWorker();
      this.startNext();
    }, this.timeLimitMs);
    this.running = { job, timer };
    worker.ref(); // keep the process alive while a check runs; idle, the thread never does
    worker.postMessage({ id: 0, document: job.document, cases: job.cases, options: job.options });
  }

  private finish(job: Job, settle: () => void): void {
    if (this.running?.job !== job) return;
    clearTimeout(this.running.timer);
    this.running = null;
    this.worker?.unref();
    settle();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerEntry());
    worker.unref();
    worker.on('message', (m: { outcome?: RuleSetCheckOutcome; failure?: string }) => {
      const job = this.running?.job;
      if (!job || this.worker !== worker) return;
      this.finish(job, () => (m.outcome ? job.resolve(m.outcome) : job.reject(new Error(`规则集检查出错：${m.failure ?? '未知错误'}`))));
      this.startNext();
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return; // already replaced (time limit, close)
      this.worker = null;
      const job = this.running?.job;
      if (job) this.finish(job, () => job.reject(error));
      this.startNext();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`规则集检查线程意外退出（${code}）`)));
    this.worker = worker;
    return worker;
  }

  private discardWorker(): void {
    const old = this.worker;
    this.worker = null;
    if (old) void old.terminate();
  }

  /** Ends the thread; jobs still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const refused = new Error('规则集检查线程已关闭');
    for (const job of this.queue.splice(0)) job.reject(refused);
    const current = this.running?.job;
    if (current) this.finish(current, () => current.reject(refused));
    const old = this.worker;
    this.worker = null;
    if (old) await old.terminate();
  }
}
