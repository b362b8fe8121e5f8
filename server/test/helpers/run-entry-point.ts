import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface EntryPointResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a Node entry point (`npm start`'s, the CLI's) as a user would; its exit code and output, never a throw. */
export async function runEntryPoint(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 0,
): Promise<EntryPointResult> {
  try {
    const { stdout, stderr } = await run("node", [...args], {
      env: { ...process.env, LOG_LEVEL: "silent", ...env },
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Writes a policy with two bad fields, on lines 9 (email: tier 7) and 10 (phone: `phoneRule`),
 * for the tests of how start-up and the CLI report every problem with its line.
 */
export function writeMalformedPolicy(dir: string, name: string, phoneRule: string): string {
  const file = join(dir, name);
  const lines = ["version: 1", "tenant: default", "agents: []", "roles:", "  r:", "    objects:", "      contact:"];
  writeFileSync(
    file,
    [...lines, "        fields:", "          email: { tier: 7 }", `          phone: ${phoneRule}`, ""].join("\n"),
  );
  return file;
}
