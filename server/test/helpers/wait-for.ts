import { randomBytes } from "node:crypto";

/** A tenant id of its own for each test, so tests in one suite never share rows or queues. */
export function newTenantId(): string {
  return String(10_000_000 + (randomBytes(3).readUIntBE(0, 3) % 89_999_999));
}

/** Polls until `check` is true, or fails after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
