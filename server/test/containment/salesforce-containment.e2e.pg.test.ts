import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainmentReport } from "../../../shared/index.js";
import { startLocalStack, type LocalStack } from "../../sandbox/demo/start-local-stack.js";
import { eventually } from "../killswitch/helpers.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";

const OWNER = "owner-key-containment-e2e-0123456789";
const ORG = "00D5g000004XyZaEAK";

/**
 * Issue 15's "done when", end to end: a real Tollgate on the Salesforce sandbox (CDC in, sObject
 * writes out) under the example Salesforce policy with a low `agent_writes_per_minute` trigger.
 * The runaway enrichment agent writes with its OWN Salesforce session; the trigger trips; the
 * agent's user is frozen within seconds, so Salesforce itself refuses its next write; the
 * report on GET /v1/kill-switches confirms every point; lifting the switch unfreezes the agent.
 */
describe("containment at the source, Salesforce end to end", () => {
  let t: TestDatabase;
  let h: LocalStack;
  let sf: NonNullable<LocalStack["salesforce"]>;

  beforeAll(async () => {
    t = await createTestDatabase({ poolSize: 10 });
    const policyYaml = readFileSync("manifests/policy.salesforce.yaml", "utf8").replace(
      "{ metric: agent_writes_per_minute, above: 100000, scope: agent }",
      "{ metric: agent_writes_per_minute, above: 5, scope: agent }",
    );
    h = await startLocalStack({
      db: t.db,
      prefix: testPrefix("containment-e2e"),
      redisUrl: TEST_REDIS_URL,
      demoData: false,
      salesforce: { policyYaml },
      env: { TOLLGATE_API_KEYS: JSON.stringify([{ key: OWNER, role: "owner", name: "olive", tenantId: ORG }]) },
    });
    sf = h.salesforce!;
  }, 90_000);
  afterAll(async () => {
    await h?.close();
    await t?.drop();
  });

  const api = async (method: "GET" | "PUT", body?: unknown) => {
    const res = await fetch(`${h.baseUrl}/v1/kill-switches`, {
      method,
      headers: { authorization: `Bearer ${OWNER}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  /** A write to the org with someone's own session: Tollgate is not in this path. */
  const writeAs = (token: string, id: string, industry: string) =>
    fetch(`${sf.org.url}/services/data/v62.0/sobjects/Lead/${id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ Industry: industry }),
    });

  it("freezes the runaway agent's user within seconds of the trigger; Salesforce refuses its next writes; lifting unfreezes it", async () => {
    const { enrichment, rep, prospecting } = sf.users;
    const ids = sf.org.seed(
      "Lead",
      Array.from({ length: 40 }, (_, i) => ({ LastName: `Target ${i}`, Company: "Acme", Industry: "Energy" })),
    );
    // The runaway writes as fast as its CDC echo lets Tollgate see it, until the CRM stops it.
    let refusedAt = -1;
    for (const [i, id] of ids.entries()) {
      const res = await writeAs(enrichment.token, id, `Runaway ${i}`);
      if (res.status === 401) {
        refusedAt = i;
        expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe("INVALID_SESSION_ID");
        break;
      }
      expect(res.status).toBe(204);
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(refusedAt).toBeGreaterThan(5);
    expect(sf.org.users.isFrozen(enrichment.id)).toBe(true);

    let report: ContainmentReport | undefined;
    await eventually(async () => {
      const sw = ((await api("GET")).body.switches as any[]).find((s) => s.scope.value === "enrichment-bot");
      report = sw?.containment ?? undefined;
      return report?.status === "contained";
    }, 30_000);
    const switched = ((await api("GET")).body.switches as any[]).find((s) => s.scope.value === "enrichment-bot");
    expect(switched.who.id).toBe("tollgate");
    expect(switched.reason).toContain("agent_writes_per_minute");
    const frozen = report!.points.find((p) => p.point === "crm_users_frozen")!;
    expect(frozen).toMatchObject({ state: "confirmed", count: 1 });
    // Frozen within seconds of the trip.
    expect((Date.parse(frozen.confirmedAt!) - Date.parse(report!.startedAt)) / 1000).toBeLessThan(5);
    expect(report!.points.find((p) => p.point === "keys_refused")!.state).toBe("confirmed");
    expect(report!.points.find((p) => p.point === "crm_tokens_revoked")!.state).toBe("not_applicable");
    expect(report!.secondsToContained).not.toBeNull();

    // A person, Tollgate's own user and an agent outside the switch are never frozen.
    expect(sf.org.users.isFrozen(rep.id)).toBe(false);
    expect(sf.org.users.isFrozen(sf.tollgateUser.id)).toBe(false);
    expect(sf.org.users.isFrozen(prospecting.id)).toBe(false);
    expect((await writeAs(rep.token, ids[0]!, "Set by Rita")).status).toBe(204);

    const lift = await api("PUT", {
      scope: { type: "agent", value: "enrichment-bot" },
      state: "off",
      reason: "runaway fixed",
    });
    expect(lift.status).toBe(200);
    await eventually(() => !sf.org.users.isFrozen(enrichment.id), 10_000);
    expect((await writeAs(enrichment.token, ids[1]!, "Back to work")).status).toBe(204);
  }, 120_000);
});
