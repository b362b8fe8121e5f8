import type { PolicyManifest, PolicyRule, PolicyObject } from "../../../shared/index.js";

export interface RuleVisit {
  role: string;
  /** Absent for role-level actions. */
  object?: PolicyObject;
  kind: "field" | "action";
  /** Field name or action verb. */
  name: string;
  rule: PolicyRule;
  /** Key path, e.g. `["roles", "enrichment", "objects", "contact", "fields", "email"]`. */
  path: ReadonlyArray<string>;
}

/** Every rule of the manifest, in file order: compile, validation and the field list all walk it. */
export function forEachRule(manifest: PolicyManifest, visit: (v: RuleVisit) => void): void {
  for (const [role, def] of Object.entries(manifest.roles)) {
    for (const [object, rules] of Object.entries(def.objects) as [
      PolicyObject,
      NonNullable<(typeof def.objects)[PolicyObject]>,
    ][]) {
      for (const [name, rule] of Object.entries(rules.fields)) {
        visit({ role, object, kind: "field", name, rule, path: ["roles", role, "objects", object, "fields", name] });
      }
      for (const [name, rule] of Object.entries(rules.actions)) {
        if (rule)
          visit({
            role,
            object,
            kind: "action",
            name,
            rule,
            path: ["roles", role, "objects", object, "actions", name],
          });
      }
    }
    for (const [name, rule] of Object.entries(def.actions)) {
      if (rule) visit({ role, kind: "action", name, rule, path: ["roles", role, "actions", name] });
    }
  }
}
