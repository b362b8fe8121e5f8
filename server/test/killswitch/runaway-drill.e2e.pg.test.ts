import { describe, expect, it } from "vitest";
import { formatRunawayReport, runRunawayDrill } from "../../sandbox/drills/drill-runaway.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../helpers/test-database.js";

// The whole loop against the HubSpot sandbox: signed webhooks → enforcement with the guard →
// the write queue with `hold` → HubSpot API; then one rollback request.
describe("kill-switch drill (sandbox)", () => {
  it("contains a runaway: trips on the write that crosses the threshold, reverts everything after, cancels the agent's queued writes, rolls back the rest", async () => {
    const r = await runRunawayDrill({
      writes: 400,
      threshold: 30,
      databaseUrl: TEST_DATABASE_URL,
      redisUrl: TEST_REDIS_URL,
    });
    expect(r.trip).toMatchObject({
      scope: { type: "agent", value: "enrichment-bot" },
      who: { type: "system" },
      reason: "trigger agent_writes_per_minute above 30",
    });
    expect(r.allowedBeforeTrip).toBe(30);
    expect(r.trippedAtWrite).toBe(31);
    expect(r.killedAfterTrip).toBe(370);
    expect(r.restoredAfterTrip).toBe(370);
    expect(r.notRestoredAfterTrip).toBe(0);
    // The provenance stamps of the 30 allowed writes were queued when the switch tripped: cancelled, never sent.
    expect(r.agentWritesSentAfterTrip).toBe(0);
    expect(r.cancelledWrites).toBe(30);
    expect(r.preventedDecisions).toBe(370);
    expect(r.rollbackPlanned).toBe(30);
    expect(r.rollbackRestored).toBe(30);
    // Only batch calls reached the CRM after the baseline: reverts and the rollback, 100 per call, and
    // batch reads of what the agent stated beside its writes (read before the guard trips: its
    // confidence and source can lift an `auto_if` write), about one per webhook batch of up to 100
    // changes, so ≤ 5 for 400 writes — no history reads, no per-record reads.
    expect(Object.keys(r.crmCalls.byRoute).sort()).toEqual([
      "POST /crm/v3/objects/:type/batch/read",
      "POST /crm/v3/objects/:type/batch/update",
    ]);
    expect(r.crmCalls.byRoute["POST /crm/v3/objects/:type/batch/update"]).toBeLessThanOrEqual(8);
    expect(r.crmCalls.byRoute["POST /crm/v3/objects/:type/batch/read"]).toBeLessThanOrEqual(5);
    expect(r.crmCalls.rateLimited).toBe(0);
    // The trip's containment report: every point confirmed or not applicable (with the reason).
    expect(r.containment?.status).toBe("contained");
    const points = Object.fromEntries(r.containment!.points.map((p) => [p.point, p]));
    expect(points["queued_work_cancelled"]).toMatchObject({ state: "confirmed", count: 30 });
    expect(points["direct_writes_reverted"]).toMatchObject({ state: "confirmed", count: 370 });
    expect(points["crm_users_frozen"]!.state).toBe("not_applicable");
    expect(points["crm_tokens_revoked"]!.detail).toContain("not installed through Tollgate");
    expect(r.containment!.secondsToContained).toBeGreaterThanOrEqual(0);
    // What `tollgate drill kill-switch` prints: the status with the seconds to contained, then every point.
    const printed = formatRunawayReport(r);
    expect(printed).toContainEqual(
      expect.stringMatching(/^containment: CONTAINED \d+\.\d\d s from trip to contained$/),
    );
    for (const p of r.containment!.points)
      expect(printed).toContainEqual(expect.stringContaining(`  ${p.point.padEnd(24)} ${p.state}`));
  }, 120_000);
});
