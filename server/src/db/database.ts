import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { mkdirSync } from "node:fs";

/** Anything that runs SQL: the database itself or one transaction on it. */
export interface Sql {
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs a script of several statements, no parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * The system of record (docs/architecture.md#storage-and-services). PostgreSQL when `DATABASE_URL` is set, otherwise an
 * embedded PGlite under `./data/` running the same SQL and migrations.
 */
export interface Database extends Sql {
  readonly kind: "postgres" | "pglite";
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent an embedded PGlite database is used. */
  url?: string | undefined;
  /**
   * Directory for PGlite's files; `"memory://"` keeps it in memory.
   * @defaultValue `./data/pglite`
   */
  dataDir?: string;
  /**
   * Schema to work in (created if missing). Tests use one schema per suite so suites sharing
   * one PostgreSQL never see each other's rows.
   * @defaultValue `public`
   */
  schema?: string;
  /** @defaultValue 10 */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return options.url
    ? createPostgres(options.url, schema, options.poolSize ?? 10)
    : createPglite(options.dataDir ?? "./data/pglite", schema);
}

async function createPostgres(url: string, schema: string, max: number): Promise<Database> {
  // Bootstrap the schema with a one-off client so every pooled connection can start in it.
  if (schema !== "public") {
    const boot = new pg.Client({ connectionString: url });
    await boot.connect();
    try {
      // Only when missing: a runtime role that may not create schemas (DATABASE_MIGRATION_URL
      // owns it) still connects to the one its migration role made.
      const found = await boot.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
      if (found.rowCount === 0) await boot.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await boot.end();
    }
  }
  // Only override the search path when a schema is asked for, so a DATABASE_URL may carry its own
  // (`?options=-c%20search_path%3Dtollgate`).
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(schema === "public" ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  const toResult = <R>(r: pg.QueryResult) => ({ rows: r.rows as R[], rowCount: r.rowCount ?? 0 });
  return {
    kind: "postgres",
    async query<R>(text: string, params?: readonly unknown[]) {
      return toResult<R>(await pool.query(text, params as unknown[] | undefined));
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // A checked-out client losing its server (PostgreSQL restarted mid-transaction) emits
      // 'error' with no pool listener attached: without ours that crashes the process. The
      // transaction's query rejects anyway, and the broken client is discarded on release.
      let broken: Error | undefined;
      const onError = (err: Error) => (broken = err);
      client.on("error", onError);
      try {
        await client.query("BEGIN");
        const tx: Sql = {
          query: async <R>(text: string, params?: readonly unknown[]) =>
            toResult<R>(await client.query(text, params as unknown[] | undefined)),
          exec: async (script: string) => {
            await client.query(script);
          },
        };
        const out = await fn(tx);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      } finally {
        client.off("error", onError);
        client.release(broken);
      }
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}

async function createPglite(dataDir: string, schema: string): Promise<Database> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
  await db.waitReady;
  if (schema !== "public") await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}`);
  const toResult = <R>(r: { rows: unknown[]; affectedRows?: number }) => ({
    rows: r.rows as R[],
    rowCount: r.affectedRows ?? r.rows.length,
  });
  return {
    kind: "pglite",
    async query<R>(text: string, params?: readonly unknown[]) {
      return toResult<R>(await db.query(text, params as unknown[] | undefined));
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      // PGlite has one connection; its transaction() holds it exclusively, which serialises
      // transactions just as row locks would on a server.
      return db.transaction(async (t) =>
        fn({
          query: async <R>(text: string, params?: readonly unknown[]) =>
            toResult<R>(await t.query(text, params as unknown[] | undefined)),
          exec: async (script: string) => {
            await t.exec(script);
          },
        }),
      );
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async close() {
      await db.close();
    },
  };
}
