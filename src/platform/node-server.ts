// What every Node HTTP process shares — the single process of `npm start` and each HTTP worker of a multi-process
// service: the settings read from the environment, the HTTP server over createApp, and the graceful stop.
import { serve } from '@hono/node-server';
import { availableParallelism } from 'node:os';
import type { Server } from 'node:http';
import { createApp } from '../http/app.js';
import type { AccessLogEntry, AppDeps } from '../http/env.js';
import { webSettingsFrom, type WebSettings } from '../web/settings.js';
import { DEFAULT_DATABASE_PATH } from './sqlite.js';

/** A slow client may take this long to send its headers / its whole request before it is cut off. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** On SIGTERM, requests in flight get this long to finish before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export interface NodeSettings {
  readonly port: number;
  readonly host: string;
  readonly databasePath: string;
  readonly databaseUrl?: string;
  readonly rulesDir: string;
  readonly evidenceDir?: string;
  readonly level: LogLevel;
  readonly log: (line: string) => void;
  readonly accessLog?: (entry: AccessLogEntry) => void;
  readonly maxConcurrentPerToken?: number;
  readonly web: WebSettings;
  /** HTTP processes: 1 is one process doing everything; more is a primary (the SQLite writer) and that many workers */
  readonly httpProcesses: number;
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const level = (env.LOG_LEVEL ?? 'info').toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info';
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`环境变量 ${name} 应为正整数，收到「${text}」`);
    process.exit(2);
  }
  return n;
}

/** The service's settings from the environment; a bad value ends the process with one line and exit code 2. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): NodeSettings {
  const level = logLevel(env);
  const maxConcurrentPerToken = positiveInteger(env, 'PER_TOKEN_CONCURRENCY');
  const httpProcesses = positiveInteger(env, 'HTTP_PROCESSES') ?? availableParallelism();
  let web: WebSettings;
  try {
    // the pages: PUBLIC_ORIGIN behind a TLS proxy, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS
    web = webSettingsFrom(env);
  } catch (e) {
    console.error(`环境变量有误：${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  return {
    port: Number(env.PORT ?? 8787),
    host: env.HOST ?? '127.0.0.1',
    databasePath: env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    rulesDir: env.RULES_DIR ?? 'rules',
    ...(env.EVIDENCE_DIR ? { evidenceDir: env.EVIDENCE_DIR } : {}),
    level,
    log: level === 'silent' ? () => {} : (line: string) => console.error(line),
    ...(level === 'debug' || level === 'info'
      ? { accessLog: (entry: AccessLogEntry) => void process.stdout.write(`${JSON.stringify({ type: 'access', ...entry })}\n`) }
      : {}),
    ...(maxConcurrentPerToken !== undefined ? { maxConcurrentPerToken } : {}),
    web,
    httpProcesses,
  };
}

/** The start-up lines, printed once per service (by the single process, or by the primary once every worker listens). */
export function announce(settings: NodeSettings, address: string, port: number, describe: string, extra = ''): void {
  console.log(`绩效自评评分服务已启动：http://${address}:${port}  （${describe}，规则集 ${settings.rulesDir}/${extra}）`);
  console.log(`API 文档：http://${address}:${port}/docs`);
  console.log(`工作台（网页）：${settings.web.publicOrigin ?? `http://${address}:${port}`}/`);
}

/** createApp over `deps`, served on the settings' port. */
export function startHttpServer(
  settings: NodeSettings,
  deps: AppDeps,
  onListening: (info: { address: string; port: number }) => void,
): Server {
  const app = createApp({
    ...deps,
    ...settings.web,
    ...(settings.accessLog ? { accessLog: settings.accessLog } : {}),
    ...(settings.maxConcurrentPerToken !== undefined ? { maxConcurrentPerToken: settings.maxConcurrentPerToken } : {}),
  });
  const server = serve(
    {
      fetch: app.fetch,
      port: settings.port,
      hostname: settings.host,
      serverOptions: { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    },
    (info) => onListening({ address: info.address, port: info.port }),
  ) as Server;
  // Client aborts and socket errors are the client's business: one line, no stack.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (settings.level === 'debug') console.error(`客户端连接错误：${err.code ?? err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

/**
 * Stops accepting, lets requests in flight finish (their group commit included, since each is answered only after
 * its commit), then closes `resources` and exits 0 — or exits 1 after SHUTDOWN_GRACE_MS. `quiet` leaves the lines
 * to someone else (a worker's primary speaks for the service).
 */
export function stopGracefully(server: Server, resources: () => Promise<void>, signal: string, quiet = false): void {
  if (!quiet) console.log(`收到 ${signal}，停止接收新请求，等待进行中的请求完成……`);
  const forced = setTimeout(() => {
    console.error(`${SHUTDOWN_GRACE_MS / 1000} 秒内仍有请求未完成，强制退出`);
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  forced.unref();
  // close() stops accepting and ends idle keep-alive connections; requests in flight finish, then the process exits 0
  server.close(() => {
    void resources().then(() => {
      if (!quiet) console.log('已停止');
      process.exit(0);
    });
  });
  server.closeIdleConnections();
  // connections that finish their last request become idle: end them too
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  sweep.unref();
}
