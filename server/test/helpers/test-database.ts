import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, listMigrations, migrate, type Database } from "../../src/db/index.js";

/**
 * The PostgreSQL the suites use: a real server, never a mock. CI and every machine here run
 * one on 127.0.0.1 with trust auth; `TEST_DATABASE_URL` points elsewhere.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** TEST_REDIS_URL as connection options, for BullMQ queues that open their own connections. */
export function testRedisOptions(): { host: string; port: number } {
  const url = new URL(TEST_REDIS_URL);
  return { host: url.hostname, port: Number(url.port || 6379) };
}

export interface TestDatabase {
  db: Database;
  schema: string;
  /** Drops the suite's schema and closes the pool. */
  drop(): Promise<void>;
}

/**
 * A database in a schema of its own, migrated, so suites running against the same server never
 * see each other's rows. `only` limits the migrations (by id prefix) for suites that test one.
 */
export async function createTestDatabase(options: { only?: string[]; poolSize?: number } = {}): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const db = await createDatabase({ url: TEST_DATABASE_URL, schema, poolSize: options.poolSize ?? 5 });
  const all = listMigrations();
  await migrate(db, options.only ? all.filter((m) => options.only!.some((p) => m.id.startsWith(p))) : all);
  return {
    db,
    schema,
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A unique prefix for Redis keys and BullMQ queues of one suite. */
export function testPrefix(name: string): string {
  return `tgtest:${name}:${randomBytes(4).toString("hex")}`;
}
