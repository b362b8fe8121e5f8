import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createPolicyPort, enforceChanges, type CrmChange, type EnforcementDeps } from "../../src/enforce/index.js";
import { createExceptionStore } from "../../src/exceptions/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import { createApprovalHarness, newTenantId, waitFor, type ApprovalHarness } from "../approvals/approval-harness.js";

// Issue 9: a value HubSpot marks `isSensitive` never reaches the permanent audit log — not in the
// agent's change, and not in what follows it: the revert Tollgate writes back, the approval of a
// proposal and its decisions. The attack: whoever reads the tenant's chain (auditor key, export,
// SIEM) searches it for the value.

const OLD = "078-05-1120";
const NEW = "219-09-9999";
const PROPOSED_A = "457-55-5462";
const PROPOSED_B = "512-44-1234";
const USER = { id: "u1", name: "u1", via: "api_key" } as const;

let h: ApprovalHarness;
beforeAll(async () => {
  h = await createApprovalHarness();
});
afterAll(async () => h?.teardown());

function enforcement(): EnforcementDeps {
  return {
    db: h.db,
    audit: h.audit,
    snapshots: h.snapshots,
    writes: h.writes,
    approvals: { create: (a, o) => h.store.create(a, o), scheduled: async () => undefined },
    exceptions: createExceptionStore(h.db),
    policyFor: () => createPolicyPort(loadPolicy(readFileSync("manifests/policy.yaml", "utf8"))),
    // The CRM's history: a person set OLD before the agent overwrote it.
    readRecords: async (_t, objectType, ids) =>
      ids.map((objectId) => ({
        objectType,
        objectId,
        properties: { lifecyclestage: NEW },
        history: {
          lifecyclestage: [
            { value: NEW, timestamp: "2026-03-02T09:00:00.000Z", sourceType: "INTEGRATION", sourceId: "1000002" },
            { value: OLD, timestamp: "2026-02-01T00:00:00.000Z", sourceType: "CRM_UI", sourceId: "userId:42" },
          ],
        },
      })),
    self: { hubspotAppId: "7777" },
    now: () => new Date("2026-03-02T10:00:00Z"),
  };
}

/** A disallowed agent write HubSpot marked `isSensitive`. */
function sensitiveAgentWrite(tenantId: string): CrmChange {
  return {
    tenantId,
    crm: "hubspot",
    objectType: "contacts",
    policyObject: "contact",
    objectId: "701",
    kind: "property_change",
    property: "lifecyclestage",
    value: NEW,
    sensitive: true,
    occurredAt: new Date("2026-03-02T09:00:00Z"),
    eventKey: `${tenantId}|sensitive-1`,
    source: { changeSource: "INTEGRATION", sourceId: "1000002" },
  };
}

describe("isSensitive values stay out of every audit event that follows the change", () => {
  it("a revert, an approval, a rejection and a batch: the chain holds none of the values and verifies", async () => {
    const tenantId = newTenantId();
    const crm = h.crmOf(tenantId);
    crm.set("contacts", "701", { lifecyclestage: NEW });

    // The agent's sensitive write is reverted: the CRM gets the old value back...
    const summary = await enforceChanges(enforcement(), tenantId, [sensitiveAgentWrite(tenantId)]);
    expect(summary.reverted).toBe(1);
    await waitFor(async () => crm.get("contacts", "701")?.lifecyclestage === OLD);

    // ...and proposals of sensitive values are approved, rejected and decided in a batch.
    const approved = await h.seed({
      tenantId,
      field: "national_id",
      currentValue: OLD,
      proposedValue: PROPOSED_A,
      sensitive: true,
    });
    await h.service.approve(tenantId, approved.id, USER, { expected: { value: PROPOSED_A } });
    await waitFor(async () => (await h.events(tenantId)).some((e) => e.action === "apply"));
    expect(crm.get("contacts", approved.objectId)?.national_id).toBe(PROPOSED_A);
    const rejected = await h.seed({
      tenantId,
      field: "national_id",
      currentValue: OLD,
      proposedValue: PROPOSED_B,
      sensitive: true,
    });
    await h.service.reject(tenantId, rejected.id, USER, { reason: "no" });
    const batched = await h.seed({
      tenantId,
      field: "tax_id",
      currentValue: OLD,
      proposedValue: PROPOSED_B,
      sensitive: true,
    });
    const stale = await h.seed({
      tenantId,
      field: "tax_id",
      currentValue: OLD,
      proposedValue: PROPOSED_A,
      sensitive: true,
    });
    // One item right, one from a stale card: the refusal (which names values to the approver) is logged too.
    await h.service.batch(tenantId, USER, [
      { id: batched.id, decision: "approve", expected: { value: PROPOSED_B } },
      { id: stale.id, decision: "approve", expected: { value: "something-else" } },
    ]);
    await h.writes.drain(tenantId);

    const events = await h.events(tenantId);
    const actions = new Set(events.map((e) => e.action));
    for (const a of ["crm_write", "approve", "reject", "apply", "approval_batch"]) expect(actions).toContain(a);
    const serialized = JSON.stringify(events);
    for (const raw of [OLD, NEW, PROPOSED_A, PROPOSED_B]) expect(serialized).not.toContain(raw);
    // What the log keeps instead: the field names, marked sensitive, with hashed values.
    const revert = events.find((e) => e.action === "crm_write" && e.field_diffs[0]?.field === "lifecyclestage")!;
    expect(revert.sensitive_fields).toEqual(["lifecyclestage"]);
    expect(revert.field_diffs[0]!.after).toMatch(/^(hmac-)?sha256:[0-9a-f]{64}$/);
    // Only the fields carrying the value are hashed: the apply write's provenance stamp stays readable.
    const apply = events.find((e) => e.action === "crm_write" && e.object_id === approved.objectId)!;
    expect(apply.sensitive_fields).toEqual(["national_id", "ai_proposed_national_id"]);
    expect(apply.field_diffs.find((d) => d.field === "ai_sdr_event_id")!.after).toBe(apply.caused_by);
    let exported = "";
    for await (const line of h.audit.exportJsonl({ tenantId })) exported += line;
    for (const raw of [OLD, NEW, PROPOSED_A, PROPOSED_B]) expect(exported).not.toContain(raw);
    expect(await h.audit.verify(tenantId)).toMatchObject({ ok: true });
  });
});
