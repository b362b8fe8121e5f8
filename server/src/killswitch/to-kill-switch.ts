import type { KillSwitchScope } from "../../../shared/index.js";
import type { KillSwitch, Prevented } from "./types.js";

/** A `kill_switches` / `kill_switch_history` row. */
export interface KillSwitchRecord {
  tenant_id: string;
  scope_type: string;
  scope_value: string;
  state: string;
  reason: string;
  actor_type: string;
  actor_id: string;
  actor_role: string | null;
  set_at: string | Date;
  event_id: string | null;
  prevented?: Prevented | null;
}

export function toKillSwitch(r: KillSwitchRecord): KillSwitch {
  const type = r.scope_type as KillSwitchScope;
  return {
    tenantId: r.tenant_id,
    scope: { type, value: type === "tenant" ? null : r.scope_value },
    state: r.state === "on" ? "on" : "off",
    reason: r.reason,
    who: { type: r.actor_type === "system" ? "system" : "human", id: r.actor_id, role: r.actor_role, via: null },
    when: new Date(r.set_at).toISOString(),
    eventId: r.event_id,
    ...(r.prevented ? { prevented: r.prevented } : {}),
  };
}
