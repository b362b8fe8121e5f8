import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRollbackService, type RollbackService } from "../../src/rollback/index.js";
import { createSnapshotStore } from "../../src/snapshots/index.js";
import { startTollgateWithSandbox, PORTAL_ID, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const TENANT = String(PORTAL_ID);
const enrichment = { kind: "app", appId: "1000002" } as const;
const rep = { kind: "user", userId: "42" } as const;
const OWNER = { type: "human" as const, id: "olivia", role: "owner", via: "api_key" };
let h: Harness;
let rollback: RollbackService;

async function finished(jobId: string) {
  for (let i = 0; i < 400; i++) {
    const job = await rollback.getJob(TENANT, jobId);
    if (job?.state === "done" || job?.state === "failed") return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("rollback job did not finish");
}

beforeAll(async () => {
  h = await startTollgateWithSandbox({ env: { TOLLGATE_POLICY: "test/fixtures/policies/rollback-policy.yaml" } });
  const { tollgate } = h;
  // Built from the running Tollgate's own parts, as the composition root will wire it.
  rollback = createRollbackService({
    db: tollgate.internals.db,
    audit: tollgate.services.audit,
    writes: tollgate.internals.writes,
    snapshots: createSnapshotStore(tollgate.internals.db),
    readHistory: async (tenantId, objectType, ids, properties) =>
      (await tollgate.services.hubspot.connectorFor(tenantId)).readRecords(objectType, ids, properties, {
        withHistory: true,
      }),
  });
}, 60_000);
afterAll(async () => h?.close());

describe("rollback end to end (sandbox → webhooks → Tollgate → rollback → HubSpot API)", () => {
  it("restores the sandbox values an agent's allowed writes changed, and reports what a person changed since", async () => {
    const sandbox = h.started.sandbox;
    sandbox.write("contacts", "101", { jobtitle: "Chief Operating Officer", industry: "E-commerce" }, enrichment);
    sandbox.write("contacts", "102", { jobtitle: "Chief Technology Officer" }, enrichment);
    await h.settle();
    // Allowed: the agent's values stand, with provenance stamped.
    expect(sandbox.getRecord("contacts", "101")!.properties).toMatchObject({
      jobtitle: "Chief Operating Officer",
      industry: "E-commerce",
    });
    sandbox.write("contacts", "102", { jobtitle: "CTO & co-founder" }, rep);
    await h.settle();

    const plan = await rollback.plan(TENANT, { agentId: "enrichment-bot" }, OWNER);
    expect(plan.planned.map((p) => [p.objectId, p.field, p.restoreTo]).sort()).toEqual([
      ["101", "industry", "Retail"],
      ["101", "jobtitle", "VP Operations"],
    ]);
    expect(plan.conflicts).toMatchObject([
      {
        objectId: "102",
        field: "jobtitle",
        current: "CTO & co-founder",
        expected: "Chief Technology Officer",
        changedBy: "hubspot:user:42",
      },
    ]);
    await h.settle();
    const job = await finished(plan.jobId!);
    expect(job).toMatchObject({ state: "done", total: 2, done: 2, written: 2 });

    const record = sandbox.getRecord("contacts", "101")!.properties;
    expect(record).toMatchObject({ jobtitle: "VP Operations", industry: "Retail" });
    expect(sandbox.getRecord("contacts", "102")!.properties.jobtitle).toBe("CTO & co-founder");
    // Tollgate wrote it with its own app, and its own write coming back was not re-enforced.
    expect(sandbox.history("contacts", "101", "jobtitle")[0]).toMatchObject({
      value: "VP Operations",
      sourceId: "7777",
    });
    const { rows } = await h.tollgate.internals.db.query<{ purpose: string; status: string }>(
      "SELECT purpose, status FROM crm_writes WHERE tenant_id = $1 AND purpose = 'rollback'",
      [TENANT],
    );
    expect(rows).toEqual([
      { purpose: "rollback", status: "done" },
      { purpose: "rollback", status: "done" },
    ]);
    const { events } = await h.tollgate.services.audit.query({ tenantId: TENANT, runId: plan.jobId!, limit: 10 });
    expect(events.filter((e) => e.action === "rollback")).toHaveLength(2);
    expect((await h.tollgate.services.audit.verify(TENANT)).ok).toBe(true);
  });

  it("a second rollback of the same agent finds nothing left to undo but the conflict", async () => {
    const again = await rollback.plan(TENANT, { agentId: "enrichment-bot", dryRun: true }, OWNER);
    expect(again.planned).toEqual([]);
    expect(again.conflicts.map((c) => c.objectId)).toEqual(["102"]);
  });
});
