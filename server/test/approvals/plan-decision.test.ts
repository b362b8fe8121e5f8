import { describe, expect, it } from "vitest";
import { isSamePerson, planDecision, type StoredApproval } from "../../src/approvals/index.js";

const NOW = new Date("2026-03-02T10:00:00.000Z");

function approval(over: Partial<StoredApproval> = {}): StoredApproval {
  return {
    id: "ap-1",
    tenantId: "62515",
    crm: "hubspot",
    status: "pending",
    objectType: "contacts",
    objectId: "101",
    field: "email",
    shadowField: "ai_proposed_email",
    currentValue: "old@example.com",
    proposedValue: "new@example.com",
    confidence: 0.7,
    source: "apollo",
    reason: "r",
    evidence: null,
    riskFlags: [],
    approvalsNeeded: 1,
    approvedBy: [],
    expiresAt: "2026-03-02T11:00:00.000Z",
    createdAt: "2026-03-02T09:00:00.000Z",
    updatedAt: "2026-03-02T09:00:00.000Z",
    agentId: "enrichment-bot",
    agentRole: "enrichment",
    ruleId: "rule",
    policyVersion: "v",
    proposalEventId: "ev-0",
    rejectedBy: null,
    rejectReason: null,
    ...over,
  };
}

const ada = { id: "hubspot:user:1", name: "ada@example.com", via: "hubspot_card" };
const approve = (expected?: string | null) => ({
  id: "ap-1",
  decision: "approve" as const,
  ...(expected === undefined ? {} : { expected: { value: expected } }),
});

describe("planDecision", () => {
  it("approves when every check holds, and needs a second person under the two-person rule", () => {
    expect(planDecision(approval(), approve("new@example.com"), ada, { state: "same" }, NOW)).toMatchObject({
      kind: "approve",
      reached: true,
      result: { ok: true, status: "approved" },
    });
    expect(planDecision(approval({ approvalsNeeded: 2 }), approve(), ada, { state: "same" }, NOW)).toMatchObject({
      kind: "approve",
      reached: false,
      result: { status: "pending", outcome: "partially_approved" },
    });
  });

  it("checks in order: found, proposer, already approved, pending, expired, value seen, current value", () => {
    const code = (p: ReturnType<typeof planDecision>) => p.result.error?.code ?? p.kind;
    expect(code(planDecision(undefined, approve(), ada, { state: "same" }, NOW))).toBe("not_found");
    expect(code(planDecision(approval(), approve(), { ...ada, objectId: "999" }, { state: "same" }, NOW))).toBe(
      "not_found",
    );
    expect(
      code(
        planDecision(
          approval({ status: "approved" }),
          approve(),
          { id: "x", name: "enrichment-bot", via: "api_key" },
          { state: "same" },
          NOW,
        ),
      ),
    ).toBe("self_approval");
    expect(
      code(
        planDecision(
          approval({ status: "applied", approvedBy: [{ id: ada.id, name: ada.name, at: "t" }] }),
          approve(),
          ada,
          { state: "same" },
          NOW,
        ),
      ),
    ).toBe("unchanged");
    expect(code(planDecision(approval({ status: "rejected" }), approve(), ada, { state: "same" }, NOW))).toBe(
      "approval_not_pending",
    );
    // Expired wins over a stale card: the approval is dead either way, and must be closed.
    expect(
      code(
        planDecision(
          approval({ expiresAt: NOW.toISOString() }),
          approve("other"),
          ada,
          { state: "changed", value: "x", by: "h" },
          NOW,
        ),
      ),
    ).toBe("approval_expired");
    expect(code(planDecision(approval(), approve("other"), ada, { state: "changed", value: "x", by: "h" }, NOW))).toBe(
      "conflict",
    );
    expect(planDecision(approval(), approve("other"), ada, { state: "changed", value: "x", by: "h" }, NOW).kind).toBe(
      "refuse",
    );
    expect(planDecision(approval(), approve(), ada, { state: "changed", value: "x", by: "h" }, NOW)).toMatchObject({
      kind: "conflict",
      result: { status: "conflict", error: { details: { reason: "canonical_changed" } } },
    });
    expect(code(planDecision(approval(), approve(), ada, { state: "unavailable", error: "timeout" }, NOW))).toBe(
      "crm_unavailable",
    );
    // Nothing known: the write queue's guard checks at send time.
    expect(planDecision(approval(), approve(), ada, { state: "unknown" }, NOW).kind).toBe("approve");
  });

  it("treats null and empty as the same value, as HubSpot does", () => {
    expect(planDecision(approval({ proposedValue: "" }), approve(null), ada, { state: "same" }, NOW).kind).toBe(
      "approve",
    );
  });

  it("refuses any agent, the agent named by a key, and the rep the evidence names", () => {
    expect(
      planDecision(approval(), approve(), { ...ada, agentId: "other-bot" }, { state: "same" }, NOW).result.error?.code,
    ).toBe("self_approval");
    expect(
      planDecision(
        approval(),
        approve(),
        { id: "agent:enrichment-bot", name: "x", via: "api_key" },
        { state: "same" },
        NOW,
      ).result.error?.code,
    ).toBe("self_approval");
    expect(
      planDecision(approval({ evidence: { onBehalfOf: "ADA@example.com" } }), approve(), ada, { state: "same" }, NOW)
        .result.error?.code,
    ).toBe("self_approval");
    expect(
      planDecision(approval({ evidence: { onBehalfOf: "someone@else.com" } }), approve(), ada, { state: "same" }, NOW)
        .kind,
    ).toBe("approve");
  });

  it("rejects only with a reason; rejecting again by the same person is unchanged", () => {
    expect(
      planDecision(approval(), { id: "ap-1", decision: "reject", reason: " " }, ada, { state: "unknown" }, NOW).result
        .error?.code,
    ).toBe("validation_failed");
    expect(
      planDecision(approval(), { id: "ap-1", decision: "reject", reason: "no" }, ada, { state: "unknown" }, NOW),
    ).toMatchObject({ kind: "reject", reason: "no" });
    expect(
      planDecision(
        approval({ status: "rejected", rejectedBy: ada.name }),
        { id: "ap-1", decision: "reject", reason: "no" },
        ada,
        { state: "unknown" },
        NOW,
      ).kind,
    ).toBe("unchanged");
  });
});

describe("isSamePerson", () => {
  it("matches on the stable id or, case-insensitively, the name", () => {
    expect(isSamePerson({ id: "a", name: "Ada@Example.com" }, { id: "b", name: "ada@example.com" })).toBe(true);
    expect(isSamePerson({ id: "a", name: null }, { id: "a", name: "x" })).toBe(true);
    expect(isSamePerson({ id: "a", name: null }, { id: "b", name: null })).toBe(false);
  });
});
