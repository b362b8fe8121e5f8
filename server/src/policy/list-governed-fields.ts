import { type PolicyObject, type Tier, hubspotShadowName, salesforceShadowName } from "../../../shared/index.js";
import { forEachRule } from "./for-each-rule.js";
import type { CompiledPolicy } from "./types.js";

/** One field the policy names, for the installer and the webhook-subscription generator. */
export interface GovernedField {
  object: PolicyObject;
  field: string;
  /** Tiers the roles give it, ascending. */
  tiers: Tier[];
  /** Roles that name it. */
  roles: string[];
  /**
   * Some role may write or propose it (tier 2 or 3), so it gets a shadow field: agents propose
   * through `ai_proposed_<field>` and approvals/auto rules move the value (docs/contracts.md#fields-the-app-installs).
   */
  proposable: boolean;
  /** Shadow names when `proposable`. */
  shadow: { hubspot: string; salesforce: string } | null;
}

/**
 * Every field any role names at any tier, sorted by object then field. Tier 0/1/4 fields are
 * listed too: the backstop must see writes to them to revert them.
 */
export function listGovernedFields(policy: CompiledPolicy): GovernedField[] {
  const byKey = new Map<string, GovernedField>();
  forEachRule(policy.manifest, ({ role, object, kind, name, rule }) => {
    if (kind !== "field" || object === undefined) return;
    const key = `${object}\u0000${name}`;
    let f = byKey.get(key);
    if (!f) {
      f = { object, field: name, tiers: [], roles: [], proposable: false, shadow: null };
      byKey.set(key, f);
    }
    if (!f.tiers.includes(rule.tier)) f.tiers.push(rule.tier);
    if (!f.roles.includes(role)) f.roles.push(role);
    if (rule.tier === 2 || rule.tier === 3) {
      f.proposable = true;
      f.shadow = { hubspot: hubspotShadowName(name), salesforce: salesforceShadowName(name) };
    }
  });
  const out = [...byKey.values()];
  for (const f of out) {
    f.tiers.sort((a, b) => a - b);
    f.roles.sort();
  }
  return out.sort((a, b) => (a.object === b.object ? cmp(a.field, b.field) : cmp(a.object, b.object)));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
