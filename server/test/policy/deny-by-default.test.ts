import { describe, expect, it } from "vitest";
import {
  hubspotShadowName,
  HUBSPOT_PROVENANCE_NAMES,
  SALESFORCE_PROVENANCE_NAMES,
  salesforceShadowName,
} from "../../../shared/index.js";
import {
  DENY_BY_DEFAULT,
  decide,
  listGovernedFields,
  loadPolicy,
  NO_KILL_SWITCHES,
  PROVENANCE_RULE,
  REASONS,
  type DecisionInput,
} from "../../src/policy/index.js";
import { action, fieldWrite, shipped } from "./helpers.js";

const policy = shipped();
const run = (input: DecisionInput) => decide(policy, input, {}, NO_KILL_SWITCHES);

describe("deny by default", () => {
  it("denies an agent the policy does not declare, whatever it asks", () => {
    for (const input of [
      fieldWrite("ghost-bot", "contact", "industry"),
      action("ghost-bot", "task", "create_task"),
      action("ghost-bot", "contact", "read"),
    ]) {
      const d = run(input);
      expect(d).toMatchObject({
        outcome: "deny",
        tier: 0,
        ruleId: DENY_BY_DEFAULT,
        reasons: [REASONS.unknownAgent("ghost-bot")],
      });
    }
  });

  it("denies an object the role has no rules for", () => {
    expect(run(fieldWrite("outreach-bot", "deal", "dealname"))).toMatchObject({
      outcome: "deny",
      tier: 0,
      reasons: [REASONS.objectNotGoverned("outreach", "deal")],
    });
  });

  it("denies a field the role does not list, even on an object it governs", () => {
    expect(run(fieldWrite("enrichment-bot", "contact", "jobtitle"))).toMatchObject({
      outcome: "deny",
      tier: 0,
      ruleId: DENY_BY_DEFAULT,
      reasons: [REASONS.fieldNotListed("enrichment", "contact", "jobtitle")],
    });
    // Another role's permission does not leak: routing may set the lead owner, enrichment may not.
    expect(run(fieldWrite("enrichment-bot", "lead", "hubspot_owner_id")).reasons).toEqual([
      REASONS.fieldNotListed("enrichment", "lead", "hubspot_owner_id"),
    ]);
  });

  it("denies an action neither the object nor the role lists", () => {
    expect(run(action("enrichment-bot", "contact", "send_email"))).toMatchObject({
      outcome: "deny",
      tier: 0,
      reasons: [REASONS.actionNotListed("enrichment", "contact", "send_email")],
    });
    expect(run(action("outreach-bot", "contact", "teleport")).reasons).toEqual([
      REASONS.actionNotListed("outreach", "contact", "teleport"),
    ]);
  });

  it("denies a field write without a field and an action request without an action", () => {
    expect(run({ agentId: "enrichment-bot", object: "contact", kind: "field_write", at: new Date() }).reasons).toEqual([
      REASONS.missingField,
    ]);
    expect(run({ agentId: "enrichment-bot", object: "contact", kind: "action", at: new Date() }).reasons).toEqual([
      REASONS.missingAction,
    ]);
  });

  it("denies an agent whose role the compiled policy lacks", () => {
    const broken = { ...policy, agents: new Map([["orphan-bot", { id: "orphan-bot", role: "vanished" }]]) };
    expect(decide(broken, fieldWrite("orphan-bot", "contact", "email"), {}, NO_KILL_SWITCHES).reasons).toEqual([
      REASONS.unknownRole("vanished"),
    ]);
  });

  it("answers reads from `read: allow`, and denies reads of objects the role does not govern", () => {
    expect(run(action("outreach-bot", "contact", "read"))).toMatchObject({
      outcome: "allow",
      tier: 1,
      ruleId: "roles.outreach.objects.contact.read",
      reasons: [REASONS.readAllowed("outreach", "contact")],
    });
    expect(run(action("outreach-bot", "deal", "read"))).toMatchObject({
      outcome: "deny",
      tier: 0,
      reasons: [REASONS.readNotAllowed("outreach", "deal")],
    });
  });

  it("denies tiers 0, 1 and 4 with the tier's own reason", () => {
    expect(run(fieldWrite("enrichment-bot", "contact", "hs_lead_status"))).toMatchObject({
      outcome: "deny",
      tier: 1,
      reasons: [REASONS.tier1],
    });
    expect(run(fieldWrite("enrichment-bot", "contact", "hs_email_optout"))).toMatchObject({
      outcome: "deny",
      tier: 4,
      reasons: [REASONS.tier4],
    });
    const tier0 = decide(
      withRule("tier: 0"),
      fieldWrite("enrichment-bot", "contact", "industry"),
      {},
      NO_KILL_SWITCHES,
    );
    expect(tier0).toMatchObject({
      outcome: "deny",
      tier: 0,
      ruleId: "roles.enrichment.objects.contact.fields.industry",
      reasons: [REASONS.tier0],
    });
  });
});

describe("provenance fields", () => {
  it("are always writable by declared agents, on any object, with no rule", () => {
    for (const field of [...HUBSPOT_PROVENANCE_NAMES, ...SALESFORCE_PROVENANCE_NAMES]) {
      expect(run(fieldWrite("outreach-bot", "deal", field))).toMatchObject({
        outcome: "allow",
        tier: 2,
        ruleId: PROVENANCE_RULE,
        reasons: [REASONS.provenance(field)],
      });
    }
  });

  it("are not writable by undeclared agents", () => {
    expect(run(fieldWrite("ghost-bot", "contact", "ai_sdr_source")).outcome).toBe("deny");
  });
});

describe("shadow fields", () => {
  const strip = ({ outcome, tier, ruleId, reasons, approvers }: ReturnType<typeof run>) => ({
    outcome,
    tier,
    ruleId,
    reasons,
    approvers,
  });

  it("decide exactly like the canonical field, for every governed field of every role and several inputs", () => {
    let compared = 0;
    for (const { object, field, roles } of listGovernedFields(policy)) {
      for (const role of roles) {
        const agentId = `${role}-bot`;
        for (const extra of [
          {},
          { confidence: 0.95, source: "clearbit" },
          { confidence: 0.2, attributes: { execPersona: true, slaMatch: true } },
        ]) {
          const canonical = strip(run(fieldWrite(agentId, object, field, extra)));
          expect(
            strip(run(fieldWrite(agentId, object, field, { ...extra, viaShadow: true }))),
            `${role} ${object}.${field}`,
          ).toEqual(canonical);
          expect(
            strip(run(fieldWrite(agentId, object, hubspotShadowName(field), extra))),
            `${role} ai_proposed_${field}`,
          ).toEqual(canonical);
          expect(
            strip(run(fieldWrite(agentId, object, salesforceShadowName(field), extra))),
            `${role} sf shadow ${field}`,
          ).toEqual(canonical);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(30);
  });

  it("a shadow write to a tier 4, tier 1 or unlisted field is denied", () => {
    expect(run(fieldWrite("enrichment-bot", "contact", "ai_proposed_hs_email_optout"))).toMatchObject({
      outcome: "deny",
      tier: 4,
    });
    expect(run(fieldWrite("enrichment-bot", "contact", "ai_proposed_hs_lead_status"))).toMatchObject({
      outcome: "deny",
      tier: 1,
    });
    expect(run(fieldWrite("enrichment-bot", "contact", "ai_proposed_jobtitle"))).toMatchObject({
      outcome: "deny",
      tier: 0,
      reasons: [REASONS.fieldNotListed("enrichment", "contact", "jobtitle")],
    });
  });
});

function withRule(rule: string) {
  const text = `version: 1
agents: [{ id: enrichment-bot, role: enrichment }]
roles:
  enrichment:
    objects:
      contact:
        fields:
          industry: { ${rule} }
`;
  return loadPolicy(text);
}
