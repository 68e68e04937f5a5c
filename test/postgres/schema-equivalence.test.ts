// The PostgreSQL migrations (migrations/postgres/) build the same schema as the SQLite ones (migrations/): both sets
// applied to empty databases, then compared table by table through a declared type map — columns (name, type,
// nullability, whether there is a default), primary keys, unique constraints, foreign keys, indexes (columns, order,
// uniqueness, partial-ness) and trigger names. schema_migrations is the runners' own and is ignored. The triggers
// are then driven with the same rows on both sides and must write the same derived rows.
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS_DIR } from '../../src/platform/postgres.js';
import { migrate, MIGRATIONS_DIR } from '../../src/platform/sqlite.js';
import { startPostgresServer, type PostgresServer } from '../postgres-server.js';
import { available, POSTGRESQL } from '../system-parts.js';

/** SQLite declared type → the PostgreSQL types it may become. */
const TYPE_MAP: ReadonlyMap<string, readonly string[]> = new Map([
  ['TEXT', ['text']],
  ['INTEGER', ['integer', 'bigint']],
  ['REAL', ['double precision']],
]);

interface Column {
  readonly name: string;
  /** SQLite's declared type (PostgreSQL's mapped back through TYPE_MAP) */
  readonly type: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
}
interface Index {
  readonly name: string;
  /** column names, ` DESC` appended where descending */
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly partial: boolean;
}
interface Table {
  readonly columns: readonly Column[];
  readonly primaryKey: readonly string[];
  /** unique constraints (not indexes made with CREATE UNIQUE INDEX), each its column list */
  readonly uniques: readonly string[];
  /** `cols -> table(cols)` */
  readonly foreignKeys: readonly string[];
  readonly indexes: readonly Index[];
}
export interface Schema {
  readonly tables: Readonly<Record<string, Table>>;
  readonly triggers: readonly string[];
}

const IGNORED = new Set(['schema_migrations']);

function sqliteSchema(db: Database.Database): Schema {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !IGNORED.has(n));
  const tables: Record<string, Table> = {};
  for (const t of names) {
    const info = db.prepare(`SELECT * FROM pragma_table_xinfo('${t}')`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[];
    const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    // a PRIMARY KEY column is NOT NULL in PostgreSQL; SQLite's legacy NULL-in-primary-key quirk is not a difference
    const columns = info.map((c) => ({ name: c.name, type: c.type.toUpperCase(), notNull: c.notnull === 1 || c.pk > 0, hasDefault: c.dflt_value !== null }));
    const list = db.prepare(`SELECT * FROM pragma_index_list('${t}')`).all() as { name: string; unique: number; origin: string; partial: number }[];
    const colsOf = (index: string) =>
      (db.prepare(`SELECT * FROM pragma_index_xinfo('${index}') WHERE key = 1 ORDER BY seqno`).all() as { name: string; desc: number }[]).map(
        (c) => `${c.name}${c.desc ? ' DESC' : ''}`,
      );
    const uniques = list.filter((i) => i.origin === 'u').map((i) => colsOf(i.name).join(',')).sort();
    const indexes = list
      .filter((i) => i.origin === 'c')
      .map((i) => ({ name: i.name, columns: colsOf(i.name), unique: i.unique === 1, partial: i.partial === 1 }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const fks = db.prepare(`SELECT * FROM pragma_foreign_key_list('${t}') ORDER BY id, seq`).all() as { id: number; table: string; from: string; to: string }[];
    const byId = new Map<number, { from: string[]; table: string; to: string[] }>();
    for (const f of fks) {
      const e = byId.get(f.id) ?? { from: [], table: f.table, to: [] };
      e.from.push(f.from);
      e.to.push(f.to);
      byId.set(f.id, e);
    }
    const foreignKeys = [...byId.values()].map((f) => `${f.from.join(',')} -> ${f.table}(${f.to.join(',')})`).sort();
    tables[t] = { columns, primaryKey, uniques, foreignKeys, indexes };
  }
  const triggers = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  return { tables, triggers };
}

async function postgresSchema(client: pg.ClientBase): Promise<Schema> {
  const q = async <T extends pg.QueryResultRow>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows;
  const names = (await q<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"))
    .map((r) => r.table_name)
    .filter((n) => !IGNORED.has(n));
  const tables: Record<string, Table> = {};
  for (const t of names) {
    const cols = await q<{ column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
      "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
      [t],
    );
    const columns = cols.map((c) => {
      const back = [...TYPE_MAP].find(([, pgTypes]) => pgTypes.includes(c.data_type));
      return { name: c.column_name, type: back ? back[0] : `unmapped:${c.data_type}`, notNull: c.is_nullable === 'NO', hasDefault: c.column_default !== null };
    });
    // constraint and index columns by position, with direction
    const constraints = await q<{ contype: string; cols: string[]; ref_table: string | null; ref_cols: string[] | null }>(
      `SELECT c.contype,
              ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS cols,
              c.confrelid::regclass::text AS ref_table,
              ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS ref_cols
         FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f')`,
      [t],
    );
    const primaryKey = constraints.find((c) => c.contype === 'p')?.cols ?? [];
    const uniques = constraints.filter((c) => c.contype === 'u').map((c) => c.cols.join(',')).sort();
    const foreignKeys = constraints
      .filter((c) => c.contype === 'f')
      .map((c) => `${c.cols.join(',')} -> ${c.ref_table}(${(c.ref_cols ?? []).join(',')})`)
      .sort();
    const idx = await q<{ name: string; unique: boolean; partial: boolean; cols: string[] }>(
      `SELECT i.relname AS name, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
              ARRAY(SELECT a.attname || CASE WHEN (x.indoption[k.i - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                      FROM unnest(x.indkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS cols
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)`,
      [t],
    );
    const indexes = idx.map((i) => ({ name: i.name, columns: i.cols, unique: i.unique, partial: i.partial })).sort((a, b) => a.name.localeCompare(b.name));
    tables[t] = { columns, primaryKey, uniques, foreignKeys, indexes };
  }
  const triggers = (await q<{ tgname: string }>("SELECT DISTINCT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY t.tgname")).map(
    (r) => r.tgname,
  );
  return { tables, triggers: [...triggers].sort() };
}

/** Every difference between the two schemas, one line each (empty when equivalent). */
export function schemaDifferences(sqlite: Schema, postgres: Schema): string[] {
  const out: string[] = [];
  const all = new Set([...Object.keys(sqlite.tables), ...Object.keys(postgres.tables)]);
  for (const t of [...all].sort()) {
    const a = Object.hasOwn(sqlite.tables, t) ? sqlite.tables[t] : undefined;
    const b = Object.hasOwn(postgres.tables, t) ? postgres.tables[t] : undefined;
    if (!a || !b) {
      out.push(`table ${t}: only in ${a ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    const colNames = new Set([...a.columns, ...b.columns].map((c) => c.name));
    for (const name of colNames) {
      const ca = a.columns.find((c) => c.name === name);
      const cb = b.columns.find((c) => c.name === name);
      if (!ca || !cb) out.push(`${t}.${name}: column only in ${ca ? 'SQLite' : 'PostgreSQL'}`);
      else if (JSON.stringify(ca) !== JSON.stringify(cb)) out.push(`${t}.${name}: SQLite ${JSON.stringify(ca)} vs PostgreSQL ${JSON.stringify(cb)}`);
    }
    if (a.columns.map((c) => c.name).join() !== b.columns.map((c) => c.name).join() && out.every((l) => !l.startsWith(`${t}.`))) out.push(`${t}: column order differs`);
    if (a.primaryKey.join() !== b.primaryKey.join()) out.push(`${t}: primary key (${a.primaryKey}) vs (${b.primaryKey})`);
    if (a.uniques.join(';') !== b.uniques.join(';')) out.push(`${t}: unique constraints [${a.uniques.join('; ')}] vs [${b.uniques.join('; ')}]`);
    if (a.foreignKeys.join(';') !== b.foreignKeys.join(';')) out.push(`${t}: foreign keys [${a.foreignKeys.join('; ')}] vs [${b.foreignKeys.join('; ')}]`);
    const idxNames = new Set([...a.indexes, ...b.indexes].map((i) => i.name));
    for (const name of [...idxNames].sort()) {
      const ia = a.indexes.find((i) => i.name === name);
      const ib = b.indexes.find((i) => i.name === name);
      if (!ia || !ib) out.push(`index ${name} on ${t}: only in ${ia ? 'SQLite' : 'PostgreSQL'}`);
      else if (JSON.stringify(ia) !== JSON.stringify(ib)) out.push(`index ${name}: SQLite ${JSON.stringify(ia)} vs PostgreSQL ${JSON.stringify(ib)}`);
    }
  }
  if (sqlite.triggers.join() !== postgres.triggers.join()) out.push(`triggers [${sqlite.triggers}] vs [${postgres.triggers}]`);
  return out;
}

const migrationFiles = (dir: string) => readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();

describe.skipIf(!available(POSTGRESQL))('PostgreSQL schema ≡ SQLite schema', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let sqlite: Database.Database;
  beforeAll(async () => {
    server = await startPostgresServer();
    pool = new pg.Pool({ connectionString: await server.createDatabase(), max: 2 });
    await migratePostgres(pool);
    sqlite = new Database(':memory:');
    sqlite.pragma('foreign_keys = ON');
    migrate(sqlite);
  }, 60_000);
  afterAll(async () => {
    sqlite?.close();
    await pool?.end();
    await server?.stop();
  });

  it('has the same migration files, by name', () => {
    expect(migrationFiles(POSTGRES_MIGRATIONS_DIR)).toEqual(migrationFiles(MIGRATIONS_DIR));
    expect(migrationFiles(MIGRATIONS_DIR).length).toBeGreaterThanOrEqual(8);
  });

  it('builds the same tables, columns, keys, indexes and triggers', async () => {
    const a = sqliteSchema(sqlite);
    const client = await pool.connect();
    let b: Schema;
    try {
      b = await postgresSchema(client);
    } finally {
      client.release();
    }
    // the comparison sees real content (not two empty descriptions)
    expect(Object.keys(a.tables)).toEqual(expect.arrayContaining(['evaluations', 'evaluation_summaries', 'tokens', 'disputes', 'dispute_answers', 'evidence']));
    expect(a.tables.evaluations!.indexes).toEqual([{ name: 'evaluations_idempotency', columns: ['submitted_by', 'idempotency_key'], unique: true, partial: true }]);
    expect(a.tables.tokens!.uniques).toEqual(['token_hash']);
    expect(a.triggers).toEqual(['dispute_accepted_review', 'evaluations_summary', 'reviews_mark_reviewed']);
    expect(schemaDifferences(a, b)).toEqual([]);
  });

  it('fails when PostgreSQL lacks a column, an index, a uniqueness or a partial predicate', async () => {
    const a = sqliteSchema(sqlite);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE evidence DROP COLUMN media_type');
      await client.query('DROP INDEX evaluation_summaries_grade_year');
      await client.query('DROP INDEX evaluations_idempotency');
      await client.query('CREATE INDEX evaluations_idempotency ON evaluations (submitted_by, idempotency_key)');
      await client.query('ALTER TABLE tokens ALTER COLUMN label SET NOT NULL');
      const b = await postgresSchema(client);
      const diff = schemaDifferences(a, b);
      expect(diff).toEqual(
        expect.arrayContaining([
          'evidence.media_type: column only in SQLite',
          'index evaluation_summaries_grade_year on evaluation_summaries: only in SQLite',
          expect.stringMatching(/^index evaluations_idempotency: SQLite .*"unique":true,"partial":true.* vs PostgreSQL .*"unique":false,"partial":false/),
          expect.stringMatching(/^tokens\.label: SQLite .*"notNull":false.* vs PostgreSQL .*"notNull":true/),
        ]),
      );
      expect(diff).toHaveLength(4);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('the triggers write the same derived rows (summaries, reviewed flag, an accepted dispute’s review)', async () => {
    const evaluation = (id: string, result: string, createdAt: string) => ({
      id,
      unit_id: 'u1',
      fiscal_year: 2024,
      project_name: '项目',
      ruleset_id: 'rs',
      ruleset_version: '1.0.0',
      ruleset_sha256: 'h',
      engine_version: 'e',
      input: '{}',
      input_sha256: 'ih',
      result,
      total: 87.5,
      grade_code: 'good',
      submitted_by: 't1',
      idempotency_key: null,
      created_at: createdAt,
    });
    const rows = [
      evaluation('e1', JSON.stringify({ discrepancies: [{ itemId: 'a' }] }), '2024-01-01T00:00:01.000Z'),
      evaluation('e2', JSON.stringify({ discrepancies: [] }), '2024-01-01T00:00:02.000Z'),
      evaluation('e3', 'not json {', '2024-01-01T00:00:03.000Z'),
      evaluation('e4', JSON.stringify({ discrepancies: { a: 1 } }), '2024-01-01T00:00:04.000Z'),
      evaluation('e5', JSON.stringify({ other: 1 }), '2024-01-01T00:00:05.000Z'),
    ];
    const cols = Object.keys(rows[0]!);
    const review = { id: 'r1', evaluation_id: 'e2', reviewer: 'rv', items: '[]', comment: null, created_at: '2024-01-02T00:00:00.000Z' };
    const dispute = {
      id: 'd1', evaluation_id: 'e1', unit_id: 'u1', item_id: 'a', about: 'recomputed', disputed_points: 2, claimed_points: 3,
      criterion: 'c', reason: '理由', raised_by: 't1', raised_at: '2024-01-03T00:00:00.000Z',
    };
    const answer = { dispute_id: 'd1', decision: 'accepted', review_points: 2.5, reason: '同意', answered_by: 'rv', answered_at: '2024-01-04T00:00:00.000Z' };
    const insertSqlite = (table: string, row: Record<string, unknown>) =>
      sqlite.prepare(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`).run(...Object.values(row));
    const insertPg = (client: pg.ClientBase, table: string, row: Record<string, unknown>) =>
      client.query(`INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));

    sqlite.exec('BEGIN');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const r of rows) {
        insertSqlite('evaluations', r);
        await insertPg(client, 'evaluations', r);
      }
      for (const [table, row] of [['reviews', review], ['disputes', dispute], ['dispute_answers', answer]] as const) {
        insertSqlite(table, row);
        await insertPg(client, table, row);
      }
      const summaries = 'SELECT id, has_discrepancies, reviewed, total, fiscal_year FROM evaluation_summaries ORDER BY id';
      const fromSqlite = sqlite.prepare(summaries).all();
      const fromPg = (await client.query(summaries)).rows;
      expect(fromSqlite).toEqual([
        { id: 'e1', has_discrepancies: 1, reviewed: 1, total: 87.5, fiscal_year: 2024 },
        { id: 'e2', has_discrepancies: 0, reviewed: 1, total: 87.5, fiscal_year: 2024 },
        { id: 'e3', has_discrepancies: 0, reviewed: 0, total: 87.5, fiscal_year: 2024 },
        { id: 'e4', has_discrepancies: 0, reviewed: 0, total: 87.5, fiscal_year: 2024 },
        { id: 'e5', has_discrepancies: 0, reviewed: 0, total: 87.5, fiscal_year: 2024 },
      ]);
      expect(fromPg).toEqual(fromSqlite);
      const reviews = "SELECT id, evaluation_id, reviewer, items, comment, created_at FROM reviews WHERE id = 'rv_d1'";
      const rs = sqlite.prepare(reviews).get() as Record<string, string>;
      const rp = (await client.query(reviews)).rows[0] as Record<string, string>;
      expect(rs).toMatchObject({ evaluation_id: 'e1', reviewer: 'rv', comment: '接受申诉 d1', created_at: '2024-01-04T00:00:00.000Z' });
      expect({ ...rp, items: JSON.parse(rp.items!) }).toEqual({ ...rs, items: JSON.parse(rs.items!) });
      expect(JSON.parse(rs.items!)).toEqual([{ itemId: 'a', points: 2.5, reason: '同意' }]);
    } finally {
      sqlite.exec('ROLLBACK');
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
