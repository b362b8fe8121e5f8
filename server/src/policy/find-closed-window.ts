import { isKnownTimeZone, localTime } from "./local-time.js";
import type { CompiledPolicy, CompiledRole, CompiledWindow, DecisionInput } from "./types.js";

export interface ClosedWindow {
  window: CompiledWindow;
  /** The zone the window was evaluated in. */
  zone: string;
}

/**
 * The first window that is closed at `input.at`: the role's own window (every governed act),
 * then the verb's tenant window (`windows.send_email`). `tz: prospect` uses the prospect's zone
 * when the input gives a known one, else the tenant's.
 */
export function findClosedWindow(
  policy: CompiledPolicy,
  role: CompiledRole,
  input: DecisionInput,
): ClosedWindow | undefined {
  if (role.window !== undefined && !isOpen(policy, role.window, input))
    return { window: role.window, zone: zoneOf(policy, role.window, input) };
  if (input.kind === "action" && input.action !== undefined) {
    const w = policy.windows.get(input.action);
    if (w !== undefined && !isOpen(policy, w, input)) return { window: w, zone: zoneOf(policy, w, input) };
  }
  return undefined;
}

function zoneOf(policy: CompiledPolicy, w: CompiledWindow, input: DecisionInput): string {
  if (w.tz !== "prospect") return w.tz;
  const p = input.prospectTimeZone;
  return p !== undefined && isKnownTimeZone(p) ? p : policy.timezone;
}

function isOpen(policy: CompiledPolicy, w: CompiledWindow, input: DecisionInput): boolean {
  const t = localTime(input.at.getTime(), zoneOf(policy, w, input));
  // Zones were validated at load and prospect zones checked above; an unknown one cannot open a window.
  if (t === undefined) return false;
  if ((w.dayMask & (1 << t.weekday)) === 0) return false;
  if (w.from === undefined || w.to === undefined) return true;
  // from > to is an overnight window (on-call 22:00–06:00).
  return w.from <= w.to ? t.minute >= w.from && t.minute < w.to : t.minute >= w.from || t.minute < w.to;
}
