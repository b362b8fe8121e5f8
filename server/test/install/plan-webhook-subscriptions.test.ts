import { describe, expect, it } from "vitest";
import {
  HUBSPOT_SUBSCRIPTION_CAP,
  planWebhookCoverage,
  planWebhookSubscriptions,
  renderWebhooksHsmeta,
  WebhookSubscriptionCapError,
  type CrmObjectSubscription,
  type GovernedField,
} from "../../src/install/index.js";
import { HUBSPOT_PROVENANCE_NAMES } from "../../../shared/index.js";

const GOVERNED: GovernedField[] = [
  { object: "contact", field: "industry", proposable: true },
  { object: "contact", field: "jobtitle", proposable: false },
  { object: "contact", field: "dnc_flag", proposable: false },
  // Named by the policy and also a default: must appear once.
  { object: "contact", field: "hs_lead_status", proposable: false },
  { object: "contact", field: "industry", proposable: true },
  { object: "deal", field: "amount", proposable: true },
  { object: "account", field: "Industry", proposable: true },
];

const key = (s: CrmObjectSubscription) => `${s.subscriptionType} ${s.objectType} ${s.propertyName ?? ""}`.trim();

function propertyChanges(subs: CrmObjectSubscription[], objectType: string): string[] {
  return subs
    .filter((s) => s.subscriptionType === "object.propertyChange" && s.objectType === objectType)
    .map((s) => s.propertyName!);
}

// `dnc_flag` is not a standard HubSpot contact property: this portal added it.
const PORTAL = { contact: ["dnc_flag"] };
/** Every field as a property the portal reports, so only the cap is tested. */
const portalOf = (fields: GovernedField[]) => ({
  contact: fields.filter((f) => f.object === "contact").map((f) => f.field),
  deal: fields.filter((f) => f.object === "deal").map((f) => f.field),
});

describe("planWebhookSubscriptions", () => {
  const subs = planWebhookSubscriptions(GOVERNED, { portalProperties: PORTAL });

  it("subscribes to every governed field, the shadows of proposable ones, provenance and the defaults", () => {
    const contact = propertyChanges(subs, "contact");
    expect(contact).toEqual(
      expect.arrayContaining(["industry", "jobtitle", "dnc_flag", "ai_proposed_industry", ...HUBSPOT_PROVENANCE_NAMES]),
    );
    expect(contact).toEqual(
      expect.arrayContaining(["hubspot_owner_id", "lifecyclestage", "hs_lead_status", "hs_email_optout"]),
    );
    expect(contact).not.toContain("ai_proposed_jobtitle");

    expect(propertyChanges(subs, "deal")).toEqual(
      expect.arrayContaining([
        "amount",
        "ai_proposed_amount",
        "dealstage",
        "closedate",
        "hubspot_owner_id",
        ...HUBSPOT_PROVENANCE_NAMES,
      ]),
    );
    expect(propertyChanges(subs, "company")).toEqual(
      expect.arrayContaining(["hubspot_owner_id", "lifecyclestage", ...HUBSPOT_PROVENANCE_NAMES]),
    );
  });

  it("watches creation, deletion and merge of each object, and nothing HubSpot lacks", () => {
    for (const objectType of ["contact", "company", "deal"]) {
      for (const type of ["object.creation", "object.deletion", "object.merge"]) {
        expect(subs).toContainEqual({ subscriptionType: type, objectType, active: true });
      }
    }
    expect(new Set(subs.map((s) => s.objectType))).toEqual(new Set(["contact", "company", "deal"]));
    expect(
      subs.filter((s) => s.subscriptionType !== "object.propertyChange").every((s) => s.propertyName === undefined),
    ).toBe(true);
  });

  it("lists each subscription once, all active, in the hsmeta shape", () => {
    const keys = subs.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(propertyChanges(subs, "contact").filter((p) => p === "hs_lead_status")).toHaveLength(1);
    expect(propertyChanges(subs, "deal").filter((p) => p === "amount")).toHaveLength(1);
    for (const s of subs) {
      expect(s.active).toBe(true);
      expect(Object.keys(s).sort()).toEqual(
        s.propertyName === undefined
          ? ["active", "objectType", "subscriptionType"]
          : ["active", "objectType", "propertyName", "subscriptionType"],
      );
    }
    // 3 objects × 3 record events; contact 4 defaults + 4 fields + 1 shadow + 6 provenance (hs_lead_status shared);
    // company 2 + 6; deal 4 defaults + 1 shadow + 6 (amount shared).
    expect(subs).toHaveLength(9 + (4 + 3 + 1 + 6) + (2 + 6) + (4 + 1 + 6));
  });

  it("is stable: the same policy gives the same list", () => {
    expect(planWebhookSubscriptions([...GOVERNED], { portalProperties: PORTAL })).toEqual(subs);
  });

  it("leaves out a field the object does not have, and says so: HubSpot refuses such a subscription", () => {
    const { subscriptions, skipped } = planWebhookCoverage([
      ...GOVERNED,
      { object: "lead", field: "industry", proposable: true },
      { object: "lead", field: "hubspot_owner_id", proposable: true },
    ]);
    const contact = propertyChanges(subscriptions, "contact");
    expect(contact).not.toContain("dnc_flag");
    expect(propertyChanges(subscriptions, "lead")).not.toContain("industry");
    expect(propertyChanges(subscriptions, "lead")).not.toContain("ai_proposed_industry");
    expect(propertyChanges(subscriptions, "lead")).toEqual(
      expect.arrayContaining(["hubspot_owner_id", "ai_proposed_hubspot_owner_id", ...HUBSPOT_PROVENANCE_NAMES]),
    );
    expect(skipped).toEqual([
      { object: "contact", field: "dnc_flag", reason: "not_on_object" },
      { object: "lead", field: "industry", reason: "not_on_object" },
    ]);
  });

  it("refuses more than HubSpot's 1,000 subscriptions with a clear error", () => {
    const many: GovernedField[] = Array.from({ length: 500 }, (_, i) => ({
      object: "contact",
      field: `custom_${i}`,
      proposable: true,
    }));
    const err = (() => {
      try {
        planWebhookSubscriptions(many, { portalProperties: portalOf(many) });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(WebhookSubscriptionCapError);
    expect(err).toMatchObject({
      code: "webhook_subscription_cap_exceeded",
      details: { cap: HUBSPOT_SUBSCRIPTION_CAP },
    });
    expect((err as Error).message).toMatch(/above HubSpot's cap of 1000/);
    expect((err as WebhookSubscriptionCapError).details).toMatchObject({ count: expect.any(Number) });
    expect(((err as WebhookSubscriptionCapError).details as { count: number }).count).toBeGreaterThan(1000);
  });

  it("accepts exactly the cap", () => {
    const base = planWebhookSubscriptions([]).length;
    const fields: GovernedField[] = Array.from({ length: HUBSPOT_SUBSCRIPTION_CAP - base }, (_, i) => ({
      object: "deal",
      field: `f_${i}`,
      proposable: false,
    }));
    expect(planWebhookSubscriptions(fields, { portalProperties: portalOf(fields) })).toHaveLength(
      HUBSPOT_SUBSCRIPTION_CAP,
    );
    const more = [...fields, { object: "deal" as const, field: "one_more", proposable: false }];
    expect(() => planWebhookSubscriptions(more, { portalProperties: portalOf(more) })).toThrow(
      WebhookSubscriptionCapError,
    );
  });
});

describe("renderWebhooksHsmeta", () => {
  it("renders the 2025.2 webhooks component", () => {
    const meta = renderWebhooksHsmeta({
      targetUrl: "https://tollgate.example.com/webhooks/hubspot",
      governedFields: GOVERNED,
    });
    expect(meta).toEqual({
      uid: "webhooks",
      type: "webhooks",
      config: {
        settings: { targetUrl: "https://tollgate.example.com/webhooks/hubspot", maxConcurrentRequests: 10 },
        subscriptions: { crmObjects: planWebhookSubscriptions(GOVERNED) },
      },
    });
    expect(JSON.parse(JSON.stringify(meta))).toEqual(meta);
  });

  it("takes the concurrency and rejects a bad URL or concurrency", () => {
    expect(
      renderWebhooksHsmeta({
        targetUrl: "https://t.example/webhooks/hubspot",
        maxConcurrentRequests: 20,
        governedFields: [],
      }).config.settings.maxConcurrentRequests,
    ).toBe(20);
    expect(() => renderWebhooksHsmeta({ targetUrl: "/webhooks/hubspot", governedFields: [] })).toThrow(/targetUrl/);
    expect(() => renderWebhooksHsmeta({ targetUrl: "ftp://t.example/x", governedFields: [] })).toThrow(/targetUrl/);
    expect(() =>
      renderWebhooksHsmeta({ targetUrl: "https://t.example/x", maxConcurrentRequests: 0, governedFields: [] }),
    ).toThrow(/maxConcurrentRequests/);
  });
});
