import { createDatabase, type Database } from "./database.js";
import { grantRuntimeRole, migrate } from "./migrate.js";

/**
 * The database, migrated. With a migration URL the schema's owner migrates and the server runs
 * as a role that can only append to the audit (docs/operations.md, security); without one the
 * server's own connection migrates. No URL: an embedded PGlite under `dataDir`.
 */
export async function openDatabase(options: {
  url: string | undefined;
  migrationUrl: string | undefined;
  dataDir: string;
}): Promise<Database> {
  const { url, migrationUrl } = options;
  if (migrationUrl && url) {
    const owner = await createDatabase({ url: migrationUrl, poolSize: 1 });
    try {
      await migrate(owner);
      await grantRuntimeRole(owner, decodeURIComponent(new URL(url).username));
    } finally {
      await owner.close();
    }
  }
  const db = await createDatabase({ url, dataDir: options.dataDir });
  if (!migrationUrl) await migrate(db);
  return db;
}
