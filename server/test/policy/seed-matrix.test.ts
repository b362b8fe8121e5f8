import { describe, expect, it } from "vitest";
import {
  decide,
  NO_KILL_SWITCHES,
  REASONS,
  type CountersSnapshot,
  type DecisionInput,
  type PolicyDecision,
} from "../../src/policy/index.js";
import { action, fieldWrite, shipped } from "./helpers.js";

/**
 * One test per row of the permissions matrix in docs/policy.md, under the shipped manifests/policy.yaml:
 * the row's plain outcome, the pass and fail variants of its approval rule, its exception, and
 * its limit (a counter at the limit → over_cap).
 */
const policy = shipped();

interface Variant {
  name: string;
  input: DecisionInput;
  counters?: CountersSnapshot;
  expect: Partial<PolicyDecision>;
}

interface Row {
  row: string;
  variants: Variant[];
}

const NY = { prospectTimeZone: "America/New_York" };

const rows: Row[] = [
  {
    row: "1 · Prospecting · Lead · create (staging) · auto if ICP ≥ 0.8 · 500/day · new segments need RevOps",
    variants: [
      {
        name: "ICP 0.85 → auto",
        input: action("prospecting-bot", "lead", "create_staging", { icpMatch: 0.85 }),
        expect: { outcome: "allow", tier: 2, reasons: [REASONS.tier2, REASONS.autoPassed] },
      },
      {
        name: "ICP 0.8 exactly → auto",
        input: action("prospecting-bot", "lead", "create_staging", { icpMatch: 0.8 }),
        expect: { outcome: "allow" },
      },
      {
        name: "ICP 0.6 → human",
        input: action("prospecting-bot", "lead", "create_staging", { icpMatch: 0.6 }),
        expect: {
          outcome: "needs_approval",
          tier: 2,
          approvers: 1,
          reasons: [REASONS.tier2, REASONS.icpLow(0.6, 0.8)],
        },
      },
      {
        name: "no ICP score → human",
        input: action("prospecting-bot", "lead", "create_staging"),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier2, REASONS.icpMissing(0.8)] },
      },
      {
        name: "new segment → RevOps",
        input: action("prospecting-bot", "lead", "create_staging", {
          icpMatch: 0.95,
          attributes: { newSegment: true },
        }),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier2, REASONS.newSegment.human] },
      },
      {
        name: "500 already today → over_cap",
        input: action("prospecting-bot", "lead", "create_staging", { icpMatch: 0.95 }),
        counters: { "rule:roles.prospecting.objects.lead.actions.create_staging:day": 500 },
        expect: {
          outcome: "over_cap",
          ruleId: "roles.prospecting.objects.lead.actions.create_staging.cap.per_day",
          overCap: "deny",
        },
      },
      {
        name: "499 already today → still allowed",
        input: action("prospecting-bot", "lead", "create_staging", { icpMatch: 0.95 }),
        counters: { "rule:roles.prospecting.objects.lead.actions.create_staging:day": 499 },
        expect: { outcome: "allow" },
      },
    ],
  },
  {
    row: "2 · Prospecting · Lead · create (production) · not allowed · human only · 0",
    variants: [
      {
        name: "denied, humans only",
        input: action("prospecting-bot", "lead", "create", { icpMatch: 1 }),
        expect: {
          outcome: "deny",
          tier: 4,
          ruleId: "roles.prospecting.objects.lead.actions.create",
          reasons: [REASONS.tier4],
        },
      },
    ],
  },
  {
    row: "3 · Enrichment · Lead · update firmographics · auto if source allowlisted · 2,000/day · regulated: human",
    variants: [
      {
        name: "clearbit → auto",
        input: fieldWrite("enrichment-bot", "lead", "industry", { source: "clearbit" }),
        expect: { outcome: "allow", tier: 2, ruleId: "roles.enrichment.objects.lead.fields.industry" },
      },
      {
        name: "every firmographic field",
        input: fieldWrite("enrichment-bot", "lead", "numberofemployees", { source: "zoominfo" }),
        expect: { outcome: "allow" },
      },
      {
        name: "HQ country too",
        input: fieldWrite("enrichment-bot", "lead", "country", { source: "apollo" }),
        expect: { outcome: "allow" },
      },
      {
        name: "company firmographics (HubSpot)",
        input: fieldWrite("enrichment-bot", "company", "industry", { source: "clearbit" }),
        expect: { outcome: "allow", ruleId: "roles.enrichment.objects.company.fields.industry" },
      },
      {
        name: "unlisted source → human",
        input: fieldWrite("enrichment-bot", "lead", "industry", { source: "web-scrape" }),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier2, REASONS.sourceNotAllowed("web-scrape")] },
      },
      {
        name: "no source → human",
        input: fieldWrite("enrichment-bot", "lead", "industry"),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier2, REASONS.sourceMissing] },
      },
      {
        name: "regulated account → human",
        input: fieldWrite("enrichment-bot", "lead", "industry", {
          source: "clearbit",
          attributes: { regulatedIndustry: true },
        }),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier2, REASONS.regulatedIndustry.human] },
      },
      {
        name: "2,000 field updates today → over_cap",
        input: fieldWrite("enrichment-bot", "lead", "industry", { source: "clearbit" }),
        counters: { "role:enrichment:day": 2000 },
        expect: {
          outcome: "over_cap",
          ruleId: "roles.enrichment.caps.per_day",
          reasons: [REASONS.overCap("roles.enrichment.caps.per_day", 2000, 2000), REASONS.overCapDeny],
        },
      },
    ],
  },
  {
    row: "4 · Enrichment · Contact · update email/phone · auto if confidence ≥ 0.9 else human · 300/day · exec: human",
    variants: [
      {
        name: "0.95 → auto",
        input: fieldWrite("enrichment-bot", "contact", "email", { confidence: 0.95 }),
        expect: { outcome: "allow", tier: 3, reasons: [REASONS.tier3, REASONS.autoPassed] },
      },
      {
        name: "phone 0.9 → auto",
        input: fieldWrite("enrichment-bot", "contact", "phone", { confidence: 0.9 }),
        expect: { outcome: "allow", tier: 3 },
      },
      {
        name: "0.85 → human",
        input: fieldWrite("enrichment-bot", "contact", "email", { confidence: 0.85 }),
        expect: {
          outcome: "needs_approval",
          tier: 3,
          approvers: 1,
          reasons: [REASONS.tier3, REASONS.confidenceLow(0.85, 0.9)],
        },
      },
      {
        name: "no confidence → human",
        input: fieldWrite("enrichment-bot", "contact", "phone"),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier3, REASONS.confidenceMissing(0.9)] },
      },
      {
        name: "exec persona → human",
        input: fieldWrite("enrichment-bot", "contact", "email", {
          confidence: 0.99,
          attributes: { execPersona: true },
        }),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier3, REASONS.execPersona.human] },
      },
      {
        name: "300 email/phone updates today (shared bucket) → over_cap on phone",
        input: fieldWrite("enrichment-bot", "contact", "phone", { confidence: 0.95 }),
        counters: { "bucket:enrichment.contact_email_phone:day": 300 },
        expect: { outcome: "over_cap", ruleId: "roles.enrichment.objects.contact.fields.phone.cap.per_day" },
      },
    ],
  },
  {
    row: "5 · Outreach · Email · send · auto if policy passes else approval · 200/day, 50/domain/day · new domain 10/day",
    variants: [
      {
        name: "approved template, 10:00 prospect time → auto",
        input: action("outreach-bot", "email", "send_email", {
          ...NY,
          attributes: { template: "intro-v1", domain: "mail.example.com" },
        }),
        expect: { outcome: "allow", tier: 3, ruleId: "roles.outreach.actions.send_email" },
      },
      {
        name: "unapproved template → approval queue",
        input: action("outreach-bot", "email", "send_email", { ...NY, attributes: { template: "pricing-blast" } }),
        expect: {
          outcome: "needs_approval",
          tier: 3,
          approvers: 1,
          reasons: [REASONS.tier3, REASONS.templateNotApproved("pricing-blast")],
        },
      },
      {
        name: "200 sends today → over_cap",
        input: action("outreach-bot", "email", "send_email", { ...NY, attributes: { template: "intro-v1" } }),
        counters: { "rule:roles.outreach.actions.send_email:day": 200 },
        expect: { outcome: "over_cap", ruleId: "roles.outreach.actions.send_email.cap.per_day" },
      },
      {
        name: "50 from this domain today → over_cap",
        input: action("outreach-bot", "email", "send_email", {
          ...NY,
          attributes: { template: "intro-v1", domain: "mail.example.com" },
        }),
        counters: { "domain:mail.example.com:day": 50 },
        expect: { outcome: "over_cap", ruleId: "caps.per_domain_per_day" },
      },
      {
        name: "new domain: 10 today → over_cap",
        input: action("outreach-bot", "email", "send_email", {
          ...NY,
          attributes: { template: "intro-v1", domain: "new.example.com", newDomain: true },
        }),
        counters: { "domain:new.example.com:day": 10 },
        expect: { outcome: "over_cap", ruleId: "caps.per_new_domain_per_day" },
      },
      {
        name: "new domain: 9 today → allowed",
        input: action("outreach-bot", "email", "send_email", {
          ...NY,
          attributes: { template: "intro-v1", domain: "new.example.com", newDomain: true },
        }),
        counters: { "domain:new.example.com:day": 9 },
        expect: { outcome: "allow" },
      },
      {
        name: "07:00 prospect time → outside_window",
        input: action("outreach-bot", "email", "send_email", {
          prospectTimeZone: "America/New_York",
          at: new Date("2025-03-04T12:00:00Z"),
          attributes: { template: "intro-v1" },
        }),
        expect: { outcome: "outside_window", ruleId: "windows.send_email" },
      },
    ],
  },
  {
    row: "6 · Outreach · Task · create follow-up · auto · 500/day",
    variants: [
      {
        name: "auto",
        input: action("outreach-bot", "task", "create_task"),
        expect: { outcome: "allow", tier: 2, reasons: [REASONS.tier2] },
      },
      {
        name: "500 today → over_cap",
        input: action("outreach-bot", "task", "create_task"),
        counters: { "rule:roles.outreach.actions.create_task:day": 500 },
        expect: { outcome: "over_cap" },
      },
    ],
  },
  {
    row: "7 · Routing · Lead · update owner · auto if SLA rules match · 500/day · named accounts locked",
    variants: [
      {
        name: "SLA match → auto",
        input: fieldWrite("routing-bot", "lead", "hubspot_owner_id", { attributes: { slaMatch: true } }),
        expect: { outcome: "allow", tier: 2 },
      },
      {
        name: "through the gate: change_owner",
        input: action("routing-bot", "lead", "change_owner", { attributes: { slaMatch: true } }),
        expect: { outcome: "allow", ruleId: "roles.routing.objects.lead.actions.change_owner" },
      },
      {
        name: "no SLA match → human",
        input: fieldWrite("routing-bot", "lead", "hubspot_owner_id"),
        expect: { outcome: "needs_approval", reasons: [REASONS.tier2, REASONS.slaNotMatched] },
      },
      {
        name: "named account → locked",
        input: fieldWrite("routing-bot", "lead", "hubspot_owner_id", {
          attributes: { slaMatch: true, namedAccount: true },
        }),
        expect: { outcome: "deny", tier: 2, reasons: [REASONS.tier2, REASONS.namedAccount.deny] },
      },
      {
        name: "500 today → over_cap",
        input: fieldWrite("routing-bot", "lead", "hubspot_owner_id", { attributes: { slaMatch: true } }),
        counters: { "bucket:routing.owner_changes:day": 500 },
        expect: { outcome: "over_cap" },
      },
    ],
  },
  {
    row: "8 · Routing · Opportunity · create · not allowed · human only · 0",
    variants: [
      {
        name: "HubSpot deal create",
        input: action("routing-bot", "deal", "create"),
        expect: { outcome: "deny", tier: 4, reasons: [REASONS.tier4] },
      },
      {
        name: "Salesforce opportunity create",
        input: action("routing-bot", "opportunity", "create"),
        expect: { outcome: "deny", tier: 4 },
      },
      {
        name: "create_opportunity verb",
        input: action("routing-bot", "deal", "create_opportunity"),
        expect: { outcome: "deny", tier: 4 },
      },
    ],
  },
  {
    row: "9 · Admin · Account · merge · human + two-person approval · 10/day",
    variants: [
      {
        name: "two approvers",
        input: action("admin-bot", "company", "merge"),
        expect: { outcome: "needs_approval", tier: 3, approvers: 2, reasons: [REASONS.tier3, REASONS.twoPersonRule] },
      },
      {
        name: "Salesforce account",
        input: action("admin-bot", "account", "merge"),
        expect: { outcome: "needs_approval", approvers: 2 },
      },
      {
        name: "10 today → over_cap",
        input: action("admin-bot", "account", "merge"),
        counters: { "bucket:admin.merges:day": 10 },
        expect: { outcome: "over_cap" },
      },
    ],
  },
  {
    row: "10 · Admin · Opportunity · update stage · human only · 50/day",
    variants: [
      {
        name: "always a human, even at full confidence",
        input: fieldWrite("admin-bot", "deal", "dealstage", { confidence: 1 }),
        expect: { outcome: "needs_approval", tier: 3, approvers: 1, reasons: [REASONS.tier3] },
      },
      {
        name: "change_stage verb",
        input: action("admin-bot", "opportunity", "change_stage"),
        expect: { outcome: "needs_approval", tier: 3 },
      },
      {
        name: "50 admin updates today → over_cap",
        input: fieldWrite("admin-bot", "deal", "dealstage"),
        counters: { "role:admin:day": 50 },
        expect: { outcome: "over_cap", ruleId: "roles.admin.caps.per_day" },
      },
      {
        name: "50 stage changes today → over_cap",
        input: action("admin-bot", "deal", "change_stage"),
        counters: { "bucket:admin.stage_changes:day": 50 },
        expect: { outcome: "over_cap" },
      },
    ],
  },
];

describe("seed matrix under manifests/policy.yaml", () => {
  it.each(rows)("row $row", ({ variants }) => {
    for (const v of variants) {
      const d = decide(policy, v.input, v.counters ?? {}, NO_KILL_SWITCHES);
      expect(d, v.name).toMatchObject(v.expect);
      expect(d.policyVersion, v.name).toBe(policy.version);
      if (d.outcome !== "needs_approval") expect(d.approvers, v.name).toBeUndefined();
    }
  });

  it("covers all ten rows of the matrix", () => {
    expect(rows.map((r) => r.row.split(" ")[0])).toEqual(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
  });
});
