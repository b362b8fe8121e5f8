import { describe, expect, it } from "vitest";
import {
  COMPACT_INTERNED_FIELDS,
  COMPACT_OPTIONAL_FIELDS,
  decodeWebhookJob,
  encodeWebhookJob,
  parseHubSpotBatch,
  toHubSpotChange,
  type HubSpotChange,
  type HubSpotWebhookEvent,
  type WebhookJob,
} from "../../src/webhooks/index.js";
import { HUBSPOT_FIXTURES, readHubSpotFixture } from "../../../test/fixtures/index.js";

const changesOf = (events: unknown[]): HubSpotChange[] => {
  const parsed = parseHubSpotBatch(events);
  if (!parsed.ok || parsed.rejected.length > 0) throw new Error("fixture events should be valid");
  return parsed.changes;
};

/** What Redis gives back: the job as JSON, read again. */
const throughRedis = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

/** The verbose job as older releases stored it, after its own trip through JSON. */
const verbose = (job: WebhookJob) => throughRedis(job);

const roundTrip = (job: WebhookJob) => decodeWebhookJob(throughRedis(encodeWebhookJob(job)));

const DEDUPE_KEY_BIT = 1 << COMPACT_OPTIONAL_FIELDS.indexOf("dedupeKey");

/** Every fixture event, one job per tenant, plus variants that exercise each optional field. */
function sampleJobs(): WebhookJob[] {
  const events = HUBSPOT_FIXTURES.flatMap((name) => readHubSpotFixture(name).events as HubSpotWebhookEvent[]);
  const base = readHubSpotFixture("contact.propertyChange.ui-edit.json").events[0]!;
  const variants: HubSpotWebhookEvent[] = [
    { ...base, eventId: 1, propertyValue: null },
    { ...base, eventId: 2, propertyValue: "" },
    { ...base, eventId: 3, isSensitive: true, sourceId: 42 },
    {
      ...base,
      eventId: 4,
      subscriptionType: "contact.merge",
      propertyName: undefined,
      newObjectId: null,
      mergedObjectIds: [],
    },
    // Not an association, yet it names a far end: its dedupe key cannot be rebuilt from the change.
    {
      ...base,
      eventId: 5,
      subscriptionType: "contact.creation",
      propertyName: undefined,
      toObjectId: 77,
      associationType: "X",
    },
    { ...base, eventId: 6, propertyValue: 'quotes " and \\ and unicode ✓' },
  ].map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as HubSpotWebhookEvent);
  const byTenant = new Map<string, HubSpotChange[]>();
  for (const change of changesOf([...events, ...variants]))
    byTenant.set(change.tenantId, [...(byTenant.get(change.tenantId) ?? []), change]);
  return [...byTenant].map(([tenantId, changes]) => ({ tenantId, changes }));
}

describe("encodeWebhookJob / decodeWebhookJob", () => {
  it("gives back exactly the changes it was given, absent fields absent and nulls null", () => {
    for (const job of sampleJobs()) {
      const decoded = roundTrip(job);
      if (!decoded.ok) throw new Error(decoded.issue);
      expect(decoded.job).toStrictEqual(verbose(job));
    }
  });

  it("tells an absent value from a cleared one", () => {
    const base = readHubSpotFixture("contact.propertyChange.ui-edit.json").events[0]!;
    const [cleared, absent] = changesOf([
      { ...base, propertyValue: null },
      Object.fromEntries(Object.entries(base).filter(([k]) => k !== "propertyValue")),
    ]);
    const decoded = roundTrip({ tenantId: "62515", changes: [cleared!, absent!] });
    if (!decoded.ok) throw new Error(decoded.issue);
    expect(decoded.job.changes[0]!.value).toBeNull();
    expect("value" in decoded.job.changes[1]!).toBe(false);
  });

  it("stores a dedupe key only when the change's fields do not give it back", () => {
    const [job] = sampleJobs().filter((j) => j.tenantId === "62515");
    const encoded = encodeWebhookJob(job!);
    const stored = encoded.rows.filter((row) => ((row[7] as number) & DEDUPE_KEY_BIT) !== 0);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.at(-1)).toBe(job!.changes.find((c) => c.eventId === "5")!.dedupeKey);
    // A key set by hand survives too.
    const custom = { ...job!.changes[0]!, dedupeKey: "custom-key" };
    const decoded = roundTrip({ tenantId: job!.tenantId, changes: [custom] });
    expect(decoded.ok && decoded.job.changes[0]!.dedupeKey).toBe("custom-key");
  });

  it("is less than half the size of the verbose job for a batch of 100 property changes", () => {
    const template = readHubSpotFixture("contact.propertyChange.agent-write.json").events[0]!;
    const events = Array.from({ length: 100 }, (_, i) => ({
      ...template,
      eventId: 5_000_000 + i,
      objectId: 10_000 + i,
    }));
    const job = { tenantId: "62515", changes: changesOf(events) };
    const compact = JSON.stringify(encodeWebhookJob(job)).length;
    const full = JSON.stringify(job).length;
    expect(compact).toBeLessThan(full / 2);
  });

  it("stores each repeated string once (v: 3)", () => {
    const template = readHubSpotFixture("contact.propertyChange.agent-write.json").events[0]!;
    const events = Array.from({ length: 100 }, (_, i) => ({
      ...template,
      eventId: 5_000_000 + i,
      objectId: 10_000 + i,
    }));
    const encoded = encodeWebhookJob({ tenantId: "62515", changes: changesOf(events) });
    expect(encoded.v).toBe(3);
    expect(encoded.v === 3 && encoded.strings).toEqual([
      "contact.propertyChange",
      "property_change",
      "contact",
      "0-1",
      template.propertyName,
      template.changeSource,
      String(template.sourceId),
      String(template.appId),
    ]);
    // Every interned position holds an index, so the subscription type appears nowhere in the rows.
    expect(JSON.stringify(encoded.rows)).not.toContain("contact.propertyChange");
  });

  it("still reads a v: 2 job (strings inline) queued by the previous release", () => {
    const interned = new Set<string>(COMPACT_INTERNED_FIELDS);
    for (const job of sampleJobs()) {
      const v3 = throughRedis(encodeWebhookJob(job)) as { tenantId: string; strings: string[]; rows: unknown[][] };
      // Rewrite as v2 by hand: the fixed fields, then the optional ones the mask names, indices replaced by their
      // strings.
      const fixed = [
        "subscriptionType",
        "kind",
        "objectType",
        "crmObjectType",
        "objectId",
        "occurredAt",
        "eventId",
        "mask",
      ];
      const rows = v3.rows.map((row) => {
        const names = [...fixed, ...COMPACT_OPTIONAL_FIELDS.filter((_, bit) => (row[7] as number) & (1 << bit))];
        return row.map((value, i) =>
          interned.has(names[i]!) && typeof value === "number" ? v3.strings[value] : value,
        );
      });
      const v2 = { tenantId: v3.tenantId, v: 2, rows };
      expect(JSON.stringify(v2)).toContain(job.changes[0]!.subscriptionType);
      expect(decodeWebhookJob(v2)).toEqual({ ok: true, job: verbose(job) });
    }
  });

  it("still reads a verbose job queued by an older release", () => {
    for (const job of sampleJobs()) expect(decodeWebhookJob(verbose(job))).toEqual({ ok: true, job: verbose(job) });
  });

  it("refuses stored data that is not a job, with a reason", () => {
    const [job] = sampleJobs();
    const good = throughRedis(encodeWebhookJob(job!)) as {
      tenantId: string;
      v: 3;
      strings: string[];
      rows: unknown[][];
    };
    const row = good.rows[0]!;
    const bad: unknown[] = [
      null,
      "job",
      { tenantId: "62515", changes: [{ nope: true }] },
      { ...good, v: 4 },
      { tenantId: good.tenantId, v: 3, rows: good.rows },
      { ...good, strings: [] },
      { ...good, rows: [[good.strings.length, ...row.slice(1)]] },
      { ...good, rows: [[-1, ...row.slice(1)]] },
      { ...good, rows: [[0.5, ...row.slice(1)]] },
      { ...good, rows: [[good.strings[row[0] as number], ...row.slice(1)]] },
      { ...good, rows: [] },
      { ...good, rows: [row.slice(0, 5)] },
      { ...good, rows: [[...row, "one too many"]] },
      { ...good, rows: [[...row.slice(0, 7), -1, ...row.slice(8)]] },
      { ...good, rows: [[...row.slice(0, 7), 1 << 12, ...row.slice(8)]] },
      { ...good, rows: [[row[0], "bogus-kind", ...row.slice(2)]] },
      { ...good, rows: [[...row.slice(0, 4), 1201, ...row.slice(5)]] },
      { ...good, rows: [[...row.slice(0, 7), 256, null]] },
      { ...good, tenantId: "" },
    ];
    for (const data of bad) {
      const decoded = decodeWebhookJob(data);
      expect(decoded.ok, JSON.stringify(data)).toBe(false);
      if (!decoded.ok) expect(decoded.issue.length).toBeGreaterThan(0);
    }
    expect(decodeWebhookJob(good).ok).toBe(true);
  });

  it("encodes what toHubSpotChange makes without storing a single key", () => {
    const events = HUBSPOT_FIXTURES.flatMap((name) => readHubSpotFixture(name).events);
    const changes = events.map((e) => toHubSpotChange(e));
    for (const change of changes) {
      const [row] = encodeWebhookJob({ tenantId: change.tenantId, changes: [change] }).rows;
      expect(((row![7] as number) & DEDUPE_KEY_BIT) === 0, change.dedupeKey).toBe(true);
    }
  });
});

describe("decodeWebhookJob: a one-portal batch kept as received", () => {
  const base = readHubSpotFixture("contact.propertyChange.ui-edit.json").events[0]!;
  const batch = [
    { ...base, eventId: 11, propertyValue: 'quotes " and ✓' },
    { ...base, eventId: 12, objectId: 99 },
    // HubSpot's retry of the first inside the same batch: one change, the first.
    { ...base, eventId: 11, propertyValue: 'quotes " and ✓', attemptNumber: 1 },
    { ...base, eventId: 13, objectId: "not a number" },
  ];

  it("gives the changes the intake parsed from it: repeats once, the events it rejected rejected again", () => {
    const parsed = parseHubSpotBatch(batch);
    if (!parsed.ok) throw new Error("the batch should parse");
    expect(parsed.rejected.map((r) => r.index)).toEqual([3]);
    const decoded = decodeWebhookJob(JSON.parse(JSON.stringify(batch)));
    expect(decoded).toEqual({
      ok: true,
      job: { tenantId: String(base.portalId), changes: [parsed.changes[0], parsed.changes[1]] },
    });
  });

  it("refuses a batch that names two portals, has no valid event, or is not a batch, with a reason", () => {
    const twoPortals = readHubSpotFixture("deal.propertyChange.two-portals.json").events;
    for (const stored of [twoPortals, [batch[3]], []]) {
      const decoded = decodeWebhookJob(JSON.parse(JSON.stringify(stored)));
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.issue).toMatch(/\w/);
    }
    const two = decodeWebhookJob(JSON.parse(JSON.stringify(twoPortals)));
    expect(two).toEqual({ ok: false, issue: "a batch kept as received names 2 portals, not one" });
  });
});
