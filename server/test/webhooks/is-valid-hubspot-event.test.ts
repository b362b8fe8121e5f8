import { describe, expect, it } from "vitest";
import {
  getEventShapeIssues,
  hubSpotWebhookEventBaseSchema,
  hubSpotWebhookEventSchema,
  parseHubSpotBatch,
  toHubSpotChange,
} from "../../src/webhooks/index.js";
import { isValidHubSpotEvent } from "../../src/webhooks/is-valid-hubspot-event.js";
import { HUBSPOT_FIXTURES, HUBSPOT_INVALID_FIXTURES, readHubSpotFixture } from "../../../test/fixtures/index.js";

const fixtureEvents = (): Record<string, unknown>[] => [
  ...HUBSPOT_FIXTURES.flatMap((name) => readHubSpotFixture(name).events as unknown as Record<string, unknown>[]),
  ...HUBSPOT_INVALID_FIXTURES.flatMap((name) => readHubSpotFixture(name).events),
];

/** Values a JSON body can carry, chosen around each rule's edges. */
const VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  1.5,
  2 ** 53 - 1,
  2 ** 53,
  1e300,
  "",
  "0",
  "12",
  "-1",
  "1.5",
  " 1",
  "1-2",
  "0-1",
  "0-",
  "a",
  "contact.creation",
  "contact.propertyChange",
  "object.associationChange",
  "ticket.creation",
  [],
  [1, "2"],
  [1, "x"],
  [-1],
  {},
  { a: 1 },
];

/** Every documented field, plus one HubSpot might add tomorrow. */
const FIELDS = Object.keys(hubSpotWebhookEventBaseSchema.shape).concat("brandNewField");

const zodAccepts = (e: unknown): boolean => hubSpotWebhookEventSchema.safeParse(e).success;

describe("isValidHubSpotEvent (the hand-written twin of the zod schema)", () => {
  it("accepts every event of the valid fixtures, so the ingest path never needs zod for them", () => {
    for (const name of HUBSPOT_FIXTURES)
      for (const e of readHubSpotFixture(name).events) expect(isValidHubSpotEvent(e)).toBe(true);
  });

  it("agrees with zod on every field set to every edge value, or removed", () => {
    let checked = 0;
    const disagreements: string[] = [];
    for (const base of fixtureEvents()) {
      for (const field of FIELDS) {
        for (const value of VALUES) {
          const event: Record<string, unknown> = { ...base };
          if (value === undefined) delete event[field];
          else event[field] = value;
          checked += 1;
          if (isValidHubSpotEvent(event) !== zodAccepts(event))
            disagreements.push(
              `${String(base["eventId"])}.${field} = ${JSON.stringify(value)}: fast ${isValidHubSpotEvent(event)}`,
            );
        }
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect(disagreements).toEqual([]);
  });

  it("agrees with zod when the subscription type changes under the other fields", () => {
    const disagreements: string[] = [];
    for (const base of fixtureEvents()) {
      for (const subscriptionType of [
        "contact.propertyChange",
        "deal.merge",
        "object.creation",
        "object.associationChange",
        "company.associationChange",
        "contact.privacyDeletion",
      ]) {
        for (const drop of [undefined, "objectId", "propertyName", "objectTypeId", "fromObjectId", "toObjectId"]) {
          const event: Record<string, unknown> = { ...base, subscriptionType };
          if (drop) delete event[drop];
          if (isValidHubSpotEvent(event) !== zodAccepts(event))
            disagreements.push(`${subscriptionType} without ${drop ?? "nothing"}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("refuses what is not an event object", () => {
    for (const value of [null, undefined, 42, "event", [], [readHubSpotFixture("contact.creation.json").events[0]]])
      expect(isValidHubSpotEvent(value)).toBe(false);
  });
});

describe("parseHubSpotBatch with the hand-written check", () => {
  it("returns exactly what the zod-only path returns, for valid and invalid events alike", () => {
    const events = fixtureEvents();
    const mutated = events.flatMap((e) => [
      e,
      { ...e, occurredAt: "soon" },
      { ...e, portalId: -5 },
      { ...e, extra: [1] },
    ]);
    const parsed = parseHubSpotBatch(mutated);
    if (!parsed.ok) throw new Error("envelope should be fine");
    const reference = mutated.flatMap((e) => {
      const r = hubSpotWebhookEventBaseSchema.safeParse(e);
      return r.success && getEventShapeIssues(r.data).length === 0 ? [toHubSpotChange(r.data)] : [];
    });
    expect(parsed.changes).toEqual(reference);
    expect(parsed.changes.length + parsed.rejected.length).toBe(mutated.length);
    expect(parsed.rejected.length).toBeGreaterThan(0);
  });
});
