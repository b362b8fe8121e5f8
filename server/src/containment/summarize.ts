import type { ContainmentPoint, ContainmentReport } from "../../../shared/index.js";
import type { KillSwitch } from "../killswitch/index.js";

const settled = (p: ContainmentPoint) => p.state === "confirmed" || p.state === "not_applicable";

/**
 * The report of a switch change from its points (pure): contained (or lifted) only when every
 * point confirmed or does not apply; `final` ends the watch, and a point still pending or failed
 * then makes it `not_contained`.
 */
export function summarize(change: KillSwitch, points: ContainmentPoint[], final: boolean): ContainmentReport {
  const done = points.every(settled);
  const on = change.state === "on";
  const containedAt = done
    ? points.reduce<string>((max, p) => (p.confirmedAt && p.confirmedAt > max ? p.confirmedAt : max), change.when)
    : null;
  return {
    switchEventId: change.eventId ?? "",
    tenantId: change.tenantId,
    scope: change.scope,
    state: change.state,
    startedAt: change.when,
    status: done ? (on ? "contained" : "lifted") : final && on ? "not_contained" : on ? "containing" : "lifting",
    containedAt,
    secondsToContained: containedAt ? (Date.parse(containedAt) - Date.parse(change.when)) / 1000 : null,
    points,
  };
}

/** Whether the watch can stop: every point settled. */
export const isSettled = (points: readonly ContainmentPoint[]) => points.every(settled);
