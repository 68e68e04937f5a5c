// The SQLite evaluation writer across processes. HTTP workers validate and score; the primary owns the one
// EvaluationGroupCommit, so concurrent submissions from every worker still share one INSERT and one fsync, and the
// Idempotency-Key stays exactly-once (the unique index and ON CONFLICT DO NOTHING in that one writer decide).
// A worker sends each row over the cluster IPC channel and gets back `{inserted}` or the error the write met,
// rebuilt so that the HTTP mapping (errors.ts) answers exactly as in one process: 503/507 for storage faults.
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors.js';
import type { EvaluationsTable } from '../storage/database.js';

/** How long a worker's /readyz waits for the writer's answer before calling it unreachable. */
export const WRITER_READY_TIMEOUT_MS = 2_000;

/** An error as it crosses the channel: what storageFaultOf and the DomainError mapping look at. */
export interface WireError {
  readonly message: string;
  /** SQLite's result code (SQLITE_FULL, SQLITE_BUSY, …) */
  readonly code?: string;
  readonly domain?: { readonly code: ErrorCode; readonly details: readonly ErrorDetail[] };
}

export type WorkerMessage =
  | { readonly type: 'jxzp:insert'; readonly id: number; readonly row: EvaluationsTable }
  | { readonly type: 'jxzp:ready'; readonly id: number }
  /** the worker's server listens: the primary prints the start-up lines once every worker has said so */
  | { readonly type: 'jxzp:serving'; readonly address: string; readonly port: number; readonly describe: string }
  /** the worker could not build its service (the primary prints the reason once, for all workers) */
  | { readonly type: 'jxzp:cannot-start'; readonly message: string };

export type PrimaryMessage =
  | { readonly type: 'jxzp:inserted'; readonly id: number; readonly inserted: boolean }
  | { readonly type: 'jxzp:ok'; readonly id: number }
  | { readonly type: 'jxzp:failed'; readonly id: number; readonly error: WireError }
  /** stop gracefully: finish the requests in flight, then exit */
  | { readonly type: 'jxzp:stop' };

export function toWire(e: unknown): WireError {
  if (e instanceof DomainError) return { message: e.message, domain: { code: e.code, details: [...e.details] } };
  const code = (e as { code?: unknown } | null)?.code;
  return { message: e instanceof Error ? e.message : String(e), ...(typeof code === 'string' ? { code } : {}) };
}

export function fromWire(w: WireError): Error {
  if (w.domain) return new DomainError(w.domain.code, w.message, w.domain.details);
  return Object.assign(new Error(w.message), w.code !== undefined ? { code: w.code } : {});
}

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string' && (m as { type: string }).type.startsWith('jxzp:');
}

/** The primary's side: answers one worker's inserts and readiness probes. */
export function serveWriter(
  channel: { send(message: PrimaryMessage): void; on(event: 'message', listener: (m: unknown) => void): void },
  writer: { insert(row: EvaluationsTable): Promise<boolean>; ready(): void },
  onOther: (m: WorkerMessage) => void = () => {},
): void {
  channel.on('message', (m) => {
    if (!isWorkerMessage(m)) return;
    if (m.type === 'jxzp:insert') {
      writer.insert(m.row).then(
        (inserted) => channel.send({ type: 'jxzp:inserted', id: m.id, inserted }),
        (e: unknown) => channel.send({ type: 'jxzp:failed', id: m.id, error: toWire(e) }),
      );
    } else if (m.type === 'jxzp:ready') {
      try {
        writer.ready();
        channel.send({ type: 'jxzp:ok', id: m.id });
      } catch (e) {
        channel.send({ type: 'jxzp:failed', id: m.id, error: toWire(e) });
      }
    } else onOther(m);
  });
}

interface Waiting {
  readonly resolve: (value: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/** The worker's side: `insert` for deps.evaluations, `ready` for deps.readiness. */
export class EvaluationWriterClient {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly channel: {
      readonly connected: boolean;
      /** `done` gets the error when the message could not be sent (the channel closed) */
      send(message: WorkerMessage, done: (error: Error | null) => void): void;
      on(event: 'message', listener: (m: unknown) => void): unknown;
    },
  ) {
    channel.on('message', (m) => this.receive(m as PrimaryMessage));
  }

  /** Resolves once the writer has committed the row: true when inserted, false when a unique key already held it. */
  insert(row: EvaluationsTable): Promise<boolean> {
    return this.call((id) => ({ type: 'jxzp:insert', id, row }));
  }

  /** Throws STORAGE_UNAVAILABLE unless the writer answers that the database can be written now. */
  async ready(timeoutMs = WRITER_READY_TIMEOUT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DomainError('STORAGE_UNAVAILABLE', `写入进程 ${timeoutMs / 1000} 秒内没有应答，暂不能保存新的评价`)), timeoutMs);
    });
    try {
      await Promise.race([this.call((id) => ({ type: 'jxzp:ready', id })), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private call(message: (id: number) => WorkerMessage): Promise<boolean> {
    if (!this.channel.connected) return Promise.reject(unreachable());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const failed = (e: unknown) => {
        if (this.waiting.delete(id)) reject(unreachable(e));
      };
      try {
        this.channel.send(message(id), (e) => e && failed(e));
      } catch (e) {
        failed(e);
      }
    });
  }

  private receive(m: PrimaryMessage): void {
    if (m?.type === 'jxzp:stop' || typeof m?.type !== 'string' || !('id' in m)) return;
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (m.type === 'jxzp:inserted') w.resolve(m.inserted);
    else if (m.type === 'jxzp:ok') w.resolve(true);
    else if (m.type === 'jxzp:failed') w.reject(fromWire(m.error));
  }
}

function unreachable(cause?: unknown): DomainError {
  return new DomainError('STORAGE_UNAVAILABLE', '写入进程不可达，暂不能保存新的评价；请稍后重试', [], cause === undefined ? {} : { cause });
}
