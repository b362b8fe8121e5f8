import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toCrmObjectType } from "../../../shared/index.js";
import { listGovernedFields } from "../../src/policy/index.js";
import { startTollgateWithSandbox, TOLLGATE_APP_ID, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const enrichment = { kind: "app", appId: "1000002" } as const;
let h: Harness;

beforeAll(async () => {
  h = await startTollgateWithSandbox({ env: { TOLLGATE_RECONCILE_INTERVAL_S: "0" } });
});
afterAll(async () => h?.close());

const searches = () =>
  Object.entries(h.started.sandbox.stats().calls)
    .filter(([route]) => route.includes("/search"))
    .reduce((n, [, c]) => n + c, 0);

describe("reconciliation sweep (the webhook never arrives)", () => {
  it("reverts an agent write whose webhook was never delivered, once, and a second sweep changes nothing", async () => {
    await h.settle();
    // A lost subscription: HubSpot delivers nothing from here on.
    h.started.sandbox.setWebhookTargetUrl(undefined);
    h.started.sandbox.write("contacts", "101", { lifecyclestage: "customer" }, enrichment);
    expect(await h.tollgate.internals.reconciler.sweep()).toBeGreaterThan(0);
    await h.tollgate.internals.writes.drain(h.tenantId);
    expect(h.started.sandbox.getRecord("contacts", "101")?.properties.lifecyclestage).toBe("lead");
    const [deny] = (
      await h.tollgate.services.audit.query({ tenantId: h.tenantId, objectId: "101", outcome: "deny", limit: 10 })
    ).events;
    expect(deny).toMatchObject({ actor: { id: "enrichment-bot" }, field_diffs: [{ field: "lifecyclestage" }] });

    await h.tollgate.internals.reconciler.sweep();
    await h.tollgate.internals.writes.drain(h.tenantId);
    const ownWrites = h.started.sandbox
      .history("contacts", "101", "lifecyclestage")
      .filter((e) => e.sourceId === String(TOLLGATE_APP_ID));
    expect(ownWrites).toHaveLength(1);
  });

  it("costs one search call per governed object type on a quiet portal", async () => {
    const governedTypes = new Set(
      listGovernedFields(h.tollgate.services.policies.current(h.tenantId).compiled).map((f) =>
        toCrmObjectType("hubspot", f.object),
      ),
    );
    const before = searches();
    await h.tollgate.internals.reconciler.sweep();
    expect(searches() - before).toBe(governedTypes.size);
  });
});
