import type { PolicyRegistry } from "./policy-registry.js";

/** Re-reads published policies every `intervalMs` (another instance may have published); returns the stop. */
export function startPolicyRefresh(
  policies: Pick<PolicyRegistry, "refresh">,
  logger: { warn(obj: object, msg: string): void },
  intervalMs = 5000,
): () => void {
  const timer = setInterval(
    () => void policies.refresh().catch((err) => logger.warn({ err: (err as Error).message }, "policy refresh failed")),
    intervalMs,
  );
  timer.unref();
  return () => clearInterval(timer);
}
