import express from "express";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalBatchResultSchema, provenancePageSchema } from "../../../shared/index.js";
import {
  HUBSPOT_TEST_APP_ID,
  HUBSPOT_TEST_CLIENT_SECRET,
  HUBSPOT_TEST_PUBLIC_URL,
} from "../../../test/fixtures/index.js";
import { verifyCardRequest } from "../../src/http/index.js";
import { signHubSpotV3 } from "../../src/webhooks/index.js";
import {
  API_KEYS,
  cardFetch,
  createApprovalHarness,
  keyFetch,
  newTenantId,
  waitFor,
  type ApprovalHarness,
} from "./approval-harness.js";

let h: ApprovalHarness;
beforeAll(async () => {
  h = await createApprovalHarness();
});
afterAll(async () => {
  await h?.teardown();
});

const card = (tenantId: string, userId = "42") => ({
  portalId: tenantId,
  userId,
  userEmail: `user${userId}@example.com`,
});

describe("batch", () => {
  it("decides each item on its own and logs ONE approval_batch event with the manifest and every result", async () => {
    const tenantId = newTenantId();
    const ok = await h.seed({ tenantId });
    const stale = await h.seed({ tenantId });
    const rejected = await h.seed({ tenantId });
    const noReason = await h.seed({ tenantId });
    const items = [
      { id: ok.id, decision: "approve", expected: { value: ok.proposedValue } },
      { id: stale.id, decision: "approve", expected: { value: "not-what-was-proposed@example.com" } },
      { id: rejected.id, decision: "reject", expected: { value: rejected.proposedValue }, reason: "wrong person" },
      { id: noReason.id, decision: "reject", expected: { value: noReason.proposedValue } },
      { id: "no-such-approval", decision: "approve" },
      { id: ok.id, decision: "approve" },
      { id: 5, decision: "maybe" },
    ];
    const res = await cardFetch(h.baseUrl, { path: "/v1/approvals/batch", query: card(tenantId), body: { items } });
    expect(res.status).toBe(200);
    const { results } = approvalBatchResultSchema.parse(res.body);
    expect(results.map((r) => [r.id, r.ok, r.status, r.error?.code ?? r.outcome])).toEqual([
      [ok.id, true, "approved", "approved"],
      [stale.id, false, "pending", "conflict"],
      [rejected.id, true, "rejected", "rejected"],
      [noReason.id, false, "pending", "validation_failed"],
      ["no-such-approval", false, null, "not_found"],
      [ok.id, false, null, "duplicate_item"],
      ["#6", false, null, "validation_failed"],
    ]);
    expect(results[0]!.approval).toMatchObject({ id: ok.id, status: "approved" });

    const events = await h.events(tenantId);
    expect(events.filter((e) => e.action === "approval_batch")).toHaveLength(1);
    expect(events.filter((e) => e.action === "approve" || e.action === "reject")).toHaveLength(0);
    const batch = events.find((e) => e.action === "approval_batch")!;
    expect(batch).toMatchObject({
      actor: { type: "human", id: "hubspot:user:42", via: "hubspot_card" },
      result: "partial",
    });
    const evidence = batch.evidence as {
      manifest: { id: string; decision: string | null; seenValue?: string | null; proposedValue: string | null }[];
      results: { id: string; ok: boolean }[];
    };
    expect(evidence.manifest.map((m) => [m.id, m.decision])).toEqual(
      items.map((i, n) => [typeof i.id === "string" ? i.id : `#${n}`, n === 6 ? null : n === 5 ? null : i.decision]),
    );
    expect(evidence.manifest[1]).toMatchObject({
      seenValue: "not-what-was-proposed@example.com",
      proposedValue: stale.proposedValue,
    });
    expect(evidence.results.map((r) => r.ok)).toEqual([true, false, true, false, false, false, false]);

    await waitFor(async () => (await h.store.get(tenantId, ok.id))!.status === "applied", 10_000, "applied");
    await h.writes.drain(tenantId);
    expect(h.crmOf(tenantId).get("contacts", ok.objectId)!.email).toBe(ok.proposedValue);
    expect(h.crmOf(tenantId).get("contacts", stale.objectId)!.email).toBe("old@example.com");
    expect(h.crmOf(tenantId).get("contacts", rejected.objectId)!.ai_sdr_change_reason).toBe(
      "Rejected by user42@example.com: wrong person",
    );
    expect((await h.store.get(tenantId, stale.id))!.status).toBe("pending");
    expect((await h.store.get(tenantId, noReason.id))!.status).toBe("pending");
    // The apply write names the batch event as its cause; the final state is audited per record.
    const apply = (await h.events(tenantId)).find((e) => e.action === "apply")!;
    expect(apply).toMatchObject({ object_id: ok.objectId, approval: { id: ok.id, approvers: ["user42@example.com"] } });
    expect(h.crmOf(tenantId).get("contacts", ok.objectId)!.ai_sdr_event_id).toBe(batch.event_id);
  });

  it("refuses more than 100 items, and an empty batch, changing nothing", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const many = Array.from({ length: 101 }, () => ({ id: a.id, decision: "approve" }));
    const tooMany = await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `/v1/approvals/batch?tenantId=${tenantId}`, {
      items: many,
    });
    expect(tooMany.status).toBe(400);
    const empty = await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `/v1/approvals/batch?tenantId=${tenantId}`, {
      items: [],
    });
    expect(empty.status).toBe(400);
    expect((await h.store.get(tenantId, a.id))!.status).toBe("pending");
    expect((await h.events(tenantId)).map((e) => e.action)).toEqual(["proposal"]);
  });

  it("an operator key decides batches; an auditor key may not", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const auditor = await keyFetch(h.baseUrl, API_KEYS.auditor.key, `/v1/approvals/batch?tenantId=${tenantId}`, {
      items: [{ id: a.id, decision: "approve" }],
    });
    expect(auditor.status).toBe(403);
    const bob = await keyFetch(h.baseUrl, API_KEYS.approverBob.key, `/v1/approvals/batch?tenantId=${tenantId}`, {
      items: [{ id: a.id, decision: "approve" }],
    });
    expect(bob.body.results[0]).toMatchObject({ ok: true, status: "approved" });
  });
});

describe("tenancy and card signatures", () => {
  it("a signed request from portal B never sees or decides portal A's approvals", async () => {
    const portalA = newTenantId();
    const portalB = newTenantId();
    const a = await h.seed({ tenantId: portalA, objectId: "777" });
    const approve = await cardFetch(h.baseUrl, {
      path: `/v1/approvals/${a.id}/approve`,
      query: card(portalB),
      body: { expected: { value: a.proposedValue } },
    });
    expect(approve.status).toBe(404);
    const reject = await cardFetch(h.baseUrl, {
      path: `/v1/approvals/${a.id}/reject`,
      query: card(portalB),
      body: { reason: "mine now" },
    });
    expect(reject.status).toBe(404);
    const batch = await cardFetch(h.baseUrl, {
      path: "/v1/approvals/batch",
      query: card(portalB),
      body: { items: [{ id: a.id, decision: "approve" }] },
    });
    expect(batch.body.results[0]).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(batch.body.results[0].approval).toBeUndefined();
    // A card cannot pick another tenant with ?tenantId= either.
    const smuggled = await cardFetch(h.baseUrl, {
      path: `/v1/approvals/${a.id}/approve`,
      query: { ...card(portalB), tenantId: portalA },
      body: {},
    });
    expect(smuggled.status).toBe(403);
    const list = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/contacts/777/approvals",
      query: card(portalB),
    });
    expect(list.body).toEqual({ approvals: [] });
    const provenance = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/contacts/777/provenance",
      query: card(portalB),
    });
    expect(provenance.body).toEqual({ changes: [], nextCursor: null });
    expect((await h.store.get(portalA, a.id))!.status).toBe("pending");
    expect((await h.events(portalA)).map((e) => e.action)).toEqual(["proposal"]);
    expect(await h.events(portalB)).toHaveLength(1); // the refused batch, in B's own log
  });

  it("refuses a bad signature, a tampered identity, a stale timestamp and an unsigned request with 401", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const path = `/v1/approvals/${a.id}/approve`;
    const body = { expected: { value: a.proposedValue } };
    const wrongSecret = await cardFetch(h.baseUrl, {
      path,
      query: card(tenantId),
      body,
      secret: "not-the-client-secret",
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toMatchObject({
      code: "card_signature_invalid",
      details: { reason: "bad_signature" },
    });
    const tampered = await cardFetch(h.baseUrl, {
      path,
      query: card(tenantId, "42"),
      sendQuery: card(tenantId, "43"),
      body,
    });
    expect(tampered.status).toBe(401);
    const stale = await cardFetch(h.baseUrl, { path, query: card(tenantId), body, timestamp: Date.now() - 6 * 60_000 });
    expect(stale.body.error.details.reason).toBe("stale_timestamp");
    const otherBody = await cardFetch(h.baseUrl, {
      path,
      query: card(tenantId),
      body,
      signBody: JSON.stringify({ expected: { value: "x" } }),
    });
    expect(otherBody.status).toBe(401);
    const noIdentity = await cardFetch(h.baseUrl, { path, query: { portalId: tenantId }, body });
    expect(noIdentity.status).toBe(401);
    const unsigned = await fetch(`${h.baseUrl}${path}?portalId=${tenantId}&userId=42`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    expect((await h.store.get(tenantId, a.id))!.status).toBe("pending");
    expect((await h.store.get(tenantId, a.id))!.approvedBy).toEqual([]);
  });

  it("an API key with the approver role decides; its name is the approver", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId });
    const res = await keyFetch(
      h.baseUrl,
      API_KEYS.approverBob.key,
      `/v1/approvals/${a.id}/approve?tenantId=${tenantId}`,
      { expected: { value: a.proposedValue } },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: "approved",
      approvedBy: [{ id: "api_key:bob@example.com", name: "bob@example.com" }],
    });
    const wrongKey = await keyFetch(
      h.baseUrl,
      "not-a-key-0123456789",
      `/v1/approvals/${a.id}/approve?tenantId=${tenantId}`,
      {},
    );
    expect(wrongKey.status).toBe(401);
  });

  it("checks the exact bytes when it has them, and the re-serialised body behind another JSON parser", async () => {
    const app = express();
    app.use(express.json());
    app.post("/v1/approvals/:id/approve", async (req, res) => {
      try {
        const options = {
          clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
          publicUrl: HUBSPOT_TEST_PUBLIC_URL,
          appId: HUBSPOT_TEST_APP_ID,
          isInstalled: async () => true,
        };
        res.json((await verifyCardRequest(options, req)).principal);
      } catch (err) {
        res.status(401).json({ code: (err as { code: string }).code });
      }
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const path = `/v1/approvals/x/approve?portalId=1&userId=2&userEmail=rep%40example.com&appId=${HUBSPOT_TEST_APP_ID}`;
      const body = { expected: { value: "v" } };
      const timestamp = Date.now();
      const send = (signed: string, sent: string) =>
        fetch(`${base}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-hubspot-request-timestamp": String(timestamp),
            "x-hubspot-signature-v3": signHubSpotV3({
              clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
              publicUrl: HUBSPOT_TEST_PUBLIC_URL + path,
              rawBody: signed,
              timestamp,
            }),
          },
          body: sent,
        });
      // HubSpot's proxy signs JSON.stringify(body); a parser ahead of us leaves only the parsed body.
      const reserialised = await send(JSON.stringify(body), '{ "expected" : { "value" : "v" } }');
      expect(reserialised.status).toBe(200);
      expect(await reserialised.json()).toEqual({
        via: "hubspot_card",
        role: "approver",
        name: "rep@example.com",
        tenantId: "1",
      });
      const forged = await send(JSON.stringify({ expected: { value: "w" } }), JSON.stringify(body));
      expect(forged.status).toBe(401);
    } finally {
      server.close();
    }
  });
});

describe("provenance", () => {
  it("lists the record's governed changes newest first, with approvers and rule, paged", async () => {
    const tenantId = newTenantId();
    const a = await h.seed({ tenantId, objectId: "8080" });
    await keyFetch(h.baseUrl, API_KEYS.approverAda.key, `/v1/approvals/${a.id}/approve?tenantId=${tenantId}`, {
      expected: { value: a.proposedValue },
    });
    await waitFor(async () => (await h.store.get(tenantId, a.id))!.status === "applied", 10_000, "applied");

    const res = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/0-1/8080/provenance",
      query: { ...card(tenantId), objectId: "8080" },
    });
    expect(res.status).toBe(200);
    const page = provenancePageSchema.parse(res.body);
    expect(page.changes.map((c) => [c.action, c.outcome])).toEqual([
      ["apply", "applied"],
      ["approve", "approved"],
      ["proposal", "needs_approval"],
    ]);
    const [apply, approve, proposal] = page.changes;
    expect(apply).toMatchObject({
      field: "email",
      before: "old@example.com",
      after: a.proposedValue,
      approvedBy: ["ada@example.com"],
      approvalId: a.id,
      actor: { type: "system" },
    });
    expect(approve).toMatchObject({
      actor: { type: "human", id: "api_key:ada@example.com" },
      ruleId: "enrichment.contact.email",
      policyVersion: "v-test",
    });
    expect(proposal).toMatchObject({
      actor: { type: "agent", id: "enrichment-bot" },
      approvedBy: ["ada@example.com"],
      confidence: 0.6,
      source: "apollo",
      evidence: { sources: ["apollo"] },
    });

    const first = await keyFetch(
      h.baseUrl,
      API_KEYS.auditor.key,
      `/v1/records/hubspot/contacts/8080/provenance?tenantId=${tenantId}&limit=2`,
    );
    expect(first.body.changes.map((c: { action: string }) => c.action)).toEqual(["apply", "approve"]);
    const second = await keyFetch(
      h.baseUrl,
      API_KEYS.auditor.key,
      `/v1/records/hubspot/contacts/8080/provenance?tenantId=${tenantId}&limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body).toMatchObject({ changes: [{ action: "proposal" }], nextCursor: null });
    const bad = await keyFetch(
      h.baseUrl,
      API_KEYS.auditor.key,
      `/v1/records/hubspot/contacts/8080/provenance?tenantId=${tenantId}&cursor=nope`,
    );
    expect(bad.status).toBe(400);
    const agent = await keyFetch(
      h.baseUrl,
      API_KEYS.agent.key,
      `/v1/records/hubspot/contacts/8080/provenance?tenantId=${tenantId}`,
    );
    expect(agent.status).toBe(403);
  });
});
