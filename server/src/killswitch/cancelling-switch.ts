import type { KillSwitchState } from "../policy/index.js";
import type { CancellableWrite } from "./types.js";

/**
 * Writes that carry out what an agent did. Reverts, rollbacks and shadow clears protect the CRM and always go
 * (docs/contracts.md#rules-that-never-bend).
 */
export const AGENT_WRITE_PURPOSES: ReadonlySet<string> = new Set(["apply", "provenance", "agent_action"]);

/**
 * The switch that cancels a queued write, or `undefined`. Only the scopes a queued write can be
 * told apart by apply: tenant, the CRM-writes channel, the agent's role, the agent.
 */
export function cancellingSwitch(
  row: CancellableWrite,
  switches: KillSwitchState,
  role: string | undefined,
): string | undefined {
  if (row.agentId === null || !AGENT_WRITE_PURPOSES.has(row.purpose)) return undefined;
  const active = switches.active;
  if (active.size === 0) return undefined;
  for (const key of [
    "tenant",
    "channel:crm",
    role === undefined ? undefined : `role:${role}`,
    `agent:${row.agentId}`,
  ]) {
    if (key !== undefined && active.has(key)) return key;
  }
  return undefined;
}
