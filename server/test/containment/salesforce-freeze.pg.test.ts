import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent, ContainmentReport } from "../../../shared/index.js";
import { createContainment, type Containment } from "../../src/containment/index.js";
import { createSalesforceConnector } from "../../src/crm/salesforce/index.js";
import { tripTrigger, type KillSwitchService } from "../../src/killswitch/index.js";
import { compilePolicy, parsePolicy } from "../../src/policy/index.js";
import { createSalesforceSandbox, type SalesforceSandbox, type SandboxUser } from "../../sandbox/salesforce/index.js";
import { createKillSwitchHarness, eventually, type KillSwitchHarness } from "../killswitch/helpers.js";

const RUNAWAY = "0055g00000RuNaWAAV";
const OPTED_OUT = "0055g00000QuIeTAAV";
const REP = "0055g00000RePsAAAV";

/**
 * Containment at the source against the local Salesforce sandbox: a switch over an agent freezes
 * the agent's own Salesforce user (`UserLogin.IsFrozen`, through the connector), so the CRM itself
 * refuses its later API writes; lifting unfreezes it. A person and Tollgate's own user are never
 * frozen, whatever the policy says.
 */
describe("kill switches freeze the agent's own Salesforce users", () => {
  let h: KillSwitchHarness;
  let org: SalesforceSandbox;
  let tollgateUser: SandboxUser;
  let service: KillSwitchService;
  let containment: Containment;
  let leadId: string;
  const tokens: Record<string, string> = {};
  const tenantId = "00D5g000004XyZaEAK";

  beforeAll(async () => {
    h = await createKillSwitchHarness("containment-sf");
    org = await createSalesforceSandbox({ orgId: tenantId });
    tollgateUser = org.users.create("Tollgate Integration", "tollgate@acme.example");
    org.users.grantManageUsers(tollgateUser.id);
    for (const [name, id] of [
      ["Runaway Bot", RUNAWAY],
      ["Quiet Bot", OPTED_OUT],
      ["Rita Rep", REP],
    ] as const)
      tokens[id] = org.users.token(org.users.create(name, undefined, id).id);
    tokens[tollgateUser.id] = org.users.token(tollgateUser.id);
    leadId = org.seed("Lead", [{ LastName: "Lovelace", Company: "Analytical", Industry: "Banking" }])[0]!;
    // A careless policy: one agent names a person and Tollgate's own user as "its" users.
    const policy = compilePolicy(
      parsePolicy(`version: 1
tenant: ${tenantId}
agents:
  - { id: runaway-bot, role: enrichment, salesforce: { userIds: ["${RUNAWAY}"] } }
  - { id: quiet-bot, role: enrichment, salesforce: { userIds: ["${OPTED_OUT}"], freezeOnKill: false } }
  - { id: confused-bot, role: other, salesforce: { userIds: ["${REP}", "${tollgateUser.id}"] } }
roles:
  enrichment: { objects: { lead: { read: allow, fields: { Industry: { tier: 2 } } } } }
  other: { objects: { lead: { read: allow } } }
approvers:
  default: { salesforce: { userIds: ["${REP}"] } }
`),
    );
    service = h.service({ roleOf: (_t, agentId) => policy.agents.get(agentId)?.role });
    await service.start();
    const connector = createSalesforceConnector({
      orgId: tenantId,
      instanceUrl: org.url,
      accessToken: tokens[tollgateUser.id]!,
    });
    containment = createContainment({
      db: h.t.db,
      audit: h.audit,
      killSwitches: service,
      policyOf: () => policy,
      connectorFor: async () => connector,
      ownUserIds: () => [tollgateUser.id],
      recheckMs: 50,
    });
    service.onSwitched((change) => void containment.handle(change));
  }, 60_000);
  afterAll(async () => {
    await containment?.close();
    await h?.teardown();
    await org?.close();
  });

  /** The agent writes with its OWN Salesforce session, as it would without Tollgate. */
  const writeAs = (userId: string, industry: string) =>
    fetch(`${org.url}/services/data/v62.0/sobjects/Lead/${leadId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${tokens[userId]}`, "content-type": "application/json" },
      body: JSON.stringify({ Industry: industry }),
    });
  const setSwitch = (scope: { type: "agent" | "tenant" | "role"; value?: string }, state: "on" | "off") =>
    service.set(tenantId, { scope, state, reason: `test ${state}` }, { type: "human", id: "olive", role: "owner" });
  const reportOf = async (eventId: string): Promise<ContainmentReport> => {
    await containment.idle();
    return (await containment.reportsOf(tenantId, [eventId])).get(eventId)!;
  };
  const auditOf = async (action: string): Promise<AuditEvent[]> =>
    (
      await h.t.db.query<{ event: AuditEvent }>(
        "SELECT event FROM audit_events WHERE event->>'action' = $1 ORDER BY seq",
        [action],
      )
    ).rows.map((r) => r.event);

  it("freezes a runaway agent's user within seconds of the trigger; the CRM refuses its later writes; lifting unfreezes it", async () => {
    expect((await writeAs(RUNAWAY, "Runaway 1")).status).toBe(204);
    const tripped = Date.now();
    await tripTrigger(
      { killSwitches: service },
      tenantId,
      { metric: "agent_writes_per_minute", above: 10, scope: "agent" },
      { type: "agent", value: "runaway-bot", key: "agent:runaway-bot" },
      11,
      new Date(),
    );
    await eventually(() => org.users.isFrozen(RUNAWAY), 5_000);
    expect(Date.now() - tripped).toBeLessThan(5_000);

    // Refused by Salesforce itself, not by Tollgate.
    const refused = await writeAs(RUNAWAY, "Runaway 2");
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { errorCode: string }[])[0]!.errorCode).toBe("INVALID_SESSION_ID");
    expect(org.getRecord("Lead", leadId)!["Industry"]).toBe("Runaway 1");

    const sw = (await service.list(tenantId)).find((s) => s.scope.value === "runaway-bot")!;
    const report = await reportOf(sw.eventId!);
    expect(report.status).toBe("contained");
    expect(report.secondsToContained).toBeLessThan(5);
    expect(report.points.map((p) => p.point)).toEqual([
      "crm_users_frozen",
      "queued_work_cancelled",
      "keys_refused",
      "permits_revoked",
      "mcp_sessions_closed",
      "crm_tokens_revoked",
      "direct_writes_reverted",
    ]);
    expect(report.points.find((p) => p.point === "crm_users_frozen")).toMatchObject({ state: "confirmed", count: 1 });
    const [freeze] = await auditOf("crm_user_freeze");
    expect(freeze).toMatchObject({ object_id: RUNAWAY, caused_by: sw.eventId, result: "ok" });
    expect(freeze!.actor).toMatchObject({ type: "system", id: "tollgate", via: "kill_switch" });
    expect(freeze!.reason).toContain("agent_writes_per_minute");
    expect((await auditOf("containment_report")).at(-1)!.caused_by).toBe(sw.eventId);

    const lift = await setSwitch({ type: "agent", value: "runaway-bot" }, "off");
    expect((await reportOf(lift.eventId!)).status).toBe("lifted");
    expect(org.users.isFrozen(RUNAWAY)).toBe(false);
    expect((await writeAs(RUNAWAY, "Runaway 3")).status).toBe(204);
    expect((await auditOf("crm_user_unfreeze")).map((e) => e.object_id)).toEqual([RUNAWAY]);
  });

  it("never freezes a person or Tollgate's own user, and honours an agent's opt-out", async () => {
    const on = await setSwitch({ type: "tenant" }, "on");
    const report = await reportOf(on.eventId!);
    expect(org.users.isFrozen(RUNAWAY)).toBe(true);
    expect(org.users.isFrozen(REP)).toBe(false);
    expect(org.users.isFrozen(tollgateUser.id)).toBe(false);
    expect(org.users.isFrozen(OPTED_OUT)).toBe(false);
    const frozen = report.points.find((p) => p.point === "crm_users_frozen")!;
    expect(frozen.state).toBe("confirmed");
    expect(frozen.detail).toContain(`${REP} is a person`);
    expect(frozen.detail).toContain(`${tollgateUser.id} is Tollgate's own integration user`);
    expect(frozen.detail).toContain("quiet-bot opted out");
    // The person still writes; so does Tollgate (its reverts and rollbacks never stop).
    expect((await writeAs(REP, "Set by Rita")).status).toBe(204);
    expect((await writeAs(tollgateUser.id, "Set by Tollgate")).status).toBe(204);
  });

  it("keeps a user frozen while another switch still covers it, and never unfreezes one an admin froze", async () => {
    // The tenant switch of the test above is on; an agent switch joins it.
    await setSwitch({ type: "agent", value: "runaway-bot" }, "on");
    org.users.freeze(OPTED_OUT); // frozen by an admin, not by Tollgate
    const offAgent = await setSwitch({ type: "agent", value: "runaway-bot" }, "off");
    expect((await reportOf(offAgent.eventId!)).status).toBe("lifted");
    expect(org.users.isFrozen(RUNAWAY)).toBe(true);
    const offTenant = await setSwitch({ type: "tenant" }, "off");
    const lifted = await reportOf(offTenant.eventId!);
    expect(lifted.points.find((p) => p.point === "crm_users_unfrozen")).toMatchObject({ state: "confirmed", count: 1 });
    expect(org.users.isFrozen(RUNAWAY)).toBe(false);
    expect(org.users.isFrozen(OPTED_OUT)).toBe(true);
    org.users.freeze(OPTED_OUT, false);
  });

  it("reports not contained, naming the permission to grant, when Tollgate's user may not freeze users", async () => {
    const weak = org.users.create("Weak Integration", "weak@acme.example");
    const weakConnector = createSalesforceConnector({
      orgId: tenantId,
      instanceUrl: org.url,
      accessToken: org.users.token(weak.id),
    });
    const policy = compilePolicy(
      parsePolicy(`version: 1
tenant: ${tenantId}
agents:
  - { id: runaway-bot, role: enrichment, salesforce: { userIds: ["${RUNAWAY}"] } }
roles:
  enrichment: { objects: { lead: { read: allow } } }
`),
    );
    const weakContainment = createContainment({
      db: h.t.db,
      audit: h.audit,
      killSwitches: service,
      policyOf: () => policy,
      connectorFor: async () => weakConnector,
      ownUserIds: () => [weak.id],
      recheckMs: 20,
      watchMs: 200,
    });
    // Handed straight to this containment (the service's own would freeze with its strong user).
    const on = {
      tenantId,
      scope: { type: "role" as const, value: "enrichment" },
      state: "on" as const,
      reason: "test weak",
      who: { type: "human" as const, id: "olive", role: "owner", via: null },
      when: new Date().toISOString(),
      eventId: "evt-weak-integration-user",
    };
    await weakContainment.handle(on);
    await weakContainment.idle();
    const report = (await weakContainment.reportsOf(tenantId, [on.eventId!])).get(on.eventId!)!;
    expect(report.status).toBe("not_contained");
    const point = report.points.find((p) => p.point === "crm_users_frozen")!;
    expect(point.state).toBe("failed");
    expect(point.detail).toContain("Manage Users");
    await weakContainment.close();
  });
});
