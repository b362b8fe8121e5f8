import { describe, expect, it } from "vitest";
import { listGovernedFields, loadPolicyFile } from "../../src/policy/index.js";
import {
  HUBSPOT_STANDARD_PROPERTIES,
  HUBSPOT_SUBSCRIPTION_CAP,
  planProvisioning,
  planWebhookSubscriptions,
} from "../../src/install/index.js";
import { HUBSPOT_OBJECTS } from "../../../shared/index.js";

// The policy's own `listGovernedFields` output feeds install unchanged: this pins the seam.
describe("install from the shipped policy (manifests/policy.yaml)", () => {
  it("subscribes to every field it names that the object has, and its shadows, within HubSpot's cap", async () => {
    const fields = listGovernedFields(await loadPolicyFile("manifests/policy.yaml"));
    expect(fields.length).toBeGreaterThan(0);
    const subs = planWebhookSubscriptions(fields);
    expect(subs.length).toBeLessThanOrEqual(HUBSPOT_SUBSCRIPTION_CAP);
    const keys = new Set(subs.map((s) => `${s.objectType}.${s.propertyName ?? s.subscriptionType}`));
    for (const f of fields.filter((f) => HUBSPOT_STANDARD_PROPERTIES[f.object]?.includes(f.field))) {
      expect(keys, `${f.object}.${f.field}`).toContain(`${f.object}.${f.field}`);
      if (f.proposable) expect(keys).toContain(`${f.object}.ai_proposed_${f.field}`);
    }
  });

  it("plans a shadow for each proposable field the CRM has", async () => {
    const fields = listGovernedFields(await loadPolicyFile("manifests/policy.yaml"));
    const existing: Record<string, { name: string; label: string; type: string; fieldType: string }[]> = {};
    for (const f of fields) {
      const objectType = HUBSPOT_OBJECTS[f.object]?.name;
      if (objectType)
        (existing[objectType] ??= []).push({ name: f.field, label: f.field, type: "string", fieldType: "text" });
    }
    const plan = planProvisioning({ governedFields: fields, existing });
    const shadows = plan.objects.flatMap((o) =>
      o.properties.filter((p) => p.kind === "shadow").map((p) => `${o.object}.${p.canonical}`),
    );
    const expected = fields
      .filter((f) => f.proposable && HUBSPOT_OBJECTS[f.object] && !f.field.startsWith("ai_"))
      .map((f) => `${f.object}.${f.field}`);
    expect(shadows.sort()).toEqual([...new Set(expected)].sort());
    expect(plan.problems.filter((p) => p.kind === "missing_canonical")).toEqual([]);
  });
});
