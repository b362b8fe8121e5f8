import { isOwnWrite } from "../../src/enforce/index.js";
import { toCrmChange } from "../../src/webhooks/index.js";
import { describe, expect, it } from "vitest";
import {
  HUBSPOT_SUBSCRIPTION_TYPES,
  hubSpotWebhookBatchSchema,
  parseHubSpotBatch,
  type HubSpotSubscriptionType,
} from "../../src/webhooks/index.js";
import {
  HUBSPOT_FIXTURES,
  HUBSPOT_TEST_AGENT_APP_ID,
  HUBSPOT_TEST_APP_ID,
  readHubSpotFixture,
  type HubSpotFixtureName,
} from "../../../test/fixtures/index.js";

const changesOf = (name: HubSpotFixtureName) => {
  const parsed = parseHubSpotBatch(readHubSpotFixture(name).events);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed;
};

describe("HubSpot batch schema", () => {
  it.each(HUBSPOT_FIXTURES)("accepts the real-shaped fixture %s whole", (name) => {
    const { events } = readHubSpotFixture(name);
    expect(hubSpotWebhookBatchSchema.safeParse(events).success).toBe(true);
    const parsed = changesOf(name);
    expect(parsed.rejected).toEqual([]);
    expect(parsed.changes).toHaveLength(events.length);
  });

  it("keeps unknown fields HubSpot may add", () => {
    const event = { ...readHubSpotFixture("contact.creation.json").events[0]!, brandNewField: { x: 1 } };
    const parsed = hubSpotWebhookBatchSchema.parse([event]);
    expect(parsed[0]!["brandNewField"]).toEqual({ x: 1 });
  });

  it("refuses the envelope when it is not a non-empty array", () => {
    for (const body of [{}, [], "[]", null, Array.from({ length: 1001 }, () => ({}))]) {
      const parsed = parseHubSpotBatch(body);
      expect(parsed.ok).toBe(false);
    }
  });

  it("rejects an invalid event with its path, keeping its valid neighbours", () => {
    const parsed = parseHubSpotBatch(readHubSpotFixture("contact.propertyChange.one-malformed.json").events);
    if (!parsed.ok) throw new Error("envelope should be fine");
    expect(parsed.changes.map((c) => c.eventId)).toEqual(["4100000001", "4100000003"]);
    expect(parsed.rejected).toHaveLength(1);
    expect(parsed.rejected[0]).toMatchObject({
      index: 1,
      eventId: "4100000002",
      subscriptionType: "contact.propertyChange",
    });
    expect(parsed.rejected[0]!.issues.map((i) => i.path)).toEqual(["1.occurredAt"]);
  });

  it("requires what each subscription type needs (propertyName, objectId, association ends)", () => {
    const base = readHubSpotFixture("contact.propertyChange.ui-edit.json").events[0]!;
    const { propertyName: _p, objectId: _o, ...bare } = base;
    const parsed = parseHubSpotBatch([bare, { ...bare, subscriptionType: "contact.associationChange" }]);
    if (!parsed.ok) throw new Error("envelope should be fine");
    expect(parsed.rejected.map((r) => r.issues.map((i) => i.path).sort())).toEqual([
      ["0.objectId", "0.propertyName"],
      ["1.fromObjectId", "1.toObjectId"],
    ]);
  });

  it("rejects subscription types Tollgate does not know, and object.* events without objectTypeId", () => {
    const base = readHubSpotFixture("contact.creation.json").events[0]!;
    const parsed = parseHubSpotBatch([
      { ...base, subscriptionType: "ticket.creation" },
      { ...base, subscriptionType: "object.creation" },
    ]);
    if (!parsed.ok) throw new Error("envelope should be fine");
    expect(parsed.changes).toEqual([]);
    expect(parsed.rejected.map((r) => r.issues.map((i) => i.path))).toEqual([
      ["0.subscriptionType"],
      ["1.objectTypeId"],
    ]);
  });
});

describe("normalising to HubSpotChange", () => {
  it("maps a legacy agent write: tenant, generic object, property, source", () => {
    const [first] = changesOf("contact.propertyChange.agent-write.json").changes;
    expect(first).toMatchObject({
      crm: "hubspot",
      tenantId: "62515",
      subscriptionType: "contact.propertyChange",
      kind: "property_change",
      objectType: "contact",
      crmObjectType: "0-1",
      objectId: "1201",
      property: "ai_proposed_industry",
      value: "Fintech",
      changeSource: "INTEGRATION",
      sourceId: HUBSPOT_TEST_AGENT_APP_ID,
      appId: HUBSPOT_TEST_APP_ID,
      eventId: "3816279340",
      occurredAt: 1763642112450,
      attemptNumber: 0,
    });
  });

  it("maps generic object.* events through objectTypeId; unknown types keep their id with no policy object", () => {
    const changes = changesOf("object.propertyChange.generic.json").changes;
    expect(changes.map((c) => [c.objectType, c.crmObjectType, c.objectId, c.sensitive])).toEqual([
      ["contact", "0-1", "546500061938", false],
      ["deal", "0-3", "180584432881", false],
      [null, "2-143967026", "180584432882", false],
    ]);
  });

  it("maps creation, deletion, merge and association events", () => {
    expect(changesOf("contact.creation.json").changes[0]).toMatchObject({
      kind: "creation",
      objectId: "123",
      tenantId: "62515",
    });
    expect(changesOf("contact.deletion.json").changes[0]).toMatchObject({ kind: "deletion", objectId: "1388" });
    expect(changesOf("contact.merge.json").changes[0]).toMatchObject({
      kind: "merge",
      objectId: "1201",
      merge: {
        primaryObjectId: "1201",
        mergedObjectIds: ["1201", "1388"],
        newObjectId: "1201",
        numberOfPropertiesMoved: 14,
      },
    });
    const [added, removed] = changesOf("contact.associationChange.json").changes;
    expect(added).toMatchObject({
      kind: "association",
      objectId: "1201",
      association: { associationType: "CONTACT_TO_COMPANY", toObjectId: "5001", removed: false, primary: true },
    });
    expect(removed).toMatchObject({ association: { toObjectId: "4999", removed: true } });
    expect(added!.dedupeKey).not.toBe(removed!.dedupeKey);
  });

  it("builds the dedupe key from portal, event, object, property and occurredAt, not attemptNumber", () => {
    const event = readHubSpotFixture("contact.propertyChange.agent-write.json").events[0]!;
    const key = (e: object) => {
      const parsed = parseHubSpotBatch([e]);
      if (!parsed.ok || !parsed.changes[0]) throw new Error("invalid");
      return parsed.changes[0].dedupeKey;
    };
    const original = key(event);
    expect(key({ ...event, attemptNumber: 3 })).toBe(original);
    // eventId is not unique on its own: each other part must tell events apart.
    for (const variant of [
      { portalId: 1 },
      { eventId: 2 },
      { objectId: 99 },
      { propertyName: "jobtitle" },
      { occurredAt: event.occurredAt + 1 },
    ]) {
      expect(key({ ...event, ...variant })).not.toBe(original);
    }
  });

  it("keeps the dedupe key's exact spelling: marks and audit rows written before a deploy must still match after it", () => {
    expect(changesOf("contact.propertyChange.agent-write.json").changes[0]!.dedupeKey).toBe(
      "62515|3816279340|contact.propertyChange|0-1|1201|ai_proposed_industry|1763642112450",
    );
    const [added] = changesOf("contact.associationChange.json").changes;
    expect(added!.dedupeKey).toMatch(
      /^62515\|\d+\|contact\.associationChange\|0-1\|1201\|CONTACT_TO_COMPANY>5001:added\|\d+$/,
    );
  });

  it("recognises Tollgate's own writes, and only those", () => {
    const [own] = changesOf("contact.propertyChange.own-write.json").changes;
    const [agent] = changesOf("contact.propertyChange.agent-write.json").changes;
    const [human] = changesOf("contact.propertyChange.ui-edit.json").changes;
    // The rule enforcement runs (enforce/attribute-change.ts), on the changes as the worker gets them.
    const self = { hubspotAppId: HUBSPOT_TEST_APP_ID };
    expect(isOwnWrite(toCrmChange(own!), self)).toBe(true);
    expect(isOwnWrite(toCrmChange(agent!), self)).toBe(false);
    expect(isOwnWrite(toCrmChange(human!), self)).toBe(false);
    expect(isOwnWrite(toCrmChange(own!), {})).toBe(false);
  });
});

describe("types", () => {
  it("narrows subscription types to a closed union", () => {
    const ok: HubSpotSubscriptionType = "object.propertyChange";
    // @ts-expect-error not a subscription Tollgate handles
    const bad: HubSpotSubscriptionType = "contact.updated";
    expect(HUBSPOT_SUBSCRIPTION_TYPES).toContain(ok);
    expect(HUBSPOT_SUBSCRIPTION_TYPES).not.toContain(bad);
  });
});
