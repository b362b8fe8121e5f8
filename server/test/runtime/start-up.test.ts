import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEntryPoint, writeMalformedPolicy } from "../helpers/run-entry-point.js";

const dir = mkdtempSync(join(tmpdir(), "tollgate-start-"));

/** Runs `npm start`'s entry point; start-up must fail before anything listens. */
const start = (env: Record<string, string>) =>
  runEntryPoint(["--import", "tsx", "server/src/main.ts"], { PORT: "0", TOLLGATE_DATA_DIR: dir, ...env }, 80_000);

// Each case spawns tsx, which compiles the server first: slow on a loaded machine, so a long timeout.
describe("npm start refuses bad configuration", { timeout: 90_000 }, () => {
  it("stops with one line naming a bad variable", async () => {
    const r = await start({ TOLLGATE_ENCRYPTION_KEY: "not-hex" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("tollgate: TOLLGATE_ENCRYPTION_KEY: must be 32 bytes as 64 hex characters");
  });

  it("stops on a malformed policy with one line per problem, each with its line", async () => {
    const file = writeMalformedPolicy(dir, "policy.yaml", "{ tier: two }");
    const r = await start({ TOLLGATE_POLICY: file });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toBe("policy.yaml is invalid (2 problems)");
    expect(lines[1]).toMatch(/^policy\.yaml:9:\d+ roles\.r\.objects\.contact\.fields\.email\.tier: /);
    expect(lines[2]).toMatch(/^policy\.yaml:10:\d+ roles\.r\.objects\.contact\.fields\.phone\.tier: /);
  });
});
