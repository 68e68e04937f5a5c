// One stateless service instance over PostgreSQL, for test/postgres/instances.test.ts: the bench's instance
// (bench/postgres.ts runInstance: buildServiceDeps({ databaseUrl: DATABASE_URL }) + createApp + @hono/node-server on
// 127.0.0.1:PORT), printing `ready http://127.0.0.1:<port>` once it listens.
import { runInstance } from '../../bench/postgres.js';

await runInstance();
