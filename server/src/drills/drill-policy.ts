import type { CrmName } from "../../../shared/index.js";
import { DRILL_CRMS } from "./drill-crm.js";

/** The agents the drills act as; the app ids are the local HubSpot sandbox's. */
export const DRILL_AGENTS = [
  { id: "enrichment-bot", appId: 1000002 },
  { id: "outreach-bot", appId: 1000003 },
  { id: "runaway-bot", appId: 1000009 },
] as const;

export const RUNAWAY_THRESHOLD = 20;

const OUTREACH_SEND = "send_email: { tier: 3, auto_if: { templates: [intro-v1] } }";

/** The company fields the enrichment role may write, as each CRM names the object and them. */
const COMPANY: Record<CrmName, { object: string; fields: [string, string, string] }> = {
  hubspot: { object: "company", fields: ["industry", "numberofemployees", "description"] },
  salesforce: { object: "account", fields: ["Industry", "NumberOfEmployees", "Description"] },
};

/**
 * The policy the drills run under: a slice of the shipped matrix with no time windows (a drill
 * must pass at 3 a.m. too) and a write-rate trigger low enough to trip in seconds, naming the
 * drilled CRM's own objects and fields. Agents' HubSpot app ids are the local sandbox's
 * (server/sandbox/demo/start-local-stack.ts); on Salesforce agents name no users, so a drill's
 * kill switch never freezes a user of the org (docs/policy.md).
 */
export function drillPolicyYaml(
  options: { crm?: CrmName; withoutSend?: boolean; sendTier?: 2 | 3; triggers?: boolean } = {},
): string {
  const crm = options.crm ?? "hubspot";
  const email = DRILL_CRMS[crm].emailField;
  const company = COMPANY[crm];
  const [industry, employees, description] = company.fields;
  const identity = (appId: number) => (crm === "hubspot" ? `, hubspot: { appIds: [${appId}] }` : "");
  const stage = crm === "hubspot" ? "\n          lifecyclestage: { tier: 1 }" : "";
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
${DRILL_AGENTS.map((a) => `  - { id: ${a.id}, role: ${a.id === "outreach-bot" ? "outreach" : "enrichment"}${identity(a.appId)} }`).join("\n")}
roles:
  enrichment:
    objects:
      contact:
        read: allow
        fields:
          ${email}: { tier: 3, auto_if: { min_confidence: 0.9 }, exceptions: { exec_persona: human } }${stage}
      ${company.object}:
        read: allow
        fields:
          ${industry}: { tier: 2, auto_if: { sources: [apollo, clearbit] }, exceptions: { regulated_industry: human } }
          ${employees}: { tier: 2, auto_if: { sources: [apollo, clearbit] }, exceptions: { regulated_industry: human } }
          ${description}: { tier: 2 }
  outreach:
    objects:
      contact: { read: allow }
    actions:
${send}      create_task: { tier: 2 }
${triggers}`;
}
