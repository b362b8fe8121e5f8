import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/writes/backoff-delay.js";
import { buildWriteAuditEvent } from "../../src/writes/build-write-audit-event.js";
import { mergeWrites } from "../../src/writes/merge-writes.js";
import { tenantQueueName } from "../../src/writes/tenant-queue-name.js";
import type { CrmWriteRow } from "../../src/writes/index.js";

function row(
  id: string,
  objectId: string,
  properties: Record<string, string>,
  extra: Partial<CrmWriteRow> = {},
): CrmWriteRow {
  const at = new Date(0);
  return {
    id,
    seq: id,
    tenantId: "t",
    crm: "hubspot",
    objectType: "contacts",
    objectId,
    properties,
    purpose: "revert",
    agentId: null,
    causedBy: "e-1",
    expected: null,
    status: "in_flight",
    attempts: 0,
    lastError: null,
    resultEventId: null,
    notBefore: null,
    createdAt: at,
    updatedAt: at,
    doneAt: null,
    ...extra,
  };
}

describe("mergeWrites", () => {
  it("gives one input per record, later values winning, and maps every row to its input", () => {
    const merged = mergeWrites([
      row("1", "a", { x: "1", y: "1" }),
      row("2", "b", { x: "2" }),
      row("3", "a", { x: "3" }),
    ]);
    expect(merged.inputs).toEqual([
      { objectType: "contacts", objectId: "a", properties: { x: "3", y: "1" } },
      { objectType: "contacts", objectId: "b", properties: { x: "2" } },
    ]);
    expect(merged.inputOf).toEqual([0, 1, 0]);
  });

  it("keeps records of different object types apart", () => {
    const merged = mergeWrites([row("1", "7", { x: "1" }), row("2", "7", { x: "2" }, { objectType: "companies" })]);
    expect(merged.inputs).toHaveLength(2);
  });
});

describe("backoffDelay", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000]);
  });
});

describe("tenantQueueName", () => {
  it("never contains a colon and keeps distinct tenants distinct", () => {
    expect(tenantQueueName("a:b")).not.toContain(":");
    expect(tenantQueueName("a:b")).not.toBe(tenantQueueName("a%3Ab"));
    expect(tenantQueueName("62515")).toBe("crm-writes.62515");
  });
});

describe("buildWriteAuditEvent", () => {
  it("records a skipped write as a conflict on behalf of Tollgate, naming its cause", () => {
    const event = buildWriteAuditEvent({
      row: row("1", "a", { industry: "Retail" }, { expected: { industry: "Fintech" } }),
      status: "skipped",
      error: "changed by a human",
      sent: false,
    });
    expect(event).toMatchObject({
      action: "crm_write",
      actor: { type: "system", id: "tollgate" },
      caused_by: "e-1",
      result: "failed",
      error: "changed by a human",
      risk_flags: ["conflict"],
      field_diffs: [{ field: "industry", before: "Fintech", after: "Retail" }],
    });
  });
});
