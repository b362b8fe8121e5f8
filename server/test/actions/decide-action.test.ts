import { describe, expect, it } from "vitest";
import {
  checkApproval,
  checkSendCompliance,
  decideAction,
  derivePermitSecret,
  signPermit,
  readPermit,
  type ApprovalCheck,
} from "../../src/actions/index.js";
import type { StoredApproval } from "../../src/approvals/index.js";
import { getCounterKeys, loadPolicy, NO_KILL_SWITCHES, type DecisionInput } from "../../src/policy/index.js";

const POLICY = loadPolicy(`
version: 1
over_cap: hold
agents: [{ id: out, role: outreach }]
roles:
  outreach:
    actions:
      send_email: { tier: 3, auto_if: { templates: [intro-v1] }, cap: { per_day: 2 } }
      create_task: { tier: 2 }
      merge: { tier: 3, approvers: 2 }
windows:
  send_email: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "16:00", tz: tenant }
`);
const TUESDAY = new Date("2025-03-04T10:00:00Z");
const SATURDAY = new Date("2025-03-08T10:00:00Z");
const send = (at = TUESDAY, template = "promo"): DecisionInput => ({
  agentId: "out",
  object: "contact",
  kind: "action",
  action: "send_email",
  attributes: { template },
  at,
});

function approval(over: Partial<StoredApproval> = {}): StoredApproval {
  return {
    id: "ap-1",
    tenantId: "t",
    crm: "hubspot",
    status: "approved",
    objectType: "contacts",
    objectId: "1",
    field: "send_email",
    action: "send_email",
    shadowField: null,
    currentValue: null,
    proposedValue: "digest",
    confidence: null,
    source: null,
    reason: null,
    evidence: null,
    riskFlags: [],
    approvalsNeeded: 1,
    approvedBy: [{ id: "api_key:ada", name: "ada", at: TUESDAY.toISOString() }],
    expiresAt: "2025-03-07T10:00:00Z",
    createdAt: TUESDAY.toISOString(),
    updatedAt: TUESDAY.toISOString(),
    agentId: "out",
    agentRole: "outreach",
    ruleId: "roles.outreach.actions.send_email",
    policyVersion: "v",
    proposalEventId: "ev",
    rejectedBy: null,
    rejectReason: null,
    ...over,
  };
}
const approved = (a = approval()): ApprovalCheck => ({
  state: "approved",
  approval: a,
  approvers: a.approvedBy.map((b) => b.name ?? b.id),
});
const target = { agentId: "out", action: "send_email", objectType: "contacts", objectId: "1", digest: "digest" };

describe("decideAction", () => {
  it("lets an approval stand in for the person the policy asks for", () => {
    expect(decideAction(POLICY, send(), {}, NO_KILL_SWITCHES, { compliance: [] }).decision.outcome).toBe(
      "needs_approval",
    );
    const v = decideAction(POLICY, send(), {}, NO_KILL_SWITCHES, { approval: approved(), compliance: [] });
    expect(v.decision.outcome).toBe("allow");
    expect(v.used).toMatchObject({ id: "ap-1", approvers: ["ada"] });
    expect(v.decision.reasons.at(-1)).toBe("approved by ada (approval ap-1)");
  });

  it("never lifts a kill switch or a deny, and refuses a send that fails compliance even when approved", () => {
    expect(
      decideAction(POLICY, send(), {}, { active: new Set(["channel:email"]) }, { approval: approved(), compliance: [] })
        .decision.outcome,
    ).toBe("killed");
    const dnc: DecisionInput = { ...send(), action: "mark_dnc" };
    expect(
      decideAction(POLICY, dnc, {}, NO_KILL_SWITCHES, { approval: approved(), compliance: [] }).decision.outcome,
    ).toBe("deny");
    const v = decideAction(POLICY, send(), {}, NO_KILL_SWITCHES, {
      approval: approved(),
      compliance: [{ flag: "missing_unsubscribe", reason: "no unsubscribe" }],
    });
    expect(v.decision).toMatchObject({ outcome: "deny", ruleId: "compliance:send_email", reasons: ["no unsubscribe"] });
    expect(v.riskFlags).toEqual(["missing_unsubscribe"]);
    expect(v.used).toBeUndefined();
  });

  it("waives a closed window or a held cap only when the approval was asked for under that rule", () => {
    expect(decideAction(POLICY, send(SATURDAY), {}, NO_KILL_SWITCHES, { compliance: [] }).decision.outcome).toBe(
      "outside_window",
    );
    const tierApproval = approved();
    expect(
      decideAction(POLICY, send(SATURDAY), {}, NO_KILL_SWITCHES, { approval: tierApproval, compliance: [] }).decision
        .outcome,
    ).toBe("outside_window");
    const windowApproval = approved(approval({ ruleId: "windows.send_email" }));
    const v = decideAction(POLICY, send(SATURDAY), {}, NO_KILL_SWITCHES, { approval: windowApproval, compliance: [] });
    expect(v).toMatchObject({ decision: { outcome: "allow" }, waived: ["windows.send_email"], capWaived: false });

    const [cap] = getCounterKeys(POLICY, send());
    const full = { [cap!.key]: 2 };
    expect(
      decideAction(POLICY, send(), full, NO_KILL_SWITCHES, { approval: approved(), compliance: [] }).decision.outcome,
    ).toBe("over_cap");
    const capped = decideAction(POLICY, send(), full, NO_KILL_SWITCHES, {
      approval: approved(approval({ ruleId: cap!.ruleId })),
      compliance: [],
    });
    expect(capped).toMatchObject({ decision: { outcome: "allow" }, waived: [cap!.ruleId], capWaived: true });
  });

  it("keeps the two-person rule: one approver is not enough when two are needed", () => {
    const merge: DecisionInput = { agentId: "out", object: "company", kind: "action", action: "merge", at: TUESDAY };
    const one = approved(approval({ action: "merge", field: "merge", ruleId: "roles.outreach.actions.merge" }));
    expect(decideAction(POLICY, merge, {}, NO_KILL_SWITCHES, { approval: one, compliance: [] }).decision.outcome).toBe(
      "needs_approval",
    );
    const two = approved(
      approval({
        action: "merge",
        approvalsNeeded: 2,
        approvedBy: [
          { id: "a", name: "ada", at: "x" },
          { id: "b", name: "bob", at: "y" },
        ],
      }),
    );
    expect(decideAction(POLICY, merge, {}, NO_KILL_SWITCHES, { approval: two, compliance: [] }).decision.outcome).toBe(
      "allow",
    );
  });
});

describe("checkApproval", () => {
  it("binds an approval to its agent, verb, record and content, once", () => {
    expect(checkApproval("ap-1", approval(), target, TUESDAY).state).toBe("approved");
    expect(checkApproval("ap-1", undefined, target, TUESDAY)).toMatchObject({
      state: "unusable",
      flag: "approval_mismatch",
    });
    expect(checkApproval("ap-1", approval({ agentId: "other" }), target, TUESDAY)).toMatchObject({
      flag: "approval_mismatch",
    });
    expect(checkApproval("ap-1", approval(), { ...target, objectId: "2" }, TUESDAY)).toMatchObject({
      flag: "approval_mismatch",
    });
    expect(checkApproval("ap-1", approval(), { ...target, digest: "other" }, TUESDAY)).toMatchObject({
      flag: "approval_mismatch",
    });
    expect(checkApproval("ap-1", approval({ status: "applied" }), target, TUESDAY)).toMatchObject({
      flag: "approval_not_usable",
      reason: "approval ap-1 was already used",
    });
    expect(
      checkApproval("ap-1", approval({ status: "rejected", rejectReason: "off-brand" }), target, TUESDAY),
    ).toMatchObject({ reason: "approval ap-1 is rejected: off-brand" });
    expect(checkApproval("ap-1", approval({ status: "pending" }), target, TUESDAY).state).toBe("pending");
    expect(checkApproval("ap-1", approval(), target, new Date("2025-03-08T00:00:00Z"))).toMatchObject({
      flag: "approval_not_usable",
    });
  });
});

describe("checkSendCompliance", () => {
  const ok = {
    to: "a@x.example.org",
    from: "s@mail.acme.com",
    domain: "acme.com",
    body: "Hello — Unsubscribe: https://acme.com/u",
  };
  it("passes a compliant send and names every failure of a bad one", () => {
    expect(checkSendCompliance(ok)).toEqual([]);
    expect(checkSendCompliance({ ...ok, body: "Reply STOP to opt out" })).toEqual([]);
    const flags = checkSendCompliance(
      { ...ok, body: "Buy now", from: "ceo@evil.example", requirePostalAddress: true, optedOut: true },
      { duplicateOf: "ev-1" },
    ).map((f) => f.flag);
    expect(flags).toEqual([
      "missing_unsubscribe",
      "deceptive_sender",
      "missing_postal_address",
      "recipient_opted_out",
      "duplicate_send",
    ]);
  });

  it("accepts a postal address in the body, and fails closed when opt-out is unknown", () => {
    expect(
      checkSendCompliance({
        ...ok,
        requirePostalAddress: true,
        body: `${ok.body} — Acme, 100 Main Street, Springfield`,
      }),
    ).toEqual([]);
    expect(
      checkSendCompliance({
        ...ok,
        requirePostalAddress: true,
        postalAddress: "Acme GmbH, Hauptstr. 5, Berlin",
        body: `${ok.body} Acme GmbH, Hauptstr. 5,  Berlin`,
      }),
    ).toEqual([]);
    expect(checkSendCompliance({ ...ok, fromName: "Support <help@bank.example>" }).map((f) => f.flag)).toEqual([
      "deceptive_sender",
    ]);
    expect(checkSendCompliance(ok, { optedOut: "unknown" }).map((f) => f.flag)).toEqual(["optout_unknown"]);
  });
});

describe("permits", () => {
  it("reads only genuine permits: a forged claim or another key is refused", () => {
    const secret = Buffer.alloc(32, 1);
    const claims = {
      permitId: "p-1",
      digest: "d".repeat(64),
      tenantId: "t",
      agentId: "out",
      action: "send_email",
      objectType: null,
      objectId: null,
      eventId: "ev",
      expiresAt: "2025-03-04T10:05:00.000Z",
    };
    const token = signPermit(secret, claims);
    expect(readPermit(secret, token)).toEqual(claims);
    const [body, sig] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...claims, action: "merge" })).toString("base64url");
    expect(readPermit(secret, `${forged}.${sig}`)).toBeUndefined();
    expect(readPermit(Buffer.alloc(32, 2), `${body}.${sig}`)).toBeUndefined();
    expect(readPermit(secret, `${body}.${sig}.x`)).toBeUndefined();
  });

  it("derives the signing key from the encryption key, one per purpose", () => {
    const key = Buffer.alloc(32, 9);
    const secret = derivePermitSecret(key);
    expect(secret).toHaveLength(32);
    expect(Buffer.from(derivePermitSecret(key)).equals(Buffer.from(secret))).toBe(true);
    expect(Buffer.from(secret).equals(key)).toBe(false);
  });
});
