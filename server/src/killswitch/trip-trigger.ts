import type { KillSwitchTrigger } from "../../../shared/index.js";
import type { KillSwitchAlert } from "./create-alerter.js";
import type { KillSwitchService } from "./types.js";

/** Whose rate a trigger measured: the scope the switch it trips is set on. */
export interface TriggerSubject {
  type: "tenant" | "agent" | "role" | "channel" | "domain";
  value: string | null;
  key: string;
}

/**
 * Trips the switch an automatic trigger names (R7), audited as Tollgate's own act through
 * `trigger:<metric>`, and raises the alert when it was not already on. Alerts never block a trip.
 * Enforcement (write rates, reverts, denials) and delivery signals (bounces, complaints) trip
 * through here alike.
 */
export async function tripTrigger(
  deps: { killSwitches: Pick<KillSwitchService, "set">; alert?: ((alert: KillSwitchAlert) => unknown) | undefined },
  tenantId: string,
  t: KillSwitchTrigger,
  subject: TriggerSubject,
  measured: number,
  at: Date,
): Promise<boolean> {
  const reason = `trigger ${t.metric} above ${t.above}`;
  const sw = await deps.killSwitches.set(
    tenantId,
    { scope: { type: subject.type, value: subject.value }, state: "on", reason },
    { type: "system", id: "tollgate", role: null, via: `trigger:${t.metric}` },
  );
  if (sw.changed === false) return false;
  const alert: KillSwitchAlert = {
    type: "kill_switch.tripped",
    tenantId,
    scope: sw.scope,
    metric: t.metric,
    above: t.above,
    measured: Math.round(measured * 100) / 100,
    reason,
    eventId: sw.eventId,
    at: at.toISOString(),
  };
  try {
    void Promise.resolve(deps.alert?.(alert)).catch(() => undefined);
  } catch {
    // Alerts never block a trip.
  }
  return true;
}
