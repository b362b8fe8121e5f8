import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalListSchema, provenancePageSchema } from "../../../shared/index.js";
import {
  PORTAL_ID,
  TOLLGATE_APP_ID,
  startTollgateWithSandbox,
  type Harness,
} from "../helpers/start-tollgate-with-sandbox.js";
import { cardFetch, waitFor } from "./approval-harness.js";

// The rep's path end to end: an agent proposes through its own HubSpot app, HubSpot (the
// sandbox) sends a signed webhook to a real Tollgate built by createTollgate, the card lists
// the approval, the rep approves from the card, Tollgate writes the canonical value through the
// HubSpot API, and the provenance and the audit chain show it.

const TENANT = String(PORTAL_ID);
const AUDITOR_KEY = "auditor-key-e2e-0123456789abcdef";
const PROPOSED = "ada.lovelace@northwind.example";

let h: Harness;
beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: { TOLLGATE_API_KEYS: JSON.stringify([{ key: AUDITOR_KEY, role: "auditor", name: "auditor" }]) },
  });
});
afterAll(async () => h?.close());

/** What HubSpot's card proxy sends for a rep (user 42) looking at contact 101. */
const rep = {
  objectId: "101",
  portalId: TENANT,
  userId: "42",
  userEmail: "rep@northwind.example",
  appId: String(TOLLGATE_APP_ID),
};
const card = (path: string, body?: unknown) => cardFetch(h.baseUrl, { path, query: rep, body, publicUrl: h.baseUrl });

describe("approvals end to end (agent app → signed webhook → card → HubSpot API)", () => {
  it("turns an agent's proposal into an approval the card lists, applies it on approval, and shows it in provenance", async () => {
    // The enrichment agent proposes a new email with its provenance, through the HubSpot API with its own app token.
    const write = await fetch(`${h.started.sandbox.url}/crm/v3/objects/contacts/101`, {
      method: "PATCH",
      headers: {
        authorization: `Bearer ${h.started.agentTokens["enrichment-bot"]}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        properties: {
          ai_proposed_email: PROPOSED,
          ai_sdr_confidence_score: "0.7",
          ai_sdr_source: "apollo",
          ai_sdr_change_reason: "work address found on the company site",
          ai_sdr_evidence: JSON.stringify({ sources: ["https://northwind.example/team"] }),
        },
      }),
    });
    expect(write.status).toBe(200);
    await h.settle();

    // The card (a signed GET, object type as HubSpot's context gives it) lists the pending approval.
    const listed = await card("/v1/records/hubspot/0-1/101/approvals");
    expect(listed.status).toBe(200);
    const { approvals } = approvalListSchema.parse(listed.body);
    expect(approvals).toHaveLength(1);
    const approval = approvals[0]!;
    expect(approval).toMatchObject({
      status: "pending",
      field: "email",
      currentValue: "ada@northwind.example",
      proposedValue: PROPOSED,
      confidence: 0.7,
      source: "apollo",
      agentId: "enrichment-bot",
      approvalsNeeded: 1,
    });
    expect(h.started.sandbox.getRecord("contacts", "101")!.properties.email).toBe("ada@northwind.example");

    // Each approver of the rule's group (reps 4201 and RevOps 4301: users 42 and 43) gets a HubSpot task on the record.
    const sandbox = h.started.sandbox;
    const tasks = () => sandbox.associated("contacts", "101", "tasks").map((id) => sandbox.getRecord("tasks", id)!);
    await waitFor(() => tasks().length === 2, 10_000, "a task per approver");
    expect(tasks().map((t) => t.properties.hs_task_status)).toEqual(["NOT_STARTED", "NOT_STARTED"]);
    expect(tasks()[0]!.properties.hs_task_subject).toBe(`Approve AI proposal: email → "${PROPOSED}"`);

    // The app's home page lists it in the rep's inbox, across records (no objectId).
    const { objectId: _record, ...viewer } = rep;
    const inbox = await cardFetch(h.baseUrl, {
      path: "/v1/inbox",
      query: { ...viewer, view: "mine" },
      publicUrl: h.baseUrl,
    });
    expect(inbox.status).toBe(200);
    expect(inbox.body.approvals.map((a: { id: string }) => a.id)).toEqual([approval.id]);

    // The rep approves from the card, bound to the value shown.
    const approved = await card(`/v1/approvals/${approval.id}/approve`, {
      expected: { value: approval.proposedValue },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      outcome: "approved",
      status: "approved",
      approvedBy: [{ id: "hubspot:user:42", name: "rep@northwind.example" }],
    });
    await h.settle();
    await waitFor(
      async () => (await card("/v1/records/hubspot/contacts/101/approvals")).body.approvals[0]?.status === "applied",
      10_000,
      "applied",
    );

    // Decided: the approvers' tasks completed themselves.
    await waitFor(() => tasks().every((t) => t.properties.hs_task_status === "COMPLETED"), 10_000, "tasks completed");

    // HubSpot holds the value, written by Tollgate's own app; the shadow is empty.
    const record = h.started.sandbox.getRecord("contacts", "101")!.properties;
    expect(record.email).toBe(PROPOSED);
    expect(record.ai_proposed_email ?? "").toBe("");
    expect(h.started.sandbox.history("contacts", "101", "email")[0]).toMatchObject({
      value: PROPOSED,
      sourceType: "INTEGRATION",
      sourceId: "7777",
    });

    // Provenance (signed card GET) shows the proposal, the approval and the apply.
    const provenance = await card("/v1/records/hubspot/contacts/101/provenance");
    expect(provenance.status).toBe(200);
    const { changes } = provenancePageSchema.parse(provenance.body);
    const steps = changes.filter((c) => c.field === "email").map((c) => [c.action, c.outcome]);
    expect(steps).toEqual([
      ["apply", "applied"],
      ["approve", "approved"],
      ["proposal", "needs_approval"],
    ]);
    const approveStep = changes.find((c) => c.action === "approve")!;
    // The CRM here labels no property: the card is given the internal name.
    expect(approveStep.fieldLabel).toBe("email");
    expect(approveStep).toMatchObject({
      actor: { type: "human", id: "hubspot:user:42" },
      before: "ada@northwind.example",
      after: PROPOSED,
      approvedBy: ["rep@northwind.example"],
    });
    expect(record.ai_sdr_event_id).toBe(approveStep.eventId);

    // Tollgate's own writes came back as webhooks and were not re-enforced: one approval, no revert.
    const again = await card("/v1/records/hubspot/contacts/101/approvals");
    expect(again.body.approvals).toHaveLength(1);
    expect(changes.some((c) => c.outcome === "deny")).toBe(false);

    const verify = await fetch(`${h.baseUrl}/v1/audit/verify`, { headers: { authorization: `Bearer ${AUDITOR_KEY}` } });
    expect(await verify.json()).toMatchObject({ ok: true, firstBroken: null });
  });

  it("refuses a card request signed with another secret", async () => {
    const res = await cardFetch(h.baseUrl, {
      path: "/v1/records/hubspot/contacts/101/approvals",
      query: rep,
      publicUrl: h.baseUrl,
      secret: "someone-else",
    });
    expect(res.status).toBe(401);
  });
});
