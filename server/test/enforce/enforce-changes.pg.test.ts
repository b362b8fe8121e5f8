import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import { createApprovalStore } from "../../src/approvals/index.js";
import { createExceptionStore } from "../../src/exceptions/index.js";
import { enforceChanges, type CrmChange, type EnforcementDeps } from "../../src/enforce/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import type { CrmWriteQueue } from "../../src/writes/index.js";
import type { CrmRecord } from "../../src/crm/index.js";
import { createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { openUnsentWriteQueue, testEnforcementDeps } from "../helpers/enforcement-test-deps.js";

const TENANT = "777";
const shipped = readFileSync("manifests/policy.yaml", "utf8");
let t: TestDatabase;
let audit: AuditLog;
let writes: CrmWriteQueue;
let closeWrites: () => Promise<void>;
let historyReads: { ids: string[]; props: string[] }[];
let history: Record<string, CrmRecord>;

function depsWith(policyYaml = shipped): EnforcementDeps {
  return testEnforcementDeps({
    db: t.db,
    audit,
    writes,
    policy: loadPolicy(policyYaml),
    readRecords: async (_tenant, _type, ids, props) => {
      historyReads.push({ ids, props });
      return ids.map((id) => history[id]).filter((r): r is CrmRecord => r !== undefined);
    },
    now: () => new Date("2026-03-02T10:00:00Z"),
  });
}

let seq = 0;
function change(
  over: Partial<CrmChange> & {
    property: string;
    value: string | null;
    at: string;
    sourceId: string;
    changeSource?: string;
  },
): CrmChange {
  seq++;
  const { at, sourceId, changeSource, ...rest } = over;
  return {
    tenantId: TENANT,
    crm: "hubspot",
    objectType: "contacts",
    policyObject: "contact",
    objectId: "501",
    kind: "property_change",
    occurredAt: new Date(`2026-03-02T${at}Z`),
    eventKey: `k${seq}-${Math.random()}`,
    source: { changeSource: changeSource ?? (sourceId.startsWith("userId:") ? "CRM_UI" : "INTEGRATION"), sourceId },
    ...rest,
  };
}

async function writeRows(objectId: string) {
  const { rows } = await t.db.query<{ properties: Record<string, string>; purpose: string }>(
    "SELECT properties, purpose FROM crm_writes WHERE tenant_id = $1 AND object_id = $2",
    [TENANT, objectId],
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestDatabase();
  audit = await createAuditLog(t.db);
  ({ writes, close: closeWrites } = await openUnsentWriteQueue({ db: t.db, audit, prefix: testPrefix("enforce") }));
});
afterAll(async () => {
  await closeWrites();
  await t.drop();
});
beforeEach(() => {
  historyReads = [];
  history = {};
});

describe("enforceChanges", () => {
  it("reports a conflict instead of reverting when a person changed the field after the agent", async () => {
    const deps = depsWith();
    // The person's edit arrives first; the agent's earlier write arrives late (HubSpot does not order).
    await enforceChanges(deps, TENANT, [
      change({ objectId: "601", property: "lifecyclestage", value: "lead", at: "08:00:00", sourceId: "userId:42" }),
    ]);
    await enforceChanges(deps, TENANT, [
      change({
        objectId: "601",
        property: "lifecyclestage",
        value: "opportunity",
        at: "09:30:00",
        sourceId: "userId:42",
      }),
    ]);
    const summary = await enforceChanges(deps, TENANT, [
      change({ objectId: "601", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: "1000002" }),
    ]);
    expect(summary).toMatchObject({ conflicts: 1, reverted: 0 });
    expect(await writeRows("601")).toEqual([]);
    const [deny] = (await audit.query({ tenantId: TENANT, objectId: "601", outcome: "deny" })).events;
    expect(deny?.error).toMatch(/conflict: hubspot:user:42 changed lifecyclestage since; not reverted/);
    const exceptions = await createExceptionStore(t.db).list(TENANT);
    expect(exceptions.some((x) => x.objectId === "601" && x.kind === "revert_conflict")).toBe(true);
  });

  it("reads the CRM's history only for properties it has never seen, and restores the value before the agent", async () => {
    history["602"] = {
      objectType: "contacts",
      objectId: "602",
      properties: { lifecyclestage: "customer" },
      history: {
        lifecyclestage: [
          { value: "customer", timestamp: "2026-03-02T09:00:00.000Z", sourceType: "INTEGRATION", sourceId: "1000002" },
          {
            value: "marketingqualifiedlead",
            timestamp: "2026-02-01T00:00:00.000Z",
            sourceType: "CRM_UI",
            sourceId: "userId:42",
          },
          { value: "subscriber", timestamp: "2026-01-01T00:00:00.000Z", sourceType: "IMPORT" },
        ],
      },
    };
    const summary = await enforceChanges(depsWith(), TENANT, [
      change({ objectId: "602", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: "1000002" }),
    ]);
    expect(summary.reverted).toBe(1);
    expect(historyReads).toEqual([{ ids: ["602"], props: ["lifecyclestage"] }]);
    expect(await writeRows("602")).toEqual([
      { properties: { lifecyclestage: "marketingqualifiedlead" }, purpose: "revert" },
    ]);

    // Seen once, known for good: the next disallowed write costs no history read.
    historyReads = [];
    await enforceChanges(depsWith(), TENANT, [
      change({ objectId: "602", property: "lifecyclestage", value: "evangelist", at: "09:05:00", sourceId: "1000002" }),
    ]);
    expect(historyReads).toEqual([]);
  });

  it("reverts a field the agent wrote several times in one batch once, to the value before the first write", async () => {
    const deps = depsWith();
    await enforceChanges(deps, TENANT, [
      change({ objectId: "603", property: "hs_lead_status", value: "NEW", at: "07:00:00", sourceId: "userId:42" }),
    ]);
    const summary = await enforceChanges(deps, TENANT, [
      change({ objectId: "603", property: "hs_lead_status", value: "OPEN", at: "09:00:01", sourceId: "1000002" }),
      change({
        objectId: "603",
        property: "hs_lead_status",
        value: "IN_PROGRESS",
        at: "09:00:02",
        sourceId: "1000002",
      }),
      change({ objectId: "603", property: "hs_lead_status", value: "CONNECTED", at: "09:00:03", sourceId: "1000002" }),
    ]);
    expect(summary.reverted).toBe(1);
    expect(await writeRows("603")).toEqual([{ properties: { hs_lead_status: "NEW" }, purpose: "revert" }]);
    expect((await audit.query({ tenantId: TENANT, objectId: "603", outcome: "deny" })).events).toHaveLength(3);
  });

  it("processes a retried job once: no second audit event, no second write", async () => {
    const deps = depsWith();
    const batch = [
      change({ objectId: "604", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: "1000002" }),
    ];
    history["604"] = { objectType: "contacts", objectId: "604", properties: {}, history: { lifecyclestage: [] } };
    await enforceChanges(deps, TENANT, batch);
    const again = await enforceChanges(deps, TENANT, batch);
    expect(again.skippedDuplicates).toBe(1);
    expect(await writeRows("604")).toHaveLength(1);
    expect((await audit.query({ tenantId: TENANT, objectId: "604" })).events).toHaveLength(1);
  });

  it("observes writes from unknown integrations unless the policy enforces them", async () => {
    const observed = await enforceChanges(depsWith(), TENANT, [
      change({ objectId: "605", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: "424242" }),
    ]);
    expect(observed).toMatchObject({ observed: 1, reverted: 0 });
    expect(await writeRows("605")).toEqual([]);

    const enforcing = shipped.replace(/^unattributed: .*$/m, "unattributed: enforce");
    expect(enforcing).toContain("unattributed: enforce");
    await enforceChanges(depsWith(enforcing), TENANT, [
      change({ objectId: "605", property: "lifecyclestage", value: "lead", at: "09:10:00", sourceId: "424242" }),
    ]);
    expect(await writeRows("605")).toEqual([{ properties: { lifecyclestage: "customer" }, purpose: "revert" }]);
  });

  it("reverts an enforced unknown writer on governed fields only: never provenance, shadow or ungoverned fields", async () => {
    const enforcing = shipped.replace(/^unattributed: .*$/m, "unattributed: enforce");
    const unknown = (property: string, value: string, at: string) =>
      change({ objectId: "615", property, value, at, sourceId: "424242" });
    const summary = await enforceChanges(depsWith(enforcing), TENANT, [
      unknown("ai_sdr_confidence_score", "0.2", "09:00:01"),
      unknown("ai_proposed_email", "x@y.example", "09:00:02"),
      unknown("favorite_color", "teal", "09:00:03"),
      unknown("lifecyclestage", "customer", "09:00:04"),
    ]);
    expect(summary).toMatchObject({ observed: 3 });
    const denied = (await audit.query({ tenantId: TENANT, objectId: "615" })).events.filter(
      (e) => e.decision?.outcome === "deny",
    );
    expect(denied.map((e) => e.field_diffs.map((d) => d.field))).toEqual([["lifecyclestage"]]);
  });

  it("ignores its own writes, and stamps provenance on an allowed direct write", async () => {
    const own = await enforceChanges(depsWith(), TENANT, [
      change({ objectId: "606", property: "lifecyclestage", value: "lead", at: "09:00:00", sourceId: "7777" }),
    ]);
    expect(own).toMatchObject({ ownWrites: 1, observed: 0 });
    expect((await audit.query({ tenantId: TENANT, objectId: "606" })).events).toHaveLength(0);

    // A tier-2 field without an auto rule: a safe write-back, audited and stamped with provenance.
    const safeWrites = [
      "version: 1",
      "tenant: default",
      "agents:",
      "  - { id: enrichment-bot, role: enrichment, hubspot: { appIds: [1000002] } }",
      "roles:",
      "  enrichment:",
      "    objects:",
      "      company:",
      "        read: allow",
      "        fields:",
      "          industry: { tier: 2 }",
      "",
    ].join("\n");
    const allowed = await enforceChanges(depsWith(safeWrites), TENANT, [
      change({
        objectType: "companies",
        policyObject: "company",
        objectId: "607",
        property: "industry",
        value: "Retail",
        at: "09:00:00",
        sourceId: "1000002",
      }),
    ]);
    expect(allowed).toMatchObject({ allowed: 1, reverted: 0 });
    const [row] = await writeRows("607");
    const [event] = (await audit.query({ tenantId: TENANT, objectId: "607" })).events;
    expect(event?.decision).toMatchObject({ outcome: "allow", tier: 2 });
    expect(row).toEqual({
      purpose: "provenance",
      properties: {
        ai_sdr_event_id: event!.event_id,
        ai_sdr_last_action_at: String(Date.parse("2026-03-02T09:00:00Z")),
      },
    });
  });

  it("records what an observed or allowed change replaced, also for several changes of one field in a batch", async () => {
    const deps = depsWith();
    await enforceChanges(deps, TENANT, [
      change({ objectId: "608", property: "jobtitle", value: "Engineer", at: "08:00:00", sourceId: "userId:42" }),
    ]);
    await enforceChanges(deps, TENANT, [
      change({ objectId: "608", property: "jobtitle", value: "Lead Engineer", at: "09:00:00", sourceId: "userId:42" }),
      change({ objectId: "608", property: "jobtitle", value: "CTO", at: "10:00:00", sourceId: "userId:42" }),
    ]);
    const diffs = (await audit.query({ tenantId: TENANT, objectId: "608", limit: 10 })).events
      .map((e) => e.field_diffs[0])
      .reverse();
    expect(diffs).toEqual([
      { field: "jobtitle", before: null, after: "Engineer" },
      { field: "jobtitle", before: "Engineer", after: "Lead Engineer" },
      { field: "jobtitle", before: "Lead Engineer", after: "CTO" },
    ]);
  });

  it("turns a direct write that needed a person into a pending approval, after reverting it", async () => {
    const deps = depsWith();
    await enforceChanges(deps, TENANT, [
      change({ objectId: "609", property: "email", value: "old@acme.example", at: "08:00:00", sourceId: "userId:42" }),
    ]);
    // Enrichment may set email only through approval (or an auto rule it cannot pass without provenance).
    const summary = await enforceChanges(deps, TENANT, [
      change({ objectId: "609", property: "email", value: "new@acme.example", at: "09:00:00", sourceId: "1000002" }),
    ]);
    expect(summary).toMatchObject({ reverted: 1, approvalsOpened: 1 });
    expect(await writeRows("609")).toEqual([{ properties: { email: "old@acme.example" }, purpose: "revert" }]);
    const [approval] = await createApprovalStore(t.db).listForRecord(TENANT, "contacts", "609");
    expect(approval).toMatchObject({
      status: "pending",
      field: "email",
      shadowField: null,
      currentValue: "old@acme.example",
      proposedValue: "new@acme.example",
      agentId: "enrichment-bot",
      riskFlags: ["direct_write", "no_evidence"],
    });
    const [event] = (await audit.query({ tenantId: TENANT, objectId: "609", outcome: "needs_approval" })).events;
    expect(event?.approval?.id).toBe(approval!.id);
    expect(approval!.proposalEventId).toBe(event!.event_id);
  });
});
