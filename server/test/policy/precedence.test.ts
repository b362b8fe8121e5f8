import { describe, expect, it } from "vitest";
import {
  createKillSwitchState,
  decide,
  getCounterKeys,
  killSwitchKey,
  loadPolicy,
  NO_KILL_SWITCHES,
  REASONS,
  type DecisionInput,
} from "../../src/policy/index.js";
import { action, fieldWrite, SATURDAY, shipped, shippedText } from "./helpers.js";

const policy = shipped();
const NY = "America/New_York";
const send = (extra: Partial<DecisionInput> = {}) =>
  action("outreach-bot", "email", "send_email", {
    prospectTimeZone: NY,
    accountId: "acct-1",
    attributes: { template: "intro-v1", domain: "mail.example.com" },
    ...extra,
  });
const switches = (...keys: Parameters<typeof killSwitchKey>[]) =>
  createKillSwitchState(keys.map(([type, value]) => ({ type, ...(value === undefined ? {} : { value }) })));
const FULL = { "rule:roles.outreach.actions.send_email:day": 200 };

describe("kill switches", () => {
  it("each scope stops what it covers, with the switch as rule and reason", () => {
    const cases: [Parameters<typeof killSwitchKey>, DecisionInput][] = [
      [["tenant"], fieldWrite("enrichment-bot", "contact", "email", { confidence: 1 })],
      [["channel", "email"], send()],
      [["agent", "outreach-bot"], send()],
      [["role", "enrichment"], fieldWrite("enrichment-bot", "lead", "industry", { source: "clearbit" })],
      [["segment", "smb-eu"], send({ attributes: { template: "intro-v1", segment: "smb-eu" } })],
      [["domain", "mail.example.com"], send()],
      [["template", "intro-v1"], send()],
      [["provider", "clearbit"], fieldWrite("enrichment-bot", "lead", "industry", { source: "clearbit" })],
      [
        ["provider", "zoominfo"],
        fieldWrite("enrichment-bot", "lead", "industry", { source: "clearbit", attributes: { provider: "zoominfo" } }),
      ],
    ];
    for (const [key, input] of cases) {
      const k = killSwitchKey(...key);
      const d = decide(policy, input, {}, switches(key));
      expect(d, k).toMatchObject({ outcome: "killed", ruleId: `kill_switch:${k}`, reasons: [REASONS.killed(k)] });
    }
  });

  it("a channel switch stops sends and keeps research and CRM work going", () => {
    const s = switches(["channel", "email"]);
    expect(decide(policy, send(), {}, s).outcome).toBe("killed");
    expect(decide(policy, action("outreach-bot", "task", "create_task"), {}, s).outcome).toBe("allow");
    expect(
      decide(policy, fieldWrite("enrichment-bot", "lead", "industry", { source: "clearbit" }), {}, s).outcome,
    ).toBe("allow");
  });

  it("switches for other agents, roles or domains change nothing", () => {
    const s = switches(
      ["agent", "enrichment-bot"],
      ["role", "routing"],
      ["domain", "other.example.com"],
      ["template", "follow-up-v1"],
    );
    expect(decide(policy, send(), {}, s).outcome).toBe("allow");
  });

  it("leave reads alone: a killed agent is read-only", () => {
    const s = switches(["tenant"]);
    expect(decide(policy, action("outreach-bot", "contact", "read"), {}, s).outcome).toBe("allow");
  });

  it("also stop provenance writes and undeclared agents", () => {
    const s = switches(["tenant"]);
    expect(decide(policy, fieldWrite("outreach-bot", "contact", "ai_sdr_source"), {}, s).outcome).toBe("killed");
    expect(decide(policy, fieldWrite("ghost", "contact", "email"), {}, s).outcome).toBe("killed");
  });
});

describe("precedence: killed > deny > outside_window > over_cap > needs_approval > allow", () => {
  it("killed beats a tier deny, keeping the rule's tier", () => {
    const d = decide(policy, action("prospecting-bot", "lead", "create"), {}, switches(["tenant"]));
    expect(d).toMatchObject({ outcome: "killed", tier: 4 });
  });

  it("a deny (tier or exception) beats a closed window and a full cap", () => {
    const amount = decide(
      policy,
      fieldWrite("admin-bot", "deal", "amount", { at: SATURDAY }),
      { "role:admin:day": 50 },
      NO_KILL_SWITCHES,
    );
    expect(amount).toMatchObject({ outcome: "deny", tier: 4 });
    const named = fieldWrite("routing-bot", "lead", "hubspot_owner_id", {
      at: SATURDAY,
      attributes: { slaMatch: true, namedAccount: true },
    });
    expect(decide(policy, named, { "role:routing:day": 500 }, NO_KILL_SWITCHES).reasons).toEqual([
      REASONS.tier2,
      REASONS.namedAccount.deny,
    ]);
  });

  it("outside_window beats over_cap", () => {
    expect(decide(policy, send({ at: SATURDAY }), FULL, NO_KILL_SWITCHES).outcome).toBe("outside_window");
  });

  it("over_cap beats needs_approval: nobody is asked to approve what the cap would stop", () => {
    const unapproved = send({ attributes: { template: "new-family" } });
    expect(decide(policy, unapproved, {}, NO_KILL_SWITCHES).outcome).toBe("needs_approval");
    expect(decide(policy, unapproved, FULL, NO_KILL_SWITCHES).outcome).toBe("over_cap");
  });

  it("over_cap: hold is reported as such", () => {
    const held = loadPolicy(shippedText().replace("over_cap: deny", "over_cap: hold"));
    const d = decide(held, send(), FULL, NO_KILL_SWITCHES);
    expect(d).toMatchObject({
      outcome: "over_cap",
      overCap: "hold",
      reasons: [REASONS.overCap("roles.outreach.actions.send_email.cap.per_day", 200, 200), REASONS.overCapHold],
    });
  });
});

describe("time windows", () => {
  const label = "mon–fri 09:00–16:00";
  it("use the prospect's zone: the same instant is open in New York and closed in Tokyo", () => {
    expect(decide(policy, send(), {}, NO_KILL_SWITCHES).outcome).toBe("allow");
    const tokyo = decide(policy, send({ prospectTimeZone: "Asia/Tokyo" }), {}, NO_KILL_SWITCHES);
    expect(tokyo).toMatchObject({
      outcome: "outside_window",
      ruleId: "windows.send_email",
      reasons: [REASONS.outsideWindow("windows.send_email", label, "Asia/Tokyo")],
    });
  });

  it("fall back to the tenant's zone without a prospect zone, or with an unknown one", () => {
    const at = new Date("2025-03-04T16:30:00Z"); // 16:30 UTC, 11:30 New York
    expect(decide(policy, send({ at }), {}, NO_KILL_SWITCHES).outcome).toBe("allow");
    const { prospectTimeZone: _, ...noZone } = send({ at });
    expect(decide(policy, noZone, {}, NO_KILL_SWITCHES).reasons).toEqual([
      REASONS.outsideWindow("windows.send_email", label, "UTC"),
    ]);
    expect(decide(policy, send({ at, prospectTimeZone: "Not/AZone" }), {}, NO_KILL_SWITCHES).reasons).toEqual([
      REASONS.outsideWindow("windows.send_email", label, "UTC"),
    ]);
  });

  it("open at `from`, closed at `to`, and follow daylight saving time", () => {
    const outcome = (iso: string) => decide(policy, send({ at: new Date(iso) }), {}, NO_KILL_SWITCHES).outcome;
    expect(outcome("2025-03-04T14:00:00Z")).toBe("allow"); // 09:00 EST
    expect(outcome("2025-03-04T13:59:00Z")).toBe("outside_window"); // 08:59
    expect(outcome("2025-03-04T20:59:00Z")).toBe("allow"); // 15:59
    expect(outcome("2025-03-04T21:00:00Z")).toBe("outside_window"); // 16:00
    expect(outcome("2025-07-01T13:00:00Z")).toBe("allow"); // 09:00 EDT
    expect(outcome("2025-07-01T12:59:00Z")).toBe("outside_window"); // 08:59 EDT
    expect(outcome("2025-03-07T20:30:00Z")).toBe("allow"); // Friday 15:30
    expect(outcome("2025-03-08T15:00:00Z")).toBe("outside_window"); // Saturday
  });

  it("a role's own window covers everything the role does", () => {
    const d = decide(
      policy,
      fieldWrite("routing-bot", "lead", "hubspot_owner_id", { at: SATURDAY, attributes: { slaMatch: true } }),
      {},
      NO_KILL_SWITCHES,
    );
    expect(d).toMatchObject({
      outcome: "outside_window",
      ruleId: "roles.routing.window",
      reasons: [REASONS.outsideWindow("roles.routing.window", "mon–fri all day", "UTC")],
    });
  });

  it("an overnight window wraps midnight", () => {
    const p = loadPolicy(`version: 1
timezone: Europe/Paris
agents: [{ id: ops-bot, role: ops }]
roles:
  ops:
    window: { from: "22:00", to: "06:00" }
    actions: { create_note: { tier: 2 } }
`);
    const at = (iso: string) =>
      decide(p, action("ops-bot", "note", "create_note", { at: new Date(iso) }), {}, NO_KILL_SWITCHES).outcome;
    expect(at("2025-01-15T21:30:00Z")).toBe("allow"); // 22:30 Paris
    expect(at("2025-01-16T04:59:00Z")).toBe("allow"); // 05:59
    expect(at("2025-01-16T05:00:00Z")).toBe("outside_window"); // 06:00
    expect(at("2025-01-15T12:00:00Z")).toBe("outside_window"); // 13:00
  });
});

describe("caps", () => {
  it("name their counters for the limits store", () => {
    expect(getCounterKeys(policy, send())).toEqual([
      {
        key: "rule:roles.outreach.actions.send_email:day",
        window: "day",
        limit: 200,
        ruleId: "roles.outreach.actions.send_email.cap.per_day",
      },
      { key: "domain:mail.example.com:day", window: "day", limit: 50, ruleId: "caps.per_domain_per_day" },
      { key: "account:acct-1:day", window: "day", limit: 5, ruleId: "caps.per_account_per_day" },
    ]);
    expect(
      getCounterKeys(policy, fieldWrite("enrichment-bot", "contact", "email", { recordId: "c-9" })).map((k) => k.key),
    ).toEqual(["role:enrichment:day", "role:enrichment:day:record:c-9", "bucket:enrichment.contact_email_phone:day"]);
    expect(getCounterKeys(policy, fieldWrite("enrichment-bot", "contact", "ai_sdr_source"))).toEqual([]);
    expect(getCounterKeys(policy, action("enrichment-bot", "contact", "read"))).toEqual([]);
    expect(getCounterKeys(policy, fieldWrite("nobody", "contact", "email"))).toEqual([]);
  });

  it("count per record and per account", () => {
    const write = fieldWrite("enrichment-bot", "contact", "email", { confidence: 0.95, recordId: "c-9" });
    expect(decide(policy, write, { "role:enrichment:day:record:c-9": 4 }, NO_KILL_SWITCHES).outcome).toBe("allow");
    expect(decide(policy, write, { "role:enrichment:day:record:c-9": 5 }, NO_KILL_SWITCHES)).toMatchObject({
      outcome: "over_cap",
      ruleId: "roles.enrichment.caps.per_record_per_day",
    });
    expect(decide(policy, write, { "role:enrichment:day:record:other": 5 }, NO_KILL_SWITCHES).outcome).toBe("allow");
    expect(decide(policy, send(), { "account:acct-1:day": 5 }, NO_KILL_SWITCHES)).toMatchObject({
      outcome: "over_cap",
      ruleId: "caps.per_account_per_day",
    });
  });

  it("count per hour and meetings per account per week", () => {
    const p = loadPolicy(`version: 1
agents: [{ id: sdr, role: sdr }]
roles:
  sdr:
    caps: { per_hour: 3 }
    actions: { book_meeting: { tier: 2 } }
caps: { meetings_per_account_per_week: 1 }
`);
    const meet = action("sdr", "contact", "book_meeting", { accountId: "a1" });
    expect(getCounterKeys(p, meet).map((k) => [k.key, k.window])).toEqual([
      ["role:sdr:hour", "hour"],
      ["account:a1:meetings:week", "week"],
    ]);
    expect(decide(p, meet, { "role:sdr:hour": 3 }, NO_KILL_SWITCHES)).toMatchObject({
      outcome: "over_cap",
      ruleId: "roles.sdr.caps.per_hour",
    });
    expect(decide(p, meet, { "account:a1:meetings:week": 1 }, NO_KILL_SWITCHES)).toMatchObject({
      outcome: "over_cap",
      ruleId: "caps.meetings_per_account_per_week",
    });
    expect(decide(p, meet, { "role:sdr:hour": 2 }, NO_KILL_SWITCHES).outcome).toBe("allow");
  });
});
