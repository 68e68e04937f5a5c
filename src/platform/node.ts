// Node entry (`npm start`): the service on PORT (8787) with the embedded SQLite database at DATABASE_PATH.
import { serve } from '@hono/node-server';
import { createApp } from '../http/app.js';
import { buildNodeDeps } from './node-deps.js';
import { DEFAULT_DATABASE_PATH } from './sqlite.js';

const port = Number(process.env.PORT ?? 8787);
const databasePath = process.env.DATABASE_PATH ?? DEFAULT_DATABASE_PATH;
const rulesDir = process.env.RULES_DIR ?? 'rules';

const { deps, database } = await buildNodeDeps({ databasePath, rulesDir });
const app = createApp(deps);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  console.log(`绩效自评评分服务已启动：http://${info.address}:${info.port}  （数据库 ${databasePath}，规则集 ${rulesDir}/）`);
  console.log(`API 文档：http://${info.address}:${info.port}/docs`);
});

function shutdown() {
  server.close(() => {
    void database.close().then(() => process.exit(0));
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
