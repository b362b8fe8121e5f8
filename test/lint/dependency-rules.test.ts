import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";

/**
 * The dependency rules of docs/architecture.md#dependency-rules, run exactly as `npm run lint`
 * runs them (the repository's .dependency-cruiser.cjs, dependency-cruiser's own CLI), on a small
 * tree that keeps every rule — then on the same tree with one violation added.
 */
const repo = resolve(import.meta.dirname, "../..");
const cli = join(repo, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");
const run = promisify(execFile);

const CLEAN: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }),
  "shared/index.ts": 'export { TIERS } from "./tiers.js";\n',
  "shared/tiers.ts": "export const TIERS = [0, 1, 2, 3, 4];\n",
  "server/src/policy/index.ts": 'export { decide } from "./decide.js";\n',
  "server/src/policy/decide.ts":
    'import { TIERS } from "../../../shared/index.js";\nexport const decide = () => TIERS[0];\n',
  "server/src/killswitch/index.ts": 'export { isOn } from "./is-on.js";\n',
  "server/src/killswitch/is-on.ts":
    'import { decide } from "../policy/index.js";\nexport const isOn = () => decide() === 0;\n',
  "server/src/http/index.ts": 'export { route } from "./route.js";\n',
  "server/src/http/route.ts": 'import { isOn } from "../killswitch/index.js";\nexport const route = () => isOn();\n',
  "server/src/crm/index.ts": "export type Connector = { name: string };\n",
  "server/src/crm/hubspot/index.ts":
    'import type { Connector } from "../index.js";\nexport const hubspot: Connector = { name: "hubspot" };\n',
  "server/src/runtime/index.ts":
    'import { route } from "../http/index.js";\nimport { hubspot } from "../crm/hubspot/index.js";\nexport const start = () => [route(), hubspot];\n',
  "server/sandbox/hubspot/index.ts":
    'import { hubspot } from "../../src/crm/hubspot/index.js";\nexport const sandbox = hubspot;\n',
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the checker on CLEAN plus `extra` files; answers the exit code and the report. */
async function check(extra: Record<string, string> = {}): Promise<{ code: number; report: string }> {
  const root = mkdtempSync(join(tmpdir(), "tollgate-lint-"));
  dirs.push(root);
  for (const [path, text] of Object.entries({ ...CLEAN, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const args = [cli, "server", "shared", "--config", join(repo, ".dependency-cruiser.cjs"), "--output-type", "err"];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: root });
    return { code: 0, report: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, report: e.stdout };
  }
}

// Each violation sits in its own corner of one tree, so one run shows every rule failing.
const VIOLATIONS: Record<string, string> = {
  // exceptions → qa → exceptions through index files only: a folder cycle no module closes.
  "server/src/exceptions/index.ts": 'export { open } from "./open.js";\n',
  "server/src/exceptions/open.ts": 'import { sample } from "../qa/index.js";\nexport const open = () => sample;\n',
  "server/src/qa/index.ts": 'export { sample } from "./sample.js";\n',
  "server/src/qa/sample.ts":
    'import type { open } from "../exceptions/index.js";\nexport const sample = (o?: typeof open) => o;\n',
  // http past killswitch's index.
  "server/src/http/route.ts": 'import { isOn } from "../killswitch/is-on.js";\nexport const route = () => isOn();\n',
  // policy past shared's index.
  "server/src/policy/decide.ts":
    'import { TIERS } from "../../../shared/tiers.js";\nexport const decide = () => TIERS[0];\n',
  // runtime into the sandbox.
  "server/src/runtime/index.ts":
    'import { sandbox } from "../../sandbox/hubspot/index.js";\nexport const start = () => sandbox;\n',
};

describe("npm run lint's dependency rules", () => {
  it("pass on a tree that keeps them (index imports, crm/<crm>/index.ts, the sandbox importing server/src)", async () => {
    const { code, report } = await check();
    expect(report).not.toMatch(/error/);
    expect(code).toBe(0);
  });

  it("fail on a folder cycle, a deep import, a deep import of shared/, and server/src reaching the sandbox", async () => {
    const { code, report } = await check(VIOLATIONS);
    expect(code).not.toBe(0);
    expect(report).toMatch(/no-folder-cycle: server\/src\/(exceptions|qa) → \s*server\/src\/(qa|exceptions) →/);
    expect(report).not.toMatch(/no-folder-cycle: server\/src\/(http|killswitch|policy|runtime)/);
    expect(report).toMatch(/no-deep-import: server\/src\/http\/route\.ts → server\/src\/killswitch\/is-on\.ts/);
    expect(report).toMatch(/no-deep-shared-import: server\/src\/policy\/decide\.ts → shared\/tiers\.ts/);
    expect(report).toMatch(
      /no-sandbox-in-production: server\/src\/runtime\/index\.ts → server\/sandbox\/hubspot\/index\.ts/,
    );
  });
});
