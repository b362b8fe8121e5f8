import {
  type PolicyManifest,
  SHADOW_PREFIX_HUBSPOT,
  SHADOW_PREFIX_SALESFORCE,
  isProvenanceField,
} from "../../../shared/index.js";
import { forEachRule } from "./for-each-rule.js";
import type { KeyPath } from "./locate-node.js";

export interface ReferenceProblem {
  path: KeyPath;
  /** Point at the key rather than its value. */
  atKey?: boolean;
  message: string;
}

/**
 * Rules the schema alone cannot express: references between parts of the file, and settings
 * that would be silently meaningless. Returns every problem, in file order.
 */
export function checkReferences(manifest: PolicyManifest): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const agentIds = new Map<string, number>();
  // Two agents behind one CRM identity would make attribution ambiguous (docs/architecture.md#the-flow, Identity).
  const identities = new Map<string, string>();
  const claim = (kind: string, value: string, agentId: string, path: KeyPath) => {
    const key = `${kind}:${value}`;
    const owner = identities.get(key);
    if (owner !== undefined && owner !== agentId) {
      problems.push({
        path,
        message: `${kind} ${value} is already used by agent ${JSON.stringify(owner)}: attribution would be ambiguous`,
      });
    } else identities.set(key, agentId);
  };

  manifest.agents.forEach((agent, i) => {
    const seen = agentIds.get(agent.id);
    if (seen !== undefined)
      problems.push({
        path: ["agents", i, "id"],
        message: `duplicate agent id ${JSON.stringify(agent.id)} (also agents[${seen}])`,
      });
    else agentIds.set(agent.id, i);
    if (!(agent.role in manifest.roles)) {
      problems.push({
        path: ["agents", i, "role"],
        message: `role ${JSON.stringify(agent.role)} is not defined under roles`,
      });
    }
    agent.hubspot?.appIds?.forEach((id, j) =>
      claim("HubSpot app id", id, agent.id, ["agents", i, "hubspot", "appIds", j]),
    );
    agent.hubspot?.userIds?.forEach((id, j) =>
      claim("HubSpot user id", id, agent.id, ["agents", i, "hubspot", "userIds", j]),
    );
    agent.salesforce?.userIds?.forEach((id, j) =>
      claim("Salesforce user id", id.slice(0, 15), agent.id, ["agents", i, "salesforce", "userIds", j]),
    );
    agent.salesforce?.clients?.forEach((c, j) =>
      claim("Salesforce client", c, agent.id, ["agents", i, "salesforce", "clients", j]),
    );
  });

  forEachRule(manifest, ({ kind, name, rule, path }) => {
    if (kind === "field") {
      if (name.startsWith(SHADOW_PREFIX_HUBSPOT) || name.startsWith(SHADOW_PREFIX_SALESFORCE)) {
        problems.push({ path, atKey: true, message: `${name} is a shadow field: govern the canonical field instead` });
      } else if (isProvenanceField(name)) {
        problems.push({
          path,
          atKey: true,
          message: `${name} is a provenance field: declared agents may always write it, it needs no rule`,
        });
      }
    }
    // Auto rules, exceptions and approvers only change tier 2/3 outcomes; on other tiers they
    // would read like permissions that are not there.
    if (rule.tier !== 2 && rule.tier !== 3) {
      for (const key of ["auto_if", "exceptions", "approvers", "approver_group"] as const) {
        if (rule[key] !== undefined)
          problems.push({
            path: [...path, key],
            atKey: true,
            message: `${key} only applies to tiers 2 and 3, this rule is tier ${rule.tier}`,
          });
      }
    }
    // A rule naming a group that does not exist would admit no one: say so at load time.
    if (rule.approver_group !== undefined && !(rule.approver_group in (manifest.approvers ?? {}))) {
      problems.push({
        path: [...path, "approver_group"],
        message: `approver group ${JSON.stringify(rule.approver_group)} is not defined under approvers`,
      });
    }
  });
  return problems;
}
