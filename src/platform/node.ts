// Node entry (`npm start`): the service on PORT (8787) with the embedded SQLite database at DATABASE_PATH.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp } from '../http/app.js';
import type { AccessLogEntry } from '../http/env.js';
import { webSettingsFrom, type WebSettings } from '../web/settings.js';
import { buildNodeDeps } from './node-deps.js';
import { DEFAULT_DATABASE_PATH } from './sqlite.js';

/** A slow client may take this long to send its headers / its whole request before it is cut off. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
/** On SIGTERM, requests in flight get this long to finish before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(): LogLevel {
  const level = (process.env.LOG_LEVEL ?? 'info').toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : 'info';
}

function positiveInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`环境变量 ${name} 应为正整数，收到「${text}」`);
    process.exit(2);
  }
  return n;
}

const port = Number(process.env.PORT ?? 8787);
const databasePath = process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
const rulesDir = process.env.RULES_DIR ?? 'rules';
const level = logLevel();
const log = level === 'silent' ? () => {} : (line: string) => console.error(line);
const accessLog =
  level === 'debug' || level === 'info' ? (entry: AccessLogEntry) => process.stdout.write(`${JSON.stringify({ type: 'access', ...entry })}\n`) : undefined;
const maxConcurrentPerToken = positiveInteger('PER_TOKEN_CONCURRENCY');
let web: WebSettings;
try {
  // the pages: PUBLIC_ORIGIN behind a TLS proxy, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS
  web = webSettingsFrom(process.env);
} catch (e) {
  console.error(`环境变量有误：${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}

let built: Awaited<ReturnType<typeof buildNodeDeps>>;
try {
  built = await buildNodeDeps({ databasePath, rulesDir, log, ...(process.env.EVIDENCE_DIR ? { evidenceDir: process.env.EVIDENCE_DIR } : {}) });
} catch (e) {
  // one line for the operator, never a stack: the usual causes are a bad path or a database that is not ours
  console.error(`无法启动：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const { deps, database, checker } = built;
const app = createApp({
  ...deps,
  ...web,
  ...(accessLog ? { accessLog } : {}),
  ...(maxConcurrentPerToken !== undefined ? { maxConcurrentPerToken } : {}),
});
const server = serve(
  {
    fetch: app.fetch,
    port,
    hostname: process.env.HOST ?? '127.0.0.1',
    serverOptions: { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  },
  (info) => {
    console.log(`绩效自评评分服务已启动：http://${info.address}:${info.port}  （数据库 ${databasePath}，规则集 ${rulesDir}/）`);
    console.log(`API 文档：http://${info.address}:${info.port}/docs`);
    console.log(`工作台（网页）：${web.publicOrigin ?? `http://${info.address}:${info.port}`}/`);
  },
) as Server;

// Client aborts and socket errors are the client's business: one line, no stack.
server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
  if (level === 'debug') console.error(`客户端连接错误：${err.code ?? err.message}`);
  if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  else socket.destroy();
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`收到 ${signal}，停止接收新请求，等待进行中的请求完成……`);
  const forced = setTimeout(() => {
    console.error(`${SHUTDOWN_GRACE_MS / 1000} 秒内仍有请求未完成，强制退出`);
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  forced.unref();
  // close() stops accepting and ends idle keep-alive connections; requests in flight finish (their group commit
  // included, since each is answered only after its commit), then the database closes and the process exits 0.
  server.close(() => {
    void Promise.all([checker.close(), database.close()]).then(() => {
      console.log('已停止');
      process.exit(0);
    });
  });
  server.closeIdleConnections();
  // connections that finish their last request become idle: end them too
  const sweep = setInterval(() => server.closeIdleConnections(), 100);
  sweep.unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
