import { describe, expect, it } from "vitest";
import type { StoredApproval, Approver } from "../../src/approvals/index.js";
import { buildInbox } from "../../src/approvals/list-inbox.js";
import type { CrmUser } from "../../src/crm/index.js";
import { approverGroupOf, cardRoleOf, loadPolicy, whyNotApprover } from "../../src/policy/index.js";

const policy = loadPolicy(`version: 1
agents:
  - { id: enrich, role: enrichment, hubspot: { appIds: [111] } }
roles:
  enrichment:
    objects:
      contact:
        fields:
          jobtitle: { tier: 3 }
          lifecyclestage: { tier: 3, approver_group: revops }
approvers:
  default: { hubspot: { teamIds: [4201, 4301] } }
  revops: { hubspot: { teamIds: [4301] } }
  revops_admin: { hubspot: { userIds: [7] } }
  owner: { hubspot: { superAdmins: true } }
`);

const NOW = new Date("2026-03-02T12:00:00Z");
const user = (id: string, teamIds: string[], superAdmin = false): CrmUser => ({
  crm: "hubspot",
  id,
  email: `u${id}@acme.test`,
  roleIds: [],
  teamIds,
  superAdmin,
  permissionSets: [],
});
const card = (u: CrmUser): Approver => ({
  id: `hubspot:user:${u.id}`,
  name: u.email!,
  email: u.email,
  via: "hubspot_card",
  crmUser: u,
});
const approval = (id: string, field: string, o: Partial<StoredApproval> = {}): StoredApproval =>
  ({
    id,
    tenantId: "t",
    crm: "hubspot",
    status: "pending",
    objectType: "contacts",
    objectId: `10${id}`,
    field,
    currentValue: null,
    proposedValue: "x",
    confidence: null,
    source: null,
    reason: null,
    evidence: null,
    riskFlags: [],
    approvalsNeeded: 1,
    approvedBy: [],
    createdAt: "2026-03-02T11:00:00Z",
    expiresAt: "2026-03-03T11:00:00Z",
    updatedAt: "2026-03-02T11:00:00Z",
    agentId: "enrich",
    agentRole: "enrichment",
    ruleId: `roles.enrichment.objects.contact.fields.${field}`,
    policyVersion: "v1",
    proposalEventId: null,
    rejectedBy: null,
    shadowField: null,
    ...o,
  }) as StoredApproval;

// The same rule the approval service decides with (the runtime wires it exactly so).
const whyNot = (a: StoredApproval, who: Approver) =>
  whyNotApprover(policy.manifest, approverGroupOf(policy.manifest, a.ruleId), who.crmUser);

describe("the approval inbox", () => {
  const pending = [
    approval("1", "jobtitle"),
    approval("2", "lifecyclestage"),
    // Created 20 h ago, expires in 4 h: past half its time — overdue.
    approval("3", "jobtitle", { createdAt: "2026-03-01T16:00:00Z", expiresAt: "2026-03-02T16:00:00Z" }),
    approval("4", "jobtitle", { status: "approved" }),
    approval("5", "jobtitle", { expiresAt: "2026-03-02T11:59:00Z" }),
  ];

  it("mine: what my approver group lets me decide and I have not approved yet; soonest first", () => {
    const rep = card(user("42", ["4201"]));
    const inbox = buildInbox(pending, rep, { view: "mine" }, whyNot, NOW);
    expect(inbox.approvals.map((a) => a.id)).toEqual(["3", "1"]);
    expect(inbox.counts).toEqual({ mine: 2, team: 2, overdue: 1, all: 3 });

    const approvedByRep = pending.map((a) =>
      a.id === "1" ? { ...a, approvedBy: [{ id: rep.id, name: rep.name, at: "2026-03-02T11:30:00Z" }] } : a,
    );
    expect(buildInbox(approvedByRep, rep, { view: "mine" }, whyNot, NOW).approvals.map((a) => a.id)).toEqual(["3"]);
  });

  it("team: what the approver group admits through my teams; overdue and filters", () => {
    const revops = card(user("43", ["4301"]));
    expect(buildInbox(pending, revops, { view: "team" }, whyNot, NOW).approvals.map((a) => a.id)).toEqual([
      "3",
      "1",
      "2",
    ]);
    expect(buildInbox(pending, revops, { view: "overdue" }, whyNot, NOW).approvals.map((a) => a.id)).toEqual(["3"]);
    const filtered = buildInbox(pending, revops, { view: "all", field: "lifecyclestage" }, whyNot, NOW);
    expect(filtered.approvals.map((a) => a.id)).toEqual(["2"]);
    expect(filtered.counts.all).toBe(1);
  });

  it("an agent's key never sees its own proposals as its to decide", () => {
    const agent: Approver = { id: "api_key:enrich", name: "enrich", via: "api_key", agentId: "enrich" };
    expect(buildInbox(pending, agent, { view: "mine" }, whyNot, NOW).approvals).toEqual([]);
  });

  it("a card user's role comes from the policy's role groups; nobody else is more than an approver", () => {
    expect(cardRoleOf(policy.manifest, user("7", []))).toBe("revops_admin");
    expect(cardRoleOf(policy.manifest, user("8", [], true))).toBe("owner");
    expect(cardRoleOf(policy.manifest, user("9", ["4301"]))).toBe("approver");
    expect(cardRoleOf(policy.manifest, undefined)).toBe("approver");
  });
});
