// kysely's SQLite dialect with `BEGIN IMMEDIATE` transactions. kysely starts a transaction with a plain (deferred)
// BEGIN: its first read takes a snapshot, and when another connection (another HTTP process, the writer process, the
// CLI) commits before this transaction's first write, that write fails at once with SQLITE_BUSY_SNAPSHOT — the busy
// timeout cannot help, since waiting never makes an old snapshot current. BEGIN IMMEDIATE takes the write lock first
// (waiting up to the busy timeout for it), so everything the transaction reads is still current when it writes.
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';

export class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
