import type { KillSwitchScope } from "../../../shared/index.js";
import type { Channel, DecisionInput, KillSwitchState } from "./types.js";

/**
 * The key of one switch in `KillSwitchState.active`: `channel:email`, `agent:outreach-bot`…
 * The tenant switch is just `tenant`: the state is already one tenant's.
 */
export function killSwitchKey(scope: KillSwitchScope, value?: string): string {
  return scope === "tenant" ? "tenant" : `${scope}:${value ?? ""}`;
}

/** Builds a state from the `{type, value}` switches `GET /v1/kill-switches` lists. */
export function createKillSwitchState(switches: Iterable<{ type: KillSwitchScope; value?: string }>): KillSwitchState {
  const active = new Set<string>();
  for (const s of switches) active.add(killSwitchKey(s.type, s.value));
  return { active };
}

export const NO_KILL_SWITCHES: KillSwitchState = Object.freeze({ active: new Set<string>() });

/** Which channel an input travels on: sends stop with `channel:email`, research goes on. */
export function channelOf(input: DecisionInput): Channel {
  if (input.kind === "action") {
    if (input.action === "send_email" || input.action === "enroll_sequence") return "email";
    if (input.action === "book_meeting") return "meetings";
  }
  return "crm";
}

/**
 * The switch keys that would stop this input, widest scope first: the tenant, its channel, the
 * agent's role, the agent, and its segment, domain, template and provider when it has them.
 * Permits remember them, so a switch turned on later revokes a permit already issued.
 */
export function killSwitchKeysOf(input: DecisionInput, role: string | undefined): string[] {
  const a = input.attributes;
  const candidates = [
    "tenant",
    `channel:${channelOf(input)}`,
    role === undefined ? undefined : `role:${role}`,
    `agent:${input.agentId}`,
    a?.segment === undefined ? undefined : `segment:${a.segment}`,
    a?.domain === undefined ? undefined : `domain:${a.domain}`,
    a?.template === undefined ? undefined : `template:${a.template}`,
    (a?.provider ?? input.source) === undefined ? undefined : `provider:${a?.provider ?? input.source}`,
  ];
  return candidates.filter((k): k is string => k !== undefined);
}

/** The first active switch that covers this input, widest scope first; `undefined` when none. */
export function findActiveKillSwitch(
  switches: KillSwitchState,
  input: DecisionInput,
  role: string | undefined,
): string | undefined {
  if (switches.active.size === 0) return undefined;
  return killSwitchKeysOf(input, role).find((key) => switches.active.has(key));
}
