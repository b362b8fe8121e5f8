import { startTollgateWithSandbox, type Harness } from "./start-tollgate-with-sandbox.js";

/** One API key entry of `TOLLGATE_API_KEYS` (docs/contracts.md#configuration). */
export interface ApiKeyEntry {
  key: string;
  role: string;
  name?: string;
  agentId?: string;
  tenantId?: string;
  email?: string;
}

/**
 * A policy with one agent, outreach-bot (HubSpot app 1000003), that reads contacts and asks for `actions` at their
 * tiers.
 */
export function outreachPolicy(actions: Record<string, number>): string {
  const lines = Object.entries(actions).map(([action, tier]) => `      ${action}: { tier: ${tier} }`);
  return [
    "version: 1",
    "tenant: default",
    "agents:",
    "  - { id: outreach-bot, role: outreach, hubspot: { appIds: [1000003] } }",
    "roles:",
    "  outreach:",
    "    objects: { contact: { read: allow } }",
    "    actions:",
    ...lines,
    "",
  ].join("\n");
}

/** A real Tollgate against the sandbox under `policyYaml`, with exactly these API keys. */
export function startWithApiKeys(policyYaml: string, keys: readonly ApiKeyEntry[]): Promise<Harness> {
  return startTollgateWithSandbox({ policyYaml, env: { TOLLGATE_API_KEYS: JSON.stringify(keys) } });
}
