import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Database } from "./database.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
// Any constant works; it only has to be the same for every Tollgate process on one database.
const MIGRATION_LOCK_KEY = 7_244_801;

export interface Migration {
  id: string;
  sql: string;
}

/**
 * The migrations, in order: every `NNN_name.sql` file in `migrations/`. The list is
 * append-only — a shipped file is never edited, a change is a new file.
 */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ""), sql: readFileSync(join(dir, f), "utf8") }));
}

/**
 * Applies the migrations not yet applied, each in its own transaction, under an advisory
 * lock so two processes starting together never run one twice.
 * @returns the ids it applied
 */
export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await tx.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set((await tx.query<{ id: string }>("SELECT id FROM schema_migrations")).rows.map((r) => r.id));
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (id) VALUES ($1)", [m.id]);
      applied.push(m.id);
    }
  });
  return applied;
}

/**
 * Gives `role` what the running server needs and no more (migration 011): read and write its
 * working tables, read the audit and append to it only through the chain's functions. Run it as
 * the schema's owner (`DATABASE_MIGRATION_URL`) after `migrate`.
 */
export async function grantRuntimeRole(owner: Database, role: string): Promise<void> {
  await owner.query("SELECT tollgate_grant_runtime($1)", [role]);
}
