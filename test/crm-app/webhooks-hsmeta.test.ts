/**
 * `crm-app/hubspot/src/app/webhooks/webhooks-hsmeta.json` is generated from the policy
 * (docs/architecture.md#the-flow). A policy change without `npm run hubspot:webhooks` leaves HubSpot silent about the
 * fields the change governs; this suite makes CI fail instead.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TARGET_URL,
  GENERATED_BANNER_KEY,
  generateWebhooksHsmeta,
  WEBHOOKS_HSMETA_PATH,
} from "../../crm-app/hubspot/scripts/generate-webhooks.js";
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
    expect(await committedText()).toBe(await generateWebhooksHsmeta());
  });

  it("names its generator and posts to Tollgate's webhook route", async () => {
    const file = JSON.parse(await committedText());
    expect(file[GENERATED_BANNER_KEY]).toMatch(
      /crm-app\/hubspot\/scripts\/generate-webhooks\.ts from manifests\/policy\.yaml/,
    );
    expect(file.config.settings.targetUrl).toBe(DEFAULT_TARGET_URL);
    expect(new URL(DEFAULT_TARGET_URL).pathname).toBe("/webhooks/hubspot");
  });

  it("subscribes to every governed field, the shadow of every proposable one and the provenance properties", async () => {
    const subs: Subscription[] = JSON.parse(await committedText()).config.subscriptions.crmObjects;
    const keys = propertyKeys(subs);
    const governed = listGovernedFields(await loadPolicyFile("manifests/policy.yaml"));
    expect(governed.length).toBeGreaterThan(0);
    for (const f of governed) {
      expect(keys).toContain(`${f.object}.${f.field}`);
      if (f.proposable) expect(keys).toContain(`${f.object}.${hubspotShadowName(f.field)}`);
      for (const name of HUBSPOT_PROVENANCE_NAMES) expect(keys).toContain(`${f.object}.${name}`);
    }
  });

  it("changes when the policy does, so a stale file is caught", async () => {
    const other = await generateWebhooksHsmeta({ policyPath: "manifests/policy.small-team.yaml" });
    expect(other).not.toBe(await committedText());
    expect(JSON.parse(other)[GENERATED_BANNER_KEY]).toContain("manifests/policy.small-team.yaml");
    const keys = propertyKeys(JSON.parse(other).config.subscriptions.crmObjects);
    for (const f of listGovernedFields(await loadPolicyFile("manifests/policy.small-team.yaml")))
      expect(keys).toContain(`${f.object}.${f.field}`);
  });

  it("takes the target URL it is given", async () => {
    const text = await generateWebhooksHsmeta({ targetUrl: "https://tollgate.acme.test/webhooks/hubspot" });
    expect(JSON.parse(text).config.settings.targetUrl).toBe("https://tollgate.acme.test/webhooks/hubspot");
  });
});
