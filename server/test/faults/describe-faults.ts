import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe } from "vitest";
import { PG_BIN } from "./fault-harness.js";

/**
 * The fault suite kills, flushes and restarts services of its own, so it needs their programs on
 * this machine: the shared services (or docker-compose.yml's) are never touched. Where they are
 * missing — a machine with only Docker and Node — the suite is skipped, saying what to install.
 */
const missing = [
  spawnSync("redis-server", ["--version"]).status === 0 ? undefined : "redis-server",
  existsSync(join(PG_BIN, "initdb")) ? undefined : `initdb (in ${PG_BIN}; set TOLLGATE_PG_BIN)`,
].filter((x): x is string => x !== undefined);

if (missing.length > 0)
  console.warn(`fault suite skipped: install ${missing.join(" and ")} to run it (see README, "Prerequisites")`);

export const describeFaults = missing.length > 0 ? describe.skip : describe;
