/**
 * `crm-app/hubspot/src/app/webhooks/webhooks-hsmeta.json` is generated from the policy
 * (docs/architecture.md#the-flow). A policy change without `npm run hubspot:webhooks` leaves HubSpot silent about the
 * fields the change governs; this suite makes CI fail instead.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TARGET_URL,
  generateWebhooksHsmeta,
  readPortalProperties,
  WEBHOOKS_HSMETA_PATH,
} from "../../crm-app/hubspot/scripts/generate-webhooks.js";
import { HUBSPOT_STANDARD_PROPERTIES } from "../../server/src/install/index.js";
import { HUBSPOT_PROVENANCE_NAMES, hubspotShadowName } from "../../shared/index.js";
import { listGovernedFields, loadPolicyFile } from "../../server/src/policy/index.js";

interface Subscription {
  subscriptionType: string;
  objectType: string;
  propertyName?: string;
}

const committedText = () => readFile(WEBHOOKS_HSMETA_PATH, "utf8");
const propertyKeys = (subs: Subscription[]) =>
  new Set(
    subs.filter((s) => s.subscriptionType === "object.propertyChange").map((s) => `${s.objectType}.${s.propertyName}`),
  );

describe("webhooks-hsmeta.json", () => {
  it("is exactly what the generator writes from manifests/policy.yaml now (run npm run hubspot:webhooks)", async () => {
    expect(await committedText()).toBe((await generateWebhooksHsmeta()).text);
  });

  it("carries only the keys HubSpot's parser knows, and posts to the profile's Tollgate", async () => {
    const file = JSON.parse(await committedText());
    expect(Object.keys(file).sort()).toEqual(["config", "type", "uid"]);
    expect(file.config.settings.targetUrl).toBe(DEFAULT_TARGET_URL);
    expect(DEFAULT_TARGET_URL).toBe("${TOLLGATE_URL}/webhooks/hubspot");
  });

  it("subscribes to every governed field the object has, its shadow if proposable, and the provenance properties", async () => {
    const subs: Subscription[] = JSON.parse(await committedText()).config.subscriptions.crmObjects;
    const keys = propertyKeys(subs);
    const governed = listGovernedFields(await loadPolicyFile("manifests/policy.yaml"));
    expect(governed.length).toBeGreaterThan(0);
    for (const f of governed) {
      for (const name of HUBSPOT_PROVENANCE_NAMES) expect(keys).toContain(`${f.object}.${name}`);
      if (!HUBSPOT_STANDARD_PROPERTIES[f.object]?.includes(f.field)) continue;
      expect(keys).toContain(`${f.object}.${f.field}`);
      if (f.proposable) expect(keys).toContain(`${f.object}.${hubspotShadowName(f.field)}`);
    }
  });

  it("subscribes to no property an object lacks: a lead has no industry, city or annual revenue", async () => {
    const subs: Subscription[] = JSON.parse(await committedText()).config.subscriptions.crmObjects;
    for (const s of subs.filter((x) => x.subscriptionType === "object.propertyChange")) {
      const own = s.propertyName!.startsWith("ai_") ? s.propertyName!.replace(/^ai_proposed_/, "") : s.propertyName!;
      if (HUBSPOT_PROVENANCE_NAMES.includes(s.propertyName!)) continue;
      expect(HUBSPOT_STANDARD_PROPERTIES[s.objectType as "lead"], `${s.objectType}.${s.propertyName}`).toContain(own);
    }
    const { skipped } = await generateWebhooksHsmeta();
    expect(skipped).toContainEqual({ object: "lead", field: "industry", reason: "not_on_object" });
  });

  it("--from-portal adds the portal's own properties (read through the connector) that the policy names", async () => {
    const asked: string[] = [];
    const portal = await readPortalProperties(
      {
        listProperties: async (objectType) => {
          asked.push(objectType);
          return objectType === "leads"
            ? [{ name: "industry", label: "Industry", type: "string", fieldType: "text" }]
            : [];
        },
      },
      ["contact", "lead"],
    );
    expect(asked).toEqual(["contacts", "leads"]);
    const { text, skipped } = await generateWebhooksHsmeta({ portalProperties: portal });
    expect(propertyKeys(JSON.parse(text).config.subscriptions.crmObjects)).toContain("lead.industry");
    expect(skipped).not.toContainEqual(expect.objectContaining({ object: "lead", field: "industry" }));
  });

  it("changes when the policy does, so a stale file is caught", async () => {
    const other = (await generateWebhooksHsmeta({ policyPath: "manifests/policy.small-team.yaml" })).text;
    expect(other).not.toBe(await committedText());
    const keys = propertyKeys(JSON.parse(other).config.subscriptions.crmObjects);
    for (const f of listGovernedFields(await loadPolicyFile("manifests/policy.small-team.yaml")))
      if (HUBSPOT_STANDARD_PROPERTIES[f.object]?.includes(f.field)) expect(keys).toContain(`${f.object}.${f.field}`);
  });

  it("takes the target URL it is given", async () => {
    const { text } = await generateWebhooksHsmeta({ targetUrl: "https://tollgate.acme.test/webhooks/hubspot" });
    expect(JSON.parse(text).config.settings.targetUrl).toBe("https://tollgate.acme.test/webhooks/hubspot");
  });
});
