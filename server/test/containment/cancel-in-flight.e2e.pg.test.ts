import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTollgateWithSandbox, PORTAL_ID, type Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { callApi } from "../helpers/call-api.js";
import { waitFor } from "../helpers/wait-for.js";

// Issue 15, in flight: a switch CANCELS the agent's queued work in its scope — nothing of it
// leaves while the switch is on, nor once it is lifted — an approved-but-unapplied apply goes
// back to a person (pending), and Tollgate's own reverts go on throughout. A real Tollgate
// (PostgreSQL, Redis) against the HubSpot sandbox, which sends it signed webhooks.

const TENANT = String(PORTAL_ID);
const enrichment = { kind: "app", appId: "1000002" } as const;
const rita = { type: "human", id: "Rita", role: "revops_admin", via: "api_key" } as const;
const APPROVER = "approver-key-cancel-e2e-0123456789ab";
const PROPOSED = "ada.lovelace@northwind.example";
const agentScope = { type: "agent", value: "enrichment-bot" } as const;

let h: Harness;
beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: { TOLLGATE_API_KEYS: JSON.stringify([{ key: APPROVER, role: "approver", name: "rita", tenantId: TENANT }]) },
  });
});
afterAll(async () => h?.close());

const writeRows = async (purpose: string) =>
  (
    await h.t.db.query<{ id: string; status: string; cancelled_by: string | null; attempts: number }>(
      "SELECT id, status, cancelled_by, attempts FROM crm_writes WHERE tenant_id = $1 AND purpose = $2 ORDER BY seq",
      [TENANT, purpose],
    )
  ).rows;
const emailOf101 = () => h.started.sandbox.getRecord("contacts", "101")!.properties.email;
const approve = (id: string) => callApi(h.baseUrl, "POST", `/v1/approvals/${id}/approve`, APPROVER, {});
const approvalOf101 = async () =>
  (await h.tollgate.services.approvals.listForRecord(TENANT, "contacts", "101")).find((a) => a.field === "email")!;

describe("a kill switch cancels the agent's work in flight", () => {
  let tripEventId: string;

  it("cancels an approved apply that had not left (its CRM was failing), and returns the approval to pending", async () => {
    // The agent proposes a new email; a person approves it while HubSpot answers 503: the apply stays queued.
    h.started.sandbox.write(
      "contacts",
      "101",
      {
        ai_proposed_email: PROPOSED,
        ai_sdr_confidence_score: "0.7",
        ai_sdr_source: "apollo",
        ai_sdr_change_reason: "work address found on the company site",
      },
      enrichment,
    );
    await h.settle();
    const pending = await approvalOf101();
    expect(pending.status).toBe("pending");
    h.started.sandbox.setFault({ status: 503 });
    const approved = await approve(pending.id);
    expect(approved).toMatchObject({ status: 200, body: { status: "approved" } });
    await waitFor(async () => (await writeRows("apply"))[0]?.attempts === 1, 10_000, "the apply was tried once");

    const trip = await h.tollgate.services.killSwitches.set(
      TENANT,
      { scope: agentScope, state: "on", reason: "runaway" },
      rita,
    );
    tripEventId = trip.eventId!;
    h.started.sandbox.setFault(undefined);
    await h.settle();

    const [apply] = await writeRows("apply");
    expect(apply).toMatchObject({ status: "cancelled", cancelled_by: tripEventId });
    expect(emailOf101()).toBe("ada@northwind.example");
    const reopened = await approvalOf101();
    expect(reopened).toMatchObject({ id: pending.id, status: "pending", proposedValue: PROPOSED });
    expect(reopened.approvedBy).toEqual([]);
    // Audited: the cancel is caused by the switch, the re-opening by the cancel.
    const events = (await h.tollgate.services.audit.query({ tenantId: TENANT, objectId: "101", limit: 200 })).events;
    const cancel = events.find((e) => e.action === "crm_write" && e.caused_by === tripEventId);
    expect(cancel).toMatchObject({ result: "failed", risk_flags: ["kill_switch_cancelled"] });
    expect(cancel?.reason).toContain("kill switch agent:enrichment-bot turned on by Rita: runaway");
    expect(events.find((e) => e.action === "approval_reopened")).toMatchObject({ caused_by: cancel!.event_id });
  });

  it("keeps reverting the agent's direct writes while the switch is on", async () => {
    const before = h.started.sandbox.getRecord("contacts", "102")?.properties.lifecyclestage;
    h.started.sandbox.write("contacts", "102", { lifecyclestage: "customer" }, enrichment);
    await h.settle();
    expect(h.started.sandbox.getRecord("contacts", "102")?.properties.lifecyclestage).toBe(before);
    expect(before).not.toBe("customer");
    expect((await writeRows("revert")).every((r) => r.status === "done")).toBe(true);
  });

  it("reports the cancelled work as a confirmed containment point", async () => {
    await waitFor(
      async () =>
        (await h.tollgate.services.containment.reportsOf(TENANT, [tripEventId])).get(tripEventId)?.status ===
        "contained",
      20_000,
      "contained",
    );
    const report = (await h.tollgate.services.containment.reportsOf(TENANT, [tripEventId])).get(tripEventId)!;
    expect(report.points.find((p) => p.point === "queued_work_cancelled")).toMatchObject({
      state: "confirmed",
      count: 1,
    });
    expect(report.points.map((p) => p.point)).not.toContain("queues_held");
  });

  it("sends nothing the agent queued once the switch is lifted; a person decides the approval again", async () => {
    const lift = await h.tollgate.services.killSwitches.set(
      TENANT,
      { scope: agentScope, state: "off", reason: "prompt fixed" },
      rita,
    );
    expect(lift.prevented?.cancelledWrites).toBe(1);
    await h.tollgate.internals.writes.kick([TENANT]);
    await new Promise((r) => setTimeout(r, 500));
    await h.settle();
    expect(emailOf101()).toBe("ada@northwind.example");
    expect((await writeRows("apply")).map((r) => r.status)).toEqual(["cancelled"]);
    const again = await approvalOf101();
    expect(again.status).toBe("pending");

    // Re-decided after the lift: applied as any approval.
    expect((await approve(again.id)).status).toBe(200);
    await h.settle();
    expect(emailOf101()).toBe(PROPOSED);
    expect((await approvalOf101()).status).toBe("applied");
  });
});
