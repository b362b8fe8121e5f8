import { join } from "node:path";
import { loadConfig, type Config } from "../config/index.js";
import { createDatabase, migrate, type Database } from "../db/index.js";
import { createAuditLog, deriveCheckpointKey, type AuditLog } from "../audit/index.js";

/** What CLI commands that touch the stores share: built lazily, closed once at exit. */
export interface CliServices {
  config: Config;
  db: Database;
  audit: AuditLog;
  close(): Promise<void>;
}

/** Builds the stores from the same environment `npm start` reads (DESIGN §8). */
export async function createCliServices(env: NodeJS.ProcessEnv = process.env): Promise<CliServices> {
  const config = loadConfig(env);
  const db = await createDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, "pglite") });
  await migrate(db);
  const key = config.encryptionKey ? deriveCheckpointKey(config.encryptionKey.toString("hex")) : undefined;
  const audit = await createAuditLog(db, key ? { signingSeed: key.seed } : {});
  return { config, db, audit, close: () => db.close() };
}
