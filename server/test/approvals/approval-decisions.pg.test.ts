import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalDecisionResponseSchema, approvalListSchema } from "../../../shared/index.js";
import {
  API_KEYS,
  cardFetch,
  createApprovalHarness,
  keyFetch,
  newTenantId,
  waitFor,
  type ApprovalHarness,
} from "./approval-harness.js";

// The approval flow through its HTTP API over real PostgreSQL and Redis: two-person rule,
// binding to the value shown, fail-closed expiry and conflicts, rejection reasons.

let h: ApprovalHarness;
beforeAll(async () => {
  h = await createApprovalHarness();
});
afterAll(async () => {
  await h?.teardown();
});

const approvePath = (id: string) => `/v1/approvals/${id}/approve`;
const card = (tenantId: string, userId: string, extra: Record<string, string> = {}) => ({
  portalId: tenantId,
  userId,
  userEmail: `user${userId}@example.com`,
  ...extra,
});
const statusOf = async (tenantId: string, id: string) => (await h.store.get(tenantId, id))!.status;
const writesOf = async (tenantId: string) =>
  (
    await h.db.query<{ purpose: string; status: string; properties: Record<string, string> }>(
      "SELECT purpose, status, properties FROM crm_writes WHERE tenant_id = $1 ORDER BY seq",
      [tenantId],
    )
  ).rows;

describe("approve", () => {
  it("applies an approved proposal with ONE write: canonical set, shadow cleared, provenance names the approval", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const res = await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `${approvePath(a.id)}?tenantId=${tenantId}`, {
      expected: { value: a.proposedValue },
    });
    expect(res.status).toBe(200);
    const body = approvalDecisionResponseSchema.parse(res.body);
    expect(body.outcome).toBe("approved");
    expect(body.approvedBy.map((b) => b.name)).toEqual(["ada@example.com"]);

    await waitFor(async () => (await statusOf(tenantId, a.id)) === "applied", 10_000, "applied");
    const record = h.crmOf(tenantId).get("contacts", a.objectId)!;
    expect(record.email).toBe(a.proposedValue);
    expect(record.ai_proposed_email).toBe("");
    const events = await h.events(tenantId);
    const approve = events.find((e) => e.action === "approve")!;
    expect(approve.actor).toMatchObject({ type: "human", id: "api_key:ada@example.com", role: "approver" });
    expect(approve.approval).toMatchObject({ id: a.id, approvers: ["ada@example.com"] });
    expect(approve.field_diffs).toEqual([{ field: "email", before: "old@example.com", after: a.proposedValue }]);
    expect(record.ai_sdr_event_id).toBe(approve.event_id);
    expect((await writesOf(tenantId)).filter((w) => w.purpose === "apply")).toHaveLength(1);
    const applied = events.filter((e) => e.action === "apply");
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ result: "ok", approval: { id: a.id, approvers: ["ada@example.com"] } });
  });

  it("two-person rule: the same person twice counts once, a second person applies it", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId, approvalsNeeded: 2 });
    const first = await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `${approvePath(a.id)}?tenantId=${tenantId}`, {});
    expect(first.body.outcome).toBe("partially_approved");
    expect(first.body.status).toBe("pending");
    const again = await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `${approvePath(a.id)}?tenantId=${tenantId}`, {});
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe("unchanged");
    // The same person through the card (same email) is still the same person.
    const viaCard = await cardFetch(h.baseUrl, {
      path: approvePath(a.id),
      query: { portalId: tenantId, userId: "501", userEmail: "ADA@example.com" },
      body: {},
    });
    expect(viaCard.body.outcome).toBe("unchanged");
    expect((await h.store.get(tenantId, a.id))!.approvedBy).toHaveLength(1);
    expect(await writesOf(tenantId)).toEqual([]);

    const second = await cardFetch(h.baseUrl, {
      path: approvePath(a.id),
      query: card(tenantId, "777", { objectId: a.objectId }),
      body: { expected: { value: a.proposedValue } },
    });
    expect(second.status).toBe(200);
    expect(second.body.outcome).toBe("approved");
    await waitFor(async () => (await statusOf(tenantId, a.id)) === "applied", 10_000, "applied");
    const stored = (await h.store.get(tenantId, a.id))!;
    expect(stored.approvedBy.map((b) => b.id)).toEqual(["api_key:ada@example.com", "hubspot:user:777"]);
    expect(h.crmOf(tenantId).get("contacts", a.objectId)!.email).toBe(a.proposedValue);
    expect((await writesOf(tenantId)).filter((w) => w.purpose === "apply")).toHaveLength(1);
  });

  it("the proposing agent never approves: not by an agent key, not by a key in its name, not by the rep it acted for", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId, evidence: { delegatedBy: "rep@example.com" } });
    const agent = await keyFetch(h.baseUrl, API_KEYS.agent.key, `${approvePath(a.id)}?tenantId=${tenantId}`, {});
    expect(agent.status).toBe(403);
    const named = await keyFetch(
      h.baseUrl,
      API_KEYS.namedLikeAgent.key,
      `${approvePath(a.id)}?tenantId=${tenantId}`,
      {},
    );
    expect(named.status).toBe(403);
    expect(named.body.error.code).toBe("self_approval");
    const rep = await cardFetch(h.baseUrl, {
      path: approvePath(a.id),
      query: { portalId: tenantId, userId: "9", userEmail: "rep@example.com" },
      body: {},
    });
    expect(rep.status).toBe(403);
    expect(rep.body.error.code).toBe("self_approval");
    expect(await statusOf(tenantId, a.id)).toBe("pending");
    expect((await h.store.get(tenantId, a.id))!.approvedBy).toEqual([]);
    // The attempts are on the record.
    expect((await h.events(tenantId)).filter((e) => e.risk_flags.includes("self_approval"))).toHaveLength(2);
  });

  it("refuses a changed proposal: the card's expected value must be the proposed one; nothing changes", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const res = await cardFetch(h.baseUrl, {
      path: approvePath(a.id),
      query: card(tenantId, "42"),
      body: { expected: { value: "something-else@example.com" } },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", details: { reason: "proposal_changed" } });
    expect(await statusOf(tenantId, a.id)).toBe("pending");
    expect(await writesOf(tenantId)).toEqual([]);
    expect((await h.events(tenantId)).map((e) => e.action)).toEqual(["proposal"]);
  });

  it("expiry fails closed: an expired approval is refused, marked expired, its shadow cleared, never applied", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId, expiresInMs: 60_000 });
    h.clock.advance(61_000);
    try {
      const res = await cardFetch(h.baseUrl, {
        path: approvePath(a.id),
        query: card(tenantId, "42"),
        body: { expected: { value: a.proposedValue } },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("approval_expired");
      expect(await statusOf(tenantId, a.id)).toBe("expired");
      await h.writes.drain(tenantId);
      const record = h.crmOf(tenantId).get("contacts", a.objectId)!;
      expect(record.ai_proposed_email).toBe("");
      expect(record.email).toBe("old@example.com");
      expect((await writesOf(tenantId)).map((w) => w.purpose)).toEqual(["clear_shadow"]);
      const again = await keyFetch(
        h.baseUrl,
        API_KEYS.approverBob.key,
        `${approvePath(a.id)}?tenantId=${tenantId}`,
        {},
      );
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("approval_not_pending");
      expect((await h.events(tenantId)).map((e) => e.action)).toEqual(["proposal", "expire", "crm_write"]);
    } finally {
      h.clock.current = new Date();
    }
  });

  it("the expiry job expires only what is due, and listing never shows a lapsed approval as pending", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId, expiresInMs: 60_000 });
    const b = await h.seed({ tenantId, expiresInMs: 60_000 });
    await expect(h.service.onExpireJob({ tenantId, approvalId: a.id, kind: "expire" })).rejects.toMatchObject({
      code: "approval_not_due",
    });
    expect(await statusOf(tenantId, a.id)).toBe("pending");
    h.clock.advance(60_001);
    try {
      await h.service.onExpireJob({ tenantId, approvalId: a.id, kind: "expire" });
      expect(await statusOf(tenantId, a.id)).toBe("expired");
      expect(await h.service.expire(tenantId, a.id)).toBe(false);
      const list = await keyFetch(
        h.baseUrl,
        API_KEYS.auditor.key,
        `/v1/records/hubspot/contacts/${b.objectId}/approvals?tenantId=${tenantId}`,
      );
      expect(list.body.approvals.map((x: { status: string }) => x.status)).toEqual(["expired"]);
      expect((await h.events(tenantId)).filter((e) => e.action === "expire")).toHaveLength(2);
    } finally {
      h.clock.current = new Date();
    }
  });

  it("conflict: a human changed the field after the proposal → 409, marked conflict, nothing overwritten", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    h.crmOf(tenantId).set("contacts", a.objectId, { email: "human@example.com" });
    await h.snapshots.record([
      {
        tenantId,
        crm: "hubspot",
        objectType: "contacts",
        objectId: a.objectId,
        property: "email",
        value: "human@example.com",
        occurredAt: new Date(),
        actorType: "human",
        actorId: "userId:7",
        trusted: true,
        eventKey: randomUUID(),
      },
    ]);
    const res = await cardFetch(h.baseUrl, {
      path: approvePath(a.id),
      query: card(tenantId, "42"),
      body: { expected: { value: a.proposedValue } },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      code: "conflict",
      details: { reason: "canonical_changed", current: "human@example.com", shown: "old@example.com" },
    });
    expect(await statusOf(tenantId, a.id)).toBe("conflict");
    await h.writes.drain(tenantId);
    expect(h.crmOf(tenantId).get("contacts", a.objectId)!.email).toBe("human@example.com");
    expect((await writesOf(tenantId)).map((w) => w.purpose)).toEqual(["clear_shadow"]);
  });

  it("conflict found by a fresh CRM read when nothing was observed", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    h.crmOf(tenantId).set("contacts", a.objectId, { email: "changed-unseen@example.com" });
    const res = await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `${approvePath(a.id)}?tenantId=${tenantId}`, {});
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "conflict", details: { reason: "canonical_changed" } });
    expect(h.crmOf(tenantId).get("contacts", a.objectId)!.email).toBe("changed-unseen@example.com");
  });
});

describe("conflict at send time", () => {
  it("a human change between approval and the write: the guard skips it and the approval settles as conflict", async () => {
    const paused = await createApprovalHarness({ startWrites: false });
    try {
      const tenantId = newTenantId();
      const a = await paused.seed({ tenantId });
      const res = await keyFetch(
        paused.baseUrl,
        API_KEYS.approverAda.key,
        `${approvePath(a.id)}?tenantId=${tenantId}`,
        {},
      );
      expect(res.body.outcome).toBe("approved");
      paused.crmOf(tenantId).set("contacts", a.objectId, { email: "late-human@example.com" });
      await paused.snapshots.record([
        {
          tenantId,
          crm: "hubspot",
          objectType: "contacts",
          objectId: a.objectId,
          property: "email",
          value: "late-human@example.com",
          occurredAt: new Date(),
          actorType: "human",
          actorId: "userId:8",
          trusted: true,
          eventKey: randomUUID(),
        },
      ]);
      await paused.writes.start();
      await waitFor(async () => (await paused.store.get(tenantId, a.id))!.status === "conflict", 10_000, "conflict");
      await paused.writes.drain(tenantId);
      const record = paused.crmOf(tenantId).get("contacts", a.objectId)!;
      expect(record.email).toBe("late-human@example.com");
      expect(record.ai_proposed_email).toBe("");
      const final = (await paused.events(tenantId)).filter((e) => e.action === "apply");
      expect(final).toHaveLength(1);
      expect(final[0]).toMatchObject({ result: "failed", risk_flags: ["conflict"] });
    } finally {
      await paused.teardown();
    }
  });
});

describe("reconcile", () => {
  it("settles an approval whose apply write settled while its callback did not run", async () => {
    const paused = await createApprovalHarness({ startWrites: false });
    try {
      const tenantId = newTenantId();
      const a = await paused.seed({ tenantId });
      await paused.service.approve(tenantId, a.id, { id: "u1", name: "u1", via: "api_key" }, {});
      // As if the write went out and the process died before onSettled ran.
      await paused.db.query(
        "UPDATE crm_writes SET status = 'done', done_at = now() WHERE tenant_id = $1 AND purpose = 'apply'",
        [tenantId],
      );
      expect(await paused.service.reconcile(tenantId)).toBe(1);
      expect((await paused.store.get(tenantId, a.id))!.status).toBe("applied");
      expect(await paused.service.reconcile(tenantId)).toBe(0);
      expect((await paused.events(tenantId)).filter((e) => e.action === "apply")).toHaveLength(1);
    } finally {
      await paused.teardown();
    }
  });
});

describe("reject", () => {
  it("needs a reason, and the reason reaches the agent through the API and on the record", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const bare = await cardFetch(h.baseUrl, {
      path: `/v1/approvals/${a.id}/reject`,
      query: card(tenantId, "42"),
      body: {},
    });
    expect(bare.status).toBe(400);
    const blank = await cardFetch(h.baseUrl, {
      path: `/v1/approvals/${a.id}/reject`,
      query: card(tenantId, "42"),
      body: { reason: "   " },
    });
    expect(blank.status).toBe(400);
    expect(await statusOf(tenantId, a.id)).toBe("pending");

    const res = await cardFetch(h.baseUrl, {
      path: `/v1/approvals/${a.id}/reject`,
      query: card(tenantId, "42"),
      body: { reason: "that is a personal address" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: "rejected",
      status: "rejected",
      rejectReason: "that is a personal address",
    });
    // The agent reads the fate of its own proposals with its own key, bound to its tenant.
    const agentKey = `agent-key-${tenantId}-0123456789`;
    h.addKey({ key: agentKey, role: "agent", agentId: "enrichment-bot", tenantId });
    const list = await keyFetch(h.baseUrl, agentKey, `/v1/records/hubspot/0-1/${a.objectId}/approvals`);
    expect(list.status).toBe(200);
    expect(list.body.approvals).toHaveLength(1);
    expect(list.body.approvals[0]).toMatchObject({
      id: a.id,
      status: "rejected",
      rejectReason: "that is a personal address",
      agentId: "enrichment-bot",
    });
    await h.writes.drain(tenantId);
    const record = h.crmOf(tenantId).get("contacts", a.objectId)!;
    expect(record.ai_sdr_change_reason).toBe("Rejected by user42@example.com: that is a personal address");
    expect(record.ai_proposed_email).toBe("");
    expect(record.email).toBe("old@example.com");
    const reject = (await h.events(tenantId)).find((e) => e.action === "reject")!;
    expect(reject).toMatchObject({
      actor: { type: "human", id: "hubspot:user:42", via: "hubspot_card" },
      reason: "Rejected by user42@example.com: that is a personal address",
    });
  });
});

describe("listing", () => {
  it("answers the docs/contracts.md#http-api shape for contacts and 0-1 alike, pending first", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId, objectId: "4242" });
    await h.service.reject(tenantId, a.id, { id: "u1", name: "u1", via: "api_key" }, { reason: "no" });
    const b = await h.seed({
      tenantId,
      objectId: "4242",
      field: "phone",
      proposedValue: "+1 555 0100",
      currentValue: null,
    });
    const byName = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/contacts/4242/approvals",
      query: card(tenantId, "42", { objectId: "4242" }),
    });
    expect(byName.status).toBe(200);
    const parsed = approvalListSchema.parse(byName.body);
    expect(parsed.approvals.map((x) => [x.id, x.status])).toEqual([
      [b.id, "pending"],
      [a.id, "rejected"],
    ]);
    expect(Object.keys(byName.body.approvals[0]).sort()).toEqual(
      [
        "action",
        "agentId",
        "approvalsNeeded",
        "approvedBy",
        "confidence",
        "createdAt",
        "currentValue",
        "evidence",
        "expiresAt",
        "field",
        "fieldLabel",
        "id",
        "message",
        "objectId",
        "objectType",
        "proposedValue",
        "reason",
        "rejectReason",
        "riskFlags",
        "source",
        "status",
      ].sort(),
    );
    const byId = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/0-1/4242/approvals",
      query: card(tenantId, "42"),
    });
    expect(byId.body).toEqual(byName.body);
    const otherRecord = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/contacts/4242/approvals",
      query: card(tenantId, "42", { objectId: "999" }),
    });
    expect(otherRecord.status).toBe(403);
  });
});
