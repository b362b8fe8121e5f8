import type { KillSwitchScope } from "../../../shared/index.js";
import { killSwitchKey, type KillSwitchState } from "../policy/index.js";

/** Operators' channel words → the policy's channels (`channelOf`); see shared/kill-switch.ts. */
const CHANNEL_ALIASES: Readonly<Record<string, string>> = { crm_writes: "crm", sends: "email", enrollments: "email" };
/** A stored channel value that stands for several policy channels. */
const CHANNEL_GROUPS: Readonly<Record<string, readonly string[]>> = { all_outbound: ["email", "meetings"] };

/** The scope as stored: tenant has no value, channel aliases become the policy's channel. */
export function normalizeScope(
  type: KillSwitchScope,
  value: string | null | undefined,
): { type: KillSwitchScope; value: string | null } {
  if (type === "tenant") return { type, value: null };
  const v = (value ?? "").trim();
  return { type, value: type === "channel" ? (CHANNEL_ALIASES[v] ?? v) : v };
}

/** The `KillSwitchState` keys one stored switch turns on (`all_outbound` is two). */
export function policyKeysOf(type: KillSwitchScope, value: string | null): string[] {
  if (type === "channel" && value !== null && CHANNEL_GROUPS[value])
    return CHANNEL_GROUPS[value].map((c) => killSwitchKey("channel", c));
  return [killSwitchKey(type, value ?? undefined)];
}

/**
 * The stored switches (as {@link fieldOf} names them) that would cover these `KillSwitchState`
 * keys: each key itself, and every group it belongs to (`channel:email` → `channel:all_outbound`).
 * A permit keeps them, so its revocation is a plain match against `kill_switch_history`.
 */
export function storedFieldsCovering(policyKeys: readonly string[]): string[] {
  const fields = new Set(policyKeys);
  for (const [group, channels] of Object.entries(CHANNEL_GROUPS))
    if (channels.some((c) => fields.has(killSwitchKey("channel", c)))) fields.add(fieldOf("channel", group));
  return [...fields];
}

/** Cache field of a stored switch: `tenant`, `agent:enrichment-bot`, `channel:all_outbound`. */
export function fieldOf(type: KillSwitchScope, value: string | null): string {
  return type === "tenant" ? "tenant" : `${type}:${value ?? ""}`;
}

export function stateOf(
  switches: Iterable<{ scope: { type: KillSwitchScope; value: string | null } }>,
): KillSwitchState {
  const active = new Set<string>();
  for (const s of switches) for (const key of policyKeysOf(s.scope.type, s.scope.value)) active.add(key);
  return { active };
}
