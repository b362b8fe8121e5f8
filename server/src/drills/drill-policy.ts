/**
 * The policy the sandbox drills run under: a slice of the shipped matrix with no time windows
 * (a drill must pass at 3 a.m. too) and a write-rate trigger low enough to trip in seconds.
 * Agents' HubSpot app ids are the local sandbox's (server/src/demo/start-local-stack.ts).
 */
export const DRILL_AGENTS = [
  { id: "enrichment-bot", appId: 1000002 },
  { id: "outreach-bot", appId: 1000003 },
  { id: "runaway-bot", appId: 1000009 },
] as const;

export const RUNAWAY_THRESHOLD = 20;

const OUTREACH_SEND = "send_email: { tier: 3, auto_if: { templates: [intro-v1] } }";

export function drillPolicyYaml(options: { withoutSend?: boolean; sendTier?: 2 | 3; triggers?: boolean } = {}): string {
  const send = options.withoutSend
    ? ""
    : options.sendTier === 2
      ? "      send_email: { tier: 2 }\n"
      : `      ${OUTREACH_SEND}\n`;
  const triggers =
    options.triggers === false
      ? "kill_switch_triggers: []\n"
      : `kill_switch_triggers:\n  - { metric: agent_writes_per_minute, above: ${RUNAWAY_THRESHOLD}, scope: agent }\n`;
  return `version: 1
tenant: default
timezone: UTC
agents:
${DRILL_AGENTS.map((a) => `  - { id: ${a.id}, role: ${a.id === "outreach-bot" ? "outreach" : "enrichment"}, hubspot: { appIds: [${a.appId}] } }`).join("\n")}
roles:
  enrichment:
    objects:
      contact:
        read: allow
        fields:
          email: { tier: 3, auto_if: { min_confidence: 0.9 }, exceptions: { exec_persona: human } }
          lifecyclestage: { tier: 1 }
      company:
        read: allow
        fields:
          industry: { tier: 2, auto_if: { sources: [apollo, clearbit] }, exceptions: { regulated_industry: human } }
          numberofemployees: { tier: 2, auto_if: { sources: [apollo, clearbit] }, exceptions: { regulated_industry: human } }
          description: { tier: 2 }
  outreach:
    objects:
      contact: { read: allow }
    actions:
${send}      create_task: { tier: 2 }
${triggers}`;
}
