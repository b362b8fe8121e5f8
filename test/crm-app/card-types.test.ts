/**
 * The cards mirror the wire types in their own `lib/types.ts` (HubSpot builds them from their own
 * package.json and cannot import `shared/`). Samples typed by the cards' types must parse with
 * the shared zod schemas unchanged, and the types must equal the schemas' — so drift on either
 * side fails here (the type checks fail `npm run typecheck`, the samples fail `npm test`).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import * as card from "../../crm-app/hubspot/src/app/cards/lib/types.js";
import {
  APPROVAL_OUTCOMES,
  APPROVAL_STATUSES,
  approvalBatchItemSchema,
  approvalBatchResultSchema,
  approvalDecisionResponseSchema,
  approvalListSchema,
  approvalSchema,
  approveBodySchema,
  rejectBodySchema,
  ACTOR_TYPES,
  provenanceChangeSchema,
  provenancePageSchema,
  inboxSchema,
  settingsViewSchema,
  INBOX_VIEWS,
} from "../../shared/index.js";

const fullApproval: card.Approval = {
  id: "ap_1",
  status: "pending",
  objectType: "companies",
  objectId: "901",
  field: "industry",
  fieldLabel: "Industry",
  currentValue: "Banking",
  proposedValue: "Fintech",
  confidence: 0.82,
  source: "clearbit",
  reason: "Website describes a payments platform",
  evidence: { sources: ["https://acme.test/about"], signals: ["payments"] },
  riskFlags: ["exec_persona"],
  approvalsNeeded: 2,
  approvedBy: [{ id: "77", name: "Ann Approver", at: "2025-06-02T10:00:00.000Z" }],
  expiresAt: "2025-06-03T14:30:00.000Z",
  createdAt: "2025-06-01T09:00:00.000Z",
  agentId: "enrichment-bot",
  rejectReason: null,
};

const bareApproval: card.Approval = {
  ...fullApproval,
  currentValue: null,
  proposedValue: null,
  confidence: null,
  source: null,
  reason: null,
  evidence: null,
  riskFlags: [],
  approvedBy: [{ id: "77", name: null, at: "2025-06-02T10:00:00.000Z" }],
  agentId: undefined,
  rejectReason: undefined,
};

describe("the cards' wire types match shared/", () => {
  it("has the same closed sets", () => {
    expect(card.APPROVAL_STATUSES).toEqual(APPROVAL_STATUSES);
    expect(card.APPROVAL_OUTCOMES).toEqual(APPROVAL_OUTCOMES);
    expect(card.ACTOR_TYPES).toEqual(ACTOR_TYPES);
  });

  it.each([
    ["with every field", fullApproval],
    ["with nulls and no optional fields", bareApproval],
  ])("an approval %s parses with approvalSchema, strictly and unchanged", (_name, sample) => {
    const parsed = approvalSchema.strict().parse(sample);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(sample)));
    expect(approvalSchema.strict().parse(JSON.parse(JSON.stringify(sample)))).toEqual(parsed);
  });

  it("every status the card knows is one the schema accepts", () => {
    for (const status of card.APPROVAL_STATUSES)
      expect(approvalSchema.parse({ ...fullApproval, status }).status).toBe(status);
  });

  it("an approval list parses with approvalListSchema", () => {
    const list: card.ApprovalList = { approvals: [fullApproval, bareApproval] };
    expect(approvalListSchema.strict().parse(list).approvals).toHaveLength(2);
  });

  it("the approve and reject bodies the card sends parse with the shared body schemas", () => {
    const approve: card.ApproveBody = { expected: { value: "Fintech" } };
    const approveNull: card.ApproveBody = { expected: { value: null } };
    const reject: card.RejectBody = { reason: "Wrong industry" };
    expect(approveBodySchema.parse(approve)).toEqual(approve);
    expect(approveBodySchema.parse(approveNull)).toEqual(approveNull);
    expect(rejectBodySchema.parse(reject)).toEqual(reject);
  });

  it("a decision answer parses with approvalDecisionResponseSchema", () => {
    const answer: card.ApprovalDecisionResponse = { ...fullApproval, status: "approved", outcome: "approved" };
    expect(approvalDecisionResponseSchema.strict().parse(answer)).toEqual(answer);
  });

  it("the batch items the card sends parse with approvalBatchItemSchema", () => {
    const batch: card.BatchBody = {
      items: [
        { id: "ap_1", decision: "approve", expected: { value: "Fintech" } },
        { id: "ap_2", decision: "reject", expected: { value: null }, reason: "Duplicate" },
      ],
    };
    for (const item of batch.items) expect(approvalBatchItemSchema.parse(item)).toEqual(item);
  });

  it("a batch answer typed by the card parses with approvalBatchResultSchema", () => {
    const answer: card.BatchResponse = {
      results: [
        {
          id: "ap_1",
          ok: true,
          status: "approved",
          outcome: "approved",
          approval: { ...fullApproval, status: "approved" },
        },
        {
          id: "ap_2",
          ok: false,
          status: "pending",
          error: { code: "conflict", message: "changed", details: { reason: "canonical_changed" } },
        },
        { id: "#2", ok: false, status: null, error: { code: "validation_failed", message: "bad item" } },
      ],
    };
    expect(approvalBatchResultSchema.strict().parse(answer)).toEqual(answer);
  });

  it("a provenance page typed by the card parses with provenancePageSchema, strictly and unchanged", () => {
    const change: card.ProvenanceChange = {
      eventId: "evt_1",
      occurredAt: "2025-06-01T09:30:00.000Z",
      action: "apply",
      actor: { type: "system", id: "tollgate", role: null },
      field: "industry",
      fieldLabel: "Industry",
      before: "Banking",
      after: "Fintech",
      outcome: "applied",
      ruleId: "roles.enrichment.objects.company.fields.industry",
      policyVersion: "3f2a9c0d",
      approvedBy: ["Ann Approver", "rep@acme.test"],
      approvalId: "ap_1",
      reason: null,
      confidence: 0.9,
      source: "clearbit",
      evidence: { sources: ["https://acme.test/about"] },
    };
    const page: card.ProvenancePage = {
      changes: [change, { ...change, eventId: "evt_0", field: null, before: null, after: null, approvalId: null }],
      nextCursor: "c2",
    };
    expect(provenancePageSchema.strict().parse(page)).toEqual(page);
    expect(provenanceChangeSchema.strict().parse(change)).toEqual(change);
  });

  it("the types are the schemas' types (checked by tsc)", () => {
    expectTypeOf<card.Approval>().toEqualTypeOf<z.infer<typeof approvalSchema>>();
    expectTypeOf<card.ApprovalList>().toEqualTypeOf<z.infer<typeof approvalListSchema>>();
    expectTypeOf<card.ApproveBody>().toEqualTypeOf<z.infer<typeof approveBodySchema>>();
    expectTypeOf<card.RejectBody>().toEqualTypeOf<z.infer<typeof rejectBodySchema>>();
    expectTypeOf<card.ApprovalDecisionResponse>().toEqualTypeOf<z.infer<typeof approvalDecisionResponseSchema>>();
    expectTypeOf<card.BatchItem>().toEqualTypeOf<z.infer<typeof approvalBatchItemSchema>>();
    expectTypeOf<card.BatchResponse>().toEqualTypeOf<z.infer<typeof approvalBatchResultSchema>>();
    expectTypeOf<card.ProvenanceChange>().toEqualTypeOf<z.infer<typeof provenanceChangeSchema>>();
    expectTypeOf<card.ProvenancePage>().toEqualTypeOf<z.infer<typeof provenancePageSchema>>();
    expectTypeOf<card.Inbox>().toEqualTypeOf<z.infer<typeof inboxSchema>>();
    expectTypeOf<card.SettingsView>().toEqualTypeOf<z.infer<typeof settingsViewSchema>>();
  });

  it("a send approval's message, the inbox and the settings view typed by the cards parse unchanged", () => {
    const send: card.Approval = {
      ...fullApproval,
      field: "send_email",
      action: "send_email",
      message: { to: "ada@acme.test", subject: "Hello", body: "Hi Ada, [redacted]" },
    };
    expect(approvalSchema.strict().parse(send)).toEqual(send);
    const inbox: card.Inbox = { view: "mine", approvals: [send], counts: { mine: 1, team: 1, overdue: 0, all: 1 } };
    expect(inboxSchema.parse(inbox)).toEqual(inbox);
    expect([...card.INBOX_VIEWS]).toEqual([...INBOX_VIEWS]);
    const settings: card.SettingsView = {
      tenantId: "62515",
      you: { role: "revops_admin", mayPullTenant: true, mayPullScoped: true },
      killSwitches: [
        {
          scope: { type: "tenant", value: null },
          state: "on",
          reason: "runaway",
          who: { type: "human", id: "rita@acme.test", role: "revops_admin", via: "hubspot_card" },
          when: "2025-06-02T10:00:00.000Z",
        },
      ],
      scopes: { agents: ["enrich"], roles: ["enrichment"] },
      policy: { version: "v1", updatedAt: null, updatedBy: null, changes: [] },
      reverts: [],
      exceptions: [],
      setup: null,
    };
    expect(settingsViewSchema.parse(settings)).toEqual(settings);
  });
});
