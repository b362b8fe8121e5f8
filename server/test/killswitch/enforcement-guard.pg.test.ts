import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { enforceChanges, type CrmChange, type EnforcementDeps } from "../../src/enforce/index.js";
import {
  createEnforcementGuard,
  createTriggerCounter,
  type KillSwitchAlert,
  type KillSwitchService,
} from "../../src/killswitch/index.js";
import { createCounterStore } from "../../src/limits/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import type { CrmWriteQueue } from "../../src/writes/index.js";
import { createKillSwitchHarness, type KillSwitchHarness } from "./helpers.js";
import { openUnsentWriteQueue, testEnforcementDeps } from "../helpers/enforcement-test-deps.js";

const ENRICHMENT = "1000002";
const OTHER = "1000009";

function policyYaml(o: { triggers?: string; caps?: string; overCap?: "deny" | "hold" } = {}): string {
  return `version: 1
timezone: UTC
over_cap: ${o.overCap ?? "deny"}
agents:
  - { id: enrichment-bot, role: enrichment, hubspot: { appIds: [${ENRICHMENT}] } }
  - { id: other-bot, role: other, hubspot: { appIds: [${OTHER}] } }
roles:
  enrichment:
    objects:
      company:
        read: allow
        fields:
          industry: { tier: 2 }
          domain: { tier: 3 }
          name: { tier: 1 }
${o.caps ? `    caps: ${o.caps}\n` : ""}  other:
    objects:
      company:
        read: allow
        fields:
          industry: { tier: 2 }
kill_switch_triggers: ${o.triggers ?? "[]"}
`;
}

let h: KillSwitchHarness;
let writes: CrmWriteQueue;
let closeWrites: (() => Promise<void>) | undefined;
let killSwitches: KillSwitchService;
let alerts: KillSwitchAlert[];

beforeAll(async () => {
  h = await createKillSwitchHarness("ks-guard");
  killSwitches = h.service();
  ({ writes, close: closeWrites } = await openUnsentWriteQueue({ db: h.t.db, audit: h.audit, prefix: h.prefix }));
});
afterAll(async () => {
  await closeWrites?.();
  await h?.teardown();
});

function depsFor(yaml: string): EnforcementDeps {
  const compiled = loadPolicy(yaml);
  alerts = [];
  const guard = createEnforcementGuard({
    killSwitches,
    counters: createCounterStore({ redis: h.redis, prefix: h.prefix }),
    triggers: createTriggerCounter({ redis: h.redis, prefix: h.prefix }),
    policyOf: () => compiled,
    alert: (a) => alerts.push(a),
  });
  return testEnforcementDeps({
    db: h.t.db,
    audit: h.audit,
    writes,
    policy: compiled,
    readRecords: async () => [],
    now: () => new Date(),
    guard,
  });
}

const newTenant = () => `t${randomBytes(4).toString("hex")}`;
let seq = 0;
function write(tenantId: string, appId: string, objectId: string, property: string, value: string): CrmChange {
  seq++;
  return {
    tenantId,
    crm: "hubspot",
    objectType: "companies",
    policyObject: "company",
    objectId,
    kind: "property_change",
    property,
    value,
    // One millisecond apart, in the order given: enforcement decides in the order things happened.
    occurredAt: new Date(Date.UTC(2026, 2, 2, 10, 0, 0, seq)),
    eventKey: `e${seq}-${randomBytes(3).toString("hex")}`,
    source: { changeSource: "INTEGRATION", sourceId: appId },
  };
}
const industryWrites = (tenantId: string, n: number, appId = ENRICHMENT, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    write(tenantId, appId, String(5000 + from + i), "industry", `Runaway ${from + i}`),
  );

async function decisions(tenantId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await h.audit.query({ tenantId, limit: 1000, ...(cursor ? { cursor } : {}) });
    events.push(...page.events);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return events.filter((e) => e.action === "field_write" || e.action === "proposal").reverse();
}
const outcomes = async (tenantId: string, agent = "enrichment-bot") =>
  (await decisions(tenantId)).filter((e) => e.actor.id === agent).map((e) => e.decision!.outcome);

describe("automatic triggers", () => {
  it("contains a runaway inside one batch: the write that crosses the threshold is itself refused", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ triggers: "[{ metric: agent_writes_per_minute, above: 5, scope: agent }]" }));
    const batch = [...industryWrites(t, 12), ...industryWrites(t, 3, OTHER, 100)];
    const summary = await enforceChanges(deps, t, batch);
    expect(summary.allowed).toBe(5 + 3);
    expect(await outcomes(t)).toEqual([...Array(5).fill("allow"), ...Array(7).fill("killed")]);
    // The other agent is not touched by this agent's switch.
    expect(await outcomes(t, "other-bot")).toEqual(["allow", "allow", "allow"]);
    const [sw] = await killSwitches.list(t);
    expect(sw).toMatchObject({
      scope: { type: "agent", value: "enrichment-bot" },
      who: { type: "system", id: "tollgate" },
      reason: "trigger agent_writes_per_minute above 5",
    });
    expect(alerts).toEqual([
      expect.objectContaining({
        type: "kill_switch.tripped",
        tenantId: t,
        metric: "agent_writes_per_minute",
        above: 5,
        measured: 6,
      }),
    ]);
    const audit = (await h.audit.query({ tenantId: t })).events.find((e) => e.action === "kill_switch");
    expect(audit).toMatchObject({
      actor: { type: "system", id: "tollgate", via: "trigger:agent_writes_per_minute" },
      reason: "trigger agent_writes_per_minute above 5",
    });
    // What the switch prevented is counted for the audit when it is turned off.
    expect(sw!.prevented?.decisions).toBe(7);
  });

  it("counts across batches and keeps refusing after the trip", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ triggers: "[{ metric: agent_writes_per_minute, above: 5, scope: agent }]" }));
    for (let b = 0; b < 4; b++) await enforceChanges(deps, t, industryWrites(t, 3, ENRICHMENT, b * 3));
    expect(await outcomes(t)).toEqual([
      "allow",
      "allow",
      "allow",
      "allow",
      "allow",
      "killed",
      "killed",
      "killed",
      "killed",
      "killed",
      "killed",
      "killed",
    ]);
    expect(alerts).toHaveLength(1);
  });

  it("puts the whole tenant into read-only mode when reverts spike", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ triggers: "[{ metric: reverts_per_minute, above: 2, scope: tenant }]" }));
    // Tier 1 (read-only) writes: each is reverted.
    await enforceChanges(
      deps,
      t,
      [0, 1, 2].map((i) => write(t, ENRICHMENT, String(6000 + i), "name", `Bad ${i}`)),
    );
    expect([...(await killSwitches.active(t)).active]).toEqual(["tenant"]);
    await enforceChanges(deps, t, industryWrites(t, 2, OTHER));
    expect(await outcomes(t, "other-bot")).toEqual(["killed", "killed"]);
  });

  it("stops an agent that writes a tier-3 field directly instead of proposing it", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ triggers: "[{ metric: approval_bypass_attempts, above: 0, scope: agent }]" }));
    await enforceChanges(deps, t, [write(t, ENRICHMENT, "7001", "domain", "evil.example")]);
    expect([...(await killSwitches.active(t)).active]).toEqual(["agent:enrichment-bot"]);
    expect((await killSwitches.list(t))[0]!.reason).toBe("trigger approval_bypass_attempts above 0");
  });

  it("does not count a switch's own refusals as denials (one agent's stop never spreads to the tenant)", async () => {
    const t = newTenant();
    const deps = depsFor(
      policyYaml({
        triggers:
          "[{ metric: agent_writes_per_minute, above: 2, scope: agent }, { metric: denials_per_minute, above: 3, scope: tenant }, { metric: reverts_per_minute, above: 3, scope: tenant }]",
      }),
    );
    await enforceChanges(deps, t, industryWrites(t, 20));
    expect([...(await killSwitches.active(t)).active]).toEqual(["agent:enrichment-bot"]);
  });
});

describe("caps", () => {
  it("allows exactly the cap and reverts the rest as over_cap", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ caps: "{ per_day: 4 }" }));
    await enforceChanges(deps, t, industryWrites(t, 6));
    expect(await outcomes(t)).toEqual(["allow", "allow", "allow", "allow", "over_cap", "over_cap"]);
    const over = (await decisions(t)).find((e) => e.decision?.outcome === "over_cap");
    expect(over?.decision?.rule_id).toBe("roles.enrichment.caps.per_day");
  });

  it("never overshoots when batches race: concurrent batches share the cap exactly", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ caps: "{ per_day: 7 }" }));
    await Promise.all(
      Array.from({ length: 6 }, (_, b) => enforceChanges(deps, t, industryWrites(t, 3, ENRICHMENT, b * 10))),
    );
    const all = await outcomes(t);
    expect(all).toHaveLength(18);
    expect(all.filter((o) => o === "allow")).toHaveLength(7);
    expect(all.filter((o) => o === "over_cap")).toHaveLength(11);
  });

  it("holds proposals over the cap for a person when the policy says hold", async () => {
    const t = newTenant();
    const deps = depsFor(policyYaml({ caps: "{ per_day: 2 }", overCap: "hold" }));
    const proposals = [0, 1, 2, 3].map((i) =>
      write(t, ENRICHMENT, String(8000 + i), "ai_proposed_industry", `Fintech ${i}`),
    );
    const summary = await enforceChanges(deps, t, proposals);
    expect(summary).toMatchObject({ proposalsApplied: 2, approvalsOpened: 2 });
    expect(await outcomes(t)).toEqual(["allow", "allow", "over_cap", "over_cap"]);
  });
});
