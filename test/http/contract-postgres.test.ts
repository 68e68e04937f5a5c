// The HTTP contract against the Node composition over PostgreSQL (createApp + a pg pool on a throwaway server),
// through app.fetch: the third target, after SQLite in process and Workers + D1.
import { afterAll, describe } from 'vitest';
import { available, POSTGRESQL } from '../system-parts.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { contractSuite } from './contract.js';
import { startPostgresTestService, type PostgresTestService } from './harness.js';

describe.skipIf(!available(POSTGRESQL))('PostgreSQL', () => {
  let server: PostgresServer | undefined;
  let service: PostgresTestService | undefined;
  afterAll(async () => {
    await service?.close();
    await server?.stop();
  });
  contractSuite('Node + PostgreSQL, in process', async () => {
    server = await startPostgresServer();
    service = await startPostgresTestService(await server.createDatabase());
    return service;
  });
});
