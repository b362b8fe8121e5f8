import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { InMemoryCrm } from "./in-memory-crm.js";
import { createWriteQueueHarness, newTenantId, waitFor, type WriteQueueHarness } from "./write-queue-harness.js";

// The periodic sweep (docs/operations.md, "Reliability"): protective writes committed to PostgreSQL
// reach the CRM whatever happened to the kick that should have sent them.
let h: WriteQueueHarness;
beforeAll(async () => {
  h = await createWriteQueueHarness("writes-sweep");
});
afterEach(async () => {
  await h.closeAll();
});
afterAll(async () => {
  await h?.teardown();
});

/** A revert committed with its intent in one transaction, as enforcement does, and no kick after it. */
async function commitRevertWithoutKick(
  queue: Awaited<ReturnType<WriteQueueHarness["open"]>>,
  tenantId: string,
  objectId: string,
): Promise<void> {
  await h.db.transaction(async (tx) => {
    const [event] = await h.audit.appendMany(
      [{ tenant_id: tenantId, actor: { type: "system", id: "tollgate" }, action: "revert_intent", crm: "hubspot" }],
      { tx },
    );
    await queue.enqueue(
      [
        {
          tenantId,
          crm: "hubspot",
          objectType: "contacts",
          objectId,
          properties: { lifecyclestage: "lead" },
          purpose: "revert",
          causedBy: event!.event_id,
        },
      ],
      { tx },
    );
  });
}

describe("the write sweep", () => {
  it("sends a revert whose kick never came (the process failed right after the commit) within one sweep", async () => {
    const tenantId = newTenantId();
    const crm = new InMemoryCrm(tenantId);
    const queue = await h.open({ connectorFor: async () => crm, sweepIntervalMs: 300 });
    await queue.start();
    await commitRevertWithoutKick(queue, tenantId, "1");
    // No kick: only the sweep knows of the row.
    await waitFor(() => crm.calls.length === 1, 10_000, "the swept revert");
    const [row] = await h.rows(tenantId);
    expect(row).toMatchObject({ status: "done", attempts: 1 });
  });
});
