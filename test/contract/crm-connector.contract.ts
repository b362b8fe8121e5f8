/**
 * The one contract every `CrmConnector` keeps (docs/architecture.md#how-the-code-reads: one suite per interface, run
 * against
 * each implementation). A CRM's test file calls `crmConnectorContract(name, createHarness)` with
 * a harness pointed at a real or sandboxed CRM; this file has no CRM-specific knowledge.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CrmConnector, PropertyDefinition } from "../../server/src/crm/index.js";

export interface CrmConnectorHarness {
  connector: CrmConnector;
  /** A writable object type, as the CRM's API names it (`contacts`, `Lead`). */
  objectType: string;
  /** Two writable text properties that exist on `objectType`. */
  textProperties: [string, string];
  /** Creates records directly in the CRM (not through the connector); returns their ids in order. */
  seed(records: Record<string, string>[]): Promise<string[]>;
  /** Values a new record needs besides `textProperties` (Salesforce Lead: `LastName`). */
  requiredValues?: Record<string, string>;
  /** An id no record has. */
  missingId: string;
  /** An id no task has. @defaultValue "999999999" */
  missingTaskId?: string;
  /** The CRM's spelling of a new custom property called `base` (HubSpot: as is; Salesforce: `base__c`). */
  customPropertyName(base: string): string;
  /** A new text property definition named `name`, in group `group` where the CRM has groups. */
  newTextProperty(name: string, group: string): PropertyDefinition;
  /** Whether the CRM reports a burst rate limit in its responses. */
  reportsRateLimit: boolean;
  /** Where the connector notifies users (approval tasks): one of its users, and a task as the CRM holds it. */
  tasks?: {
    userId: string;
    read(taskId: string): Promise<{ assignedToUser: boolean; linkedTo: string[]; done: boolean } | undefined>;
  };
  close(): Promise<void>;
}

export function crmConnectorContract(name: string, createHarness: () => Promise<CrmConnectorHarness>): void {
  describe(`CrmConnector contract: ${name}`, () => {
    let h: CrmConnectorHarness;
    let p1: string;
    let p2: string;
    beforeAll(async () => {
      h = await createHarness();
      [p1, p2] = h.textProperties;
    });
    afterAll(async () => {
      await h?.close();
    });

    it("names its CRM and tenant", () => {
      expect(["hubspot", "salesforce"]).toContain(h.connector.crm);
      expect(h.connector.tenantId).not.toBe("");
    });

    it("reads the named properties of existing records and leaves missing ones out", async () => {
      const [a, b] = await h.seed([{ [p1]: "alpha" }, { [p1]: "beta", [p2]: "gamma" }]);
      const records = await h.connector.readRecords(h.objectType, [b!, h.missingId, a!], [p1, p2]);
      expect(records.map((r) => r.objectId)).toEqual([b, a]);
      expect(records[0]!.properties[p1]).toBe("beta");
      expect(records[0]!.properties[p2]).toBe("gamma");
      expect(records[1]!.properties[p1]).toBe("alpha");
      expect(records[1]!.properties[p2]).toBeNull();
      expect(records.every((r) => r.objectType === h.objectType && r.history === undefined)).toBe(true);
    });

    it("reads more records than one batch holds, with and without history", async () => {
      const ids = await h.seed(Array.from({ length: 130 }, (_, i) => ({ [p1]: `bulk-${i}` })));
      const plain = await h.connector.readRecords(h.objectType, ids, [p1]);
      expect(plain.map((r) => r.properties[p1])).toEqual(ids.map((_, i) => `bulk-${i}`));
      const withHistory = await h.connector.readRecords(h.objectType, ids.slice(0, 75), [p1], { withHistory: true });
      expect(withHistory).toHaveLength(75);
      expect(withHistory.every((r, i) => r.history?.[p1]?.[0]?.value === `bulk-${i}`)).toBe(true);
    });

    it("searches by every filter together, a page at a time, with only the named properties", async () => {
      const tag = `s-${randomUUID().slice(0, 8)}`;
      const ids = await h.seed([
        { [p1]: tag, [p2]: "x" },
        { [p1]: tag, [p2]: "y" },
        { [p1]: tag },
        { [p1]: `${tag}-other`, [p2]: "x" },
      ]);
      const both = await h.connector.searchRecords(h.objectType, {
        filters: [
          { property: p1, operator: "eq", value: tag },
          { property: p2, operator: "has_property" },
        ],
        properties: [p2],
        limit: 100,
      });
      expect(both.records.map((r) => r.objectId).sort()).toEqual([ids[0], ids[1]].sort());
      expect(
        both.records.every((r) => !(p1 in r.properties) || r.properties[p1] === null || r.properties[p1] === tag),
      ).toBe(true);
      expect(both.after).toBeUndefined();
      const first = await h.connector.searchRecords(h.objectType, {
        filters: [{ property: p1, operator: "eq", value: tag }],
        properties: [p1],
        limit: 2,
      });
      expect(first.records).toHaveLength(2);
      expect(first.after).toBeDefined();
      const rest = await h.connector.searchRecords(h.objectType, {
        filters: [{ property: p1, operator: "eq", value: tag }],
        properties: [p1],
        limit: 2,
        after: first.after,
      });
      expect([...first.records, ...rest.records].map((r) => r.objectId).sort()).toEqual(ids.slice(0, 3).sort());
      const none = await h.connector.searchRecords(h.objectType, {
        filters: [{ property: p1, operator: "eq", value: `${tag}-nobody` }],
        properties: [p1],
      });
      expect(none.records).toEqual([]);
    });

    it("returns each property's history newest first", async () => {
      const [id] = await h.seed([{ [p1]: "first" }]);
      await expectAllOk(
        h.connector.writeRecords([{ objectType: h.objectType, objectId: id!, properties: { [p1]: "second" } }]),
      );
      await expectAllOk(
        h.connector.writeRecords([{ objectType: h.objectType, objectId: id!, properties: { [p1]: "third" } }]),
      );
      const [record] = await h.connector.readRecords(h.objectType, [id!], [p1], { withHistory: true });
      const history = record!.history![p1]!;
      expect(history.map((e) => e.value)).toEqual(["third", "second", "first"]);
      const times = history.map((e) => Date.parse(e.timestamp));
      expect(times.every((t) => Number.isFinite(t))).toBe(true);
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect(history.every((e) => typeof e.sourceType === "string" && e.sourceType !== "")).toBe(true);
      expect(record!.properties[p1]).toBe("third");
    });

    it("writes in batches and answers one result per input, in input order", async () => {
      const ids = await h.seed(Array.from({ length: 120 }, () => ({ [p1]: "before" })));
      const writes = ids.map((id, i) => ({
        objectType: h.objectType,
        objectId: id,
        properties: { [p1]: `after-${i}` },
      }));
      writes.splice(60, 0, { objectType: h.objectType, objectId: h.missingId, properties: { [p1]: "nowhere" } });
      const results = await h.connector.writeRecords(writes);
      expect(results.map((r) => r.objectId)).toEqual(writes.map((w) => w.objectId));
      expect(results[60]).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(results.filter((r) => r.ok)).toHaveLength(120);
      const read = await h.connector.readRecords(h.objectType, ids, [p1]);
      expect(read.map((r) => r.properties[p1])).toEqual(ids.map((_, i) => `after-${i}`));
    });

    it("merges two writes to one record, the later winning, and clears with an empty string", async () => {
      const [id] = await h.seed([{ [p1]: "x", [p2]: "y" }]);
      const results = await h.connector.writeRecords([
        { objectType: h.objectType, objectId: id!, properties: { [p1]: "early", [p2]: "" } },
        { objectType: h.objectType, objectId: id!, properties: { [p1]: "late" } },
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      const [record] = await h.connector.readRecords(h.objectType, [id!], [p1, p2]);
      expect(record!.properties[p1]).toBe("late");
      expect(record!.properties[p2]).toBeNull();
    });

    it("lists properties and creates new ones idempotently", async () => {
      const listed = await h.connector.listProperties(h.objectType);
      expect(listed.map((p) => p.name)).toEqual(expect.arrayContaining([p1, p2]));
      expect(listed.every((p) => p.name !== "" && p.type !== "" && p.fieldType !== "")).toBe(true);

      const group = `tollgate_contract_${randomUUID().slice(0, 8)}`;
      const created = await h.connector.ensurePropertyGroup(h.objectType, { name: group, label: "Tollgate contract" });
      expect(typeof created).toBe("boolean");
      expect(await h.connector.ensurePropertyGroup(h.objectType, { name: group, label: "Tollgate contract" })).toBe(
        false,
      );

      const fresh = h.customPropertyName(`ai_contract_${randomUUID().slice(0, 8)}`);
      const definition = h.newTextProperty(fresh, group);
      await h.connector.createProperties(h.objectType, [definition]);
      await h.connector.createProperties(h.objectType, [definition]);
      const after = await h.connector.listProperties(h.objectType);
      expect(after.filter((p) => p.name === fresh)).toHaveLength(1);
      expect(after.length).toBe(listed.length + 1);

      const [id] = await h.seed([{ [p1]: "with a new property" }]);
      await expectAllOk(
        h.connector.writeRecords([{ objectType: h.objectType, objectId: id!, properties: { [fresh]: "provisioned" } }]),
      );
      const [record] = await h.connector.readRecords(h.objectType, [id!], [fresh]);
      expect(record!.properties[fresh]).toBe("provisioned");
    });

    it("lists its users, gives one a task linked to a record, and completes it (a task gone is done too)", async (ctx) => {
      const tasks = h.tasks;
      if (!tasks || !h.connector.createTask || !h.connector.completeTask || !h.connector.listUsers) return ctx.skip();
      expect((await h.connector.listUsers()).map((u) => u.id)).toContain(tasks.userId);
      const [id] = await h.seed([{ [p1]: "task" }]);
      const taskId = await h.connector.createTask({
        objectType: h.objectType,
        objectId: id!,
        userId: tasks.userId,
        subject: "Approve AI proposal",
        body: "details",
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(await tasks.read(taskId)).toEqual({ assignedToUser: true, linkedTo: [id], done: false });
      await h.connector.completeTask(taskId);
      expect((await tasks.read(taskId))?.done).toBe(true);
      await h.connector.completeTask(taskId);
      await expect(h.connector.completeTask(h.missingTaskId ?? "999999999")).resolves.toBeUndefined();
    });

    it("creates a record, then archives it so it reads as gone (twice is not an error)", async () => {
      const { createRecord, archiveRecord } = h.connector;
      expect(createRecord && archiveRecord).toBeDefined();
      const id = await createRecord!.call(h.connector, h.objectType, { ...h.requiredValues, [p1]: "created" });
      const [created] = await h.connector.readRecords(h.objectType, [id], [p1]);
      expect(created?.properties[p1]).toBe("created");
      await archiveRecord!.call(h.connector, h.objectType, id);
      expect(await h.connector.readRecords(h.objectType, [id], [p1])).toEqual([]);
      await expect(archiveRecord!.call(h.connector, h.objectType, id)).resolves.toBeUndefined();
    });

    it("reports the rate limit it last saw", async () => {
      await h.connector.readRecords(h.objectType, [h.missingId], [p1]);
      const state = h.connector.rateLimitState();
      if (!h.reportsRateLimit) return;
      expect(state).toBeDefined();
      expect(state!.max).toBeGreaterThan(0);
      expect(state!.remaining).toBeGreaterThanOrEqual(0);
      expect(state!.remaining).toBeLessThanOrEqual(state!.max);
      expect(state!.intervalMs).toBeGreaterThan(0);
      expect(Math.abs(Date.now() - state!.observedAt)).toBeLessThan(60_000);
      const before = state!.remaining;
      await h.connector.readRecords(h.objectType, [h.missingId], [p1]);
      expect(h.connector.rateLimitState()!.remaining).toBeLessThan(before);
    });
  });
}

async function expectAllOk(results: Promise<{ ok: boolean }[]>): Promise<void> {
  expect((await results).every((r) => r.ok)).toBe(true);
}
