// The bare Hono echo the service's HTTP numbers are compared with: POST /echo answers the JSON it was sent, served
// like the service itself — HTTP_PROCESSES (default: the machine's cores) cluster workers sharing PORT (default
// 8788), or one plain process when HTTP_PROCESSES=1. No database, no auth, no validation: the ceiling of Hono on
// Node on this machine. Run: `node --import tsx bench/echo-cluster.ts` (or the compiled .js); SIGTERM stops it.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';

const processes = Number(process.env.HTTP_PROCESSES ?? availableParallelism());
const port = Number(process.env.PORT ?? 8788);
const hostname = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(processes) || processes < 1) {
  console.error(`环境变量 HTTP_PROCESSES 应为正整数，收到「${process.env.HTTP_PROCESSES}」`);
  process.exit(2);
}

if (cluster.isPrimary && processes > 1) {
  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listening === processes) console.log(`回显服务已启动：http://${hostname}:${address.port}/echo  （${processes} 个进程）`);
  });
  for (let i = 0; i < processes; i++) cluster.fork();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    let exited = 0;
    cluster.on('exit', () => ++exited === processes && process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const app = new Hono().post('/echo', async (c) => c.json(await c.req.json()));
  const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
    if (cluster.isPrimary) console.log(`回显服务已启动：http://${info.address}:${info.port}/echo  （1 个进程）`);
  }) as Server;
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
