import { describe, expect, it } from "vitest";
import {
  createKillSwitchState,
  decide,
  decideUnattributed,
  loadPolicy,
  NO_KILL_SWITCHES,
  REASONS,
  type CountersSnapshot,
  type DecisionAttributes,
  type DecisionInput,
  type KillSwitchState,
} from "../../src/policy/index.js";
import { action, fieldWrite, SATURDAY } from "./helpers.js";

/** A policy with one rule of every kind, so every reason can be produced. */
const policy = loadPolicy(`version: 1
agents:
  - { id: bot, role: all }
  - { id: orphan, role: all }
roles:
  all:
    objects:
      contact:
        read: allow
        fields:
          f0: { tier: 0 }
          f1: { tier: 1 }
          f4: { tier: 4 }
          email: { tier: 3, auto_if: { min_confidence: 0.9 } }
          industry: { tier: 2, auto_if: { sources: [clearbit] } }
      lead:
        actions:
          create_staging: { tier: 2, auto_if: { min_icp_match: 0.8 } }
          change_owner:
            tier: 2
            auto_if: { sla_match: true }
            exceptions: { named_account: deny, regulated_industry: deny, exec_persona: deny, new_segment: deny, new_domain: deny, new_provider: deny }
    actions:
      send_email:
        tier: 3
        auto_if: { segments: [known], templates: [t1] }
        exceptions: { named_account: human, regulated_industry: human, exec_persona: human, new_segment: human, new_domain: human, new_provider: human }
        cap: { per_day: 1 }
      merge: { tier: 3, approvers: 2 }
      book_meeting: { tier: 2 }
windows:
  book_meeting: { days: [mon], tz: tenant }
unattributed: enforce
`);
const hold = loadPolicy(`version: 1
over_cap: hold
agents: [{ id: bot, role: r }]
roles: { r: { caps: { per_day: 1 }, actions: { create_note: { tier: 2 } } } }
`);
const noRole = { ...policy, roles: new Map() };

interface Case {
  key: keyof typeof REASONS;
  reason: string;
  input?: DecisionInput;
  counters?: CountersSnapshot;
  switches?: KillSwitchState;
  policy?: typeof policy;
}

const sendWith = (attributes: DecisionAttributes) =>
  action("bot", "email", "send_email", { attributes: { segment: "known", template: "t1", ...attributes } });
const ownerWith = (attributes: DecisionAttributes) =>
  action("bot", "lead", "change_owner", { attributes: { slaMatch: true, ...attributes } });
const cases: Case[] = [
  { key: "unknownAgent", reason: REASONS.unknownAgent("x"), input: fieldWrite("x", "contact", "email") },
  {
    key: "unknownRole",
    reason: REASONS.unknownRole("all"),
    input: fieldWrite("bot", "contact", "email"),
    policy: noRole,
  },
  {
    key: "objectNotGoverned",
    reason: REASONS.objectNotGoverned("all", "deal"),
    input: fieldWrite("bot", "deal", "amount"),
  },
  {
    key: "fieldNotListed",
    reason: REASONS.fieldNotListed("all", "contact", "zz"),
    input: fieldWrite("bot", "contact", "zz"),
  },
  {
    key: "actionNotListed",
    reason: REASONS.actionNotListed("all", "contact", "delete"),
    input: action("bot", "contact", "delete"),
  },
  {
    key: "missingField",
    reason: REASONS.missingField,
    input: { agentId: "bot", object: "contact", kind: "field_write", at: new Date() },
  },
  {
    key: "missingAction",
    reason: REASONS.missingAction,
    input: { agentId: "bot", object: "contact", kind: "action", at: new Date() },
  },
  { key: "readNotAllowed", reason: REASONS.readNotAllowed("all", "lead"), input: action("bot", "lead", "read") },
  { key: "readAllowed", reason: REASONS.readAllowed("all", "contact"), input: action("bot", "contact", "read") },
  {
    key: "provenance",
    reason: REASONS.provenance("ai_sdr_evidence"),
    input: fieldWrite("bot", "contact", "ai_sdr_evidence"),
  },
  { key: "tier0", reason: REASONS.tier0, input: fieldWrite("bot", "contact", "f0") },
  { key: "tier1", reason: REASONS.tier1, input: fieldWrite("bot", "contact", "f1") },
  { key: "tier2", reason: REASONS.tier2, input: fieldWrite("bot", "contact", "industry", { source: "clearbit" }) },
  { key: "tier3", reason: REASONS.tier3, input: fieldWrite("bot", "contact", "email") },
  { key: "tier4", reason: REASONS.tier4, input: fieldWrite("bot", "contact", "f4") },
  {
    key: "safeMode",
    reason: REASONS.safeMode(new Date("2099-01-01T00:00:00Z")),
    input: fieldWrite("bot", "contact", "industry", {
      source: "clearbit",
      safeModeUntil: new Date("2099-01-01T00:00:00Z"),
    }),
  },
  { key: "autoPassed", reason: REASONS.autoPassed, input: fieldWrite("bot", "contact", "email", { confidence: 0.91 }) },
  { key: "confidenceMissing", reason: REASONS.confidenceMissing(0.9), input: fieldWrite("bot", "contact", "email") },
  {
    key: "confidenceLow",
    reason: REASONS.confidenceLow(0.3, 0.9),
    input: fieldWrite("bot", "contact", "email", { confidence: 0.3 }),
  },
  { key: "sourceMissing", reason: REASONS.sourceMissing, input: fieldWrite("bot", "contact", "industry") },
  {
    key: "sourceNotAllowed",
    reason: REASONS.sourceNotAllowed("gpt"),
    input: fieldWrite("bot", "contact", "industry", { source: "gpt" }),
  },
  { key: "icpMissing", reason: REASONS.icpMissing(0.8), input: action("bot", "lead", "create_staging") },
  {
    key: "icpLow",
    reason: REASONS.icpLow(0.5, 0.8),
    input: action("bot", "lead", "create_staging", { icpMatch: 0.5 }),
  },
  { key: "segmentNotKnownGood", reason: REASONS.segmentNotKnownGood("new"), input: sendWith({ segment: "new" }) },
  {
    key: "segmentNotKnownGood",
    reason: REASONS.segmentNotKnownGood(undefined),
    input: action("bot", "email", "send_email", { attributes: { template: "t1" } }),
  },
  { key: "templateNotApproved", reason: REASONS.templateNotApproved("t9"), input: sendWith({ template: "t9" }) },
  {
    key: "templateNotApproved",
    reason: REASONS.templateNotApproved(undefined),
    input: action("bot", "email", "send_email", { attributes: { segment: "known" } }),
  },
  { key: "slaNotMatched", reason: REASONS.slaNotMatched, input: ownerWith({ slaMatch: false }) },
  { key: "namedAccount", reason: REASONS.namedAccount.deny, input: ownerWith({ namedAccount: true }) },
  { key: "namedAccount", reason: REASONS.namedAccount.human, input: sendWith({ namedAccount: true }) },
  { key: "regulatedIndustry", reason: REASONS.regulatedIndustry.deny, input: ownerWith({ regulatedIndustry: true }) },
  { key: "regulatedIndustry", reason: REASONS.regulatedIndustry.human, input: sendWith({ regulatedIndustry: true }) },
  { key: "execPersona", reason: REASONS.execPersona.deny, input: ownerWith({ execPersona: true }) },
  { key: "execPersona", reason: REASONS.execPersona.human, input: sendWith({ execPersona: true }) },
  { key: "newSegment", reason: REASONS.newSegment.deny, input: ownerWith({ newSegment: true }) },
  { key: "newSegment", reason: REASONS.newSegment.human, input: sendWith({ newSegment: true }) },
  { key: "newDomain", reason: REASONS.newDomain.deny, input: ownerWith({ newDomain: true }) },
  { key: "newDomain", reason: REASONS.newDomain.human, input: sendWith({ newDomain: true }) },
  { key: "newProvider", reason: REASONS.newProvider.deny, input: ownerWith({ newProvider: true }) },
  { key: "newProvider", reason: REASONS.newProvider.human, input: sendWith({ newProvider: true }) },
  { key: "twoPersonRule", reason: REASONS.twoPersonRule, input: action("bot", "account", "merge") },
  {
    key: "killed",
    reason: REASONS.killed("template:t1"),
    input: sendWith({}),
    switches: createKillSwitchState([{ type: "template", value: "t1" }]),
  },
  {
    key: "outsideWindow",
    reason: REASONS.outsideWindow("windows.book_meeting", "mon all day", "UTC"),
    input: action("bot", "contact", "book_meeting", { at: SATURDAY }),
  },
  {
    key: "overCap",
    reason: REASONS.overCap("roles.all.actions.send_email.cap.per_day", 3, 1),
    input: sendWith({}),
    counters: { "rule:roles.all.actions.send_email:day": 3 },
  },
  {
    key: "overCapDeny",
    reason: REASONS.overCapDeny,
    input: sendWith({}),
    counters: { "rule:roles.all.actions.send_email:day": 1 },
  },
  {
    key: "overCapHold",
    reason: REASONS.overCapHold,
    input: action("bot", "note", "create_note"),
    counters: { "role:r:day": 1 },
    policy: hold,
  },
  { key: "unattributedEnforced", reason: REASONS.unattributedEnforced("email") },
];

describe("reasons", () => {
  it.each(cases.map((c) => [c.key, c.reason, c] as const))("%s: %s", (_key, reason, c) => {
    const reasons = c.input
      ? decide(c.policy ?? policy, c.input, c.counters ?? {}, c.switches ?? NO_KILL_SWITCHES).reasons
      : decideUnattributed(policy, { object: "contact", field: "email" })!.reasons;
    expect(reasons).toContain(reason);
  });

  it("every reason builder is exercised above", () => {
    expect(new Set(cases.map((c) => c.key))).toEqual(new Set(Object.keys(REASONS)));
  });

  it("are short single sentences without trailing punctuation", () => {
    for (const c of cases) {
      expect(c.reason.length).toBeLessThan(120);
      expect(c.reason).not.toMatch(/[.\n]$/);
    }
  });
});
