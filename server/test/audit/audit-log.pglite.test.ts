import { describe } from "vitest";
import { createDatabase, migrate } from "../../src/db/index.js";
import { chainSuite } from "./chain-suite.js";
import { querySuite } from "./query-suite.js";
import type { OpenedDatabase } from "./support.js";

// The embedded database serves when DATABASE_URL is unset (docs/architecture.md#storage-and-services): same SQL, same
// migrations,
// so the same contract must hold on it.
async function openPglite(): Promise<OpenedDatabase> {
  const db = await createDatabase({ dataDir: "memory://" });
  await migrate(db);
  return { db, close: () => db.close() };
}

describe("audit log on PGlite: chain", () => chainSuite(openPglite));
describe("audit log on PGlite: reading back", () => querySuite(openPglite));
