import { afterAll, describe, expect, it } from "vitest";
import { startDrillStack, type DrillStack } from "../../sandbox/demo/start-drill-stack.js";
import {
  drillPolicyYaml,
  renderHtml,
  renderMarkdown,
  runDrills,
  type DrillContext,
  type DrillName,
} from "../../src/drills/index.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";

const opened: { stack: DrillStack; t: TestDatabase }[] = [];
async function start(policyYaml?: string) {
  const t = await createTestDatabase({ poolSize: 10 });
  const stack = await startDrillStack({
    db: t.db,
    prefix: testPrefix("drills"),
    redisUrl: TEST_REDIS_URL,
    ...(policyYaml ? { policyYaml } : {}),
  });
  opened.push({ stack, t });
  return stack;
}
afterAll(async () => {
  for (const { stack, t } of opened) {
    await stack.close();
    await t.drop();
  }
});

const failedSteps = async (ctx: DrillContext, name: DrillName) =>
  (await runDrills(ctx, { names: [name], target: "test" })).drills[0]!;

describe("tollgate drill all", () => {
  it("passes all five drills on a fresh install and writes a report with every step and its proof", async () => {
    const { ctx } = await start();
    const report = await runDrills(ctx, { target: "local HubSpot sandbox" });
    const failed = report.drills.flatMap((d) =>
      d.steps.filter((s) => !s.passed).map((s) => `${d.title}: ${s.title}: ${s.observed}`),
    );
    expect(failed).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.drills.map((d) => d.name)).toEqual([
      "permission-denial",
      "approval-gate",
      "audit-reconstruction",
      "replay",
      "kill-switch",
    ]);
    expect(report.ms).toBeLessThan(60_000);
    const md = renderMarkdown(report);
    const html = renderHtml(report);
    for (const d of report.drills) {
      expect(md).toContain(`## ${d.title}: pass`);
      expect(html).toContain(d.title);
      for (const s of d.steps) for (const e of s.evidence) expect(md).toContain(e.eventId);
    }
    expect(html).not.toContain("<script");
  }, 120_000);
});

describe("each drill fails when its control is switched off", () => {
  it("approval gate: a policy that lets any template ship without a person", async () => {
    const { ctx } = await start(drillPolicyYaml({ sendTier: 2 }));
    const d = await failedSteps(ctx, "approval-gate");
    expect(d.passed).toBe(false);
    expect(d.steps[0]).toMatchObject({ title: "A new template family asks to ship", passed: false });
  }, 60_000);

  it("kill switch: a policy with no automatic trigger", async () => {
    const { ctx } = await start(drillPolicyYaml({ triggers: false }));
    const d = await failedSteps(ctx, "kill-switch");
    expect(d.passed).toBe(false);
    expect(d.steps.find((s) => s.title === "The automatic trigger trips")?.passed).toBe(false);
  }, 60_000);

  it("permission denial: a permission change that never takes effect", async () => {
    const { ctx } = await start();
    // The policy edit is lost on its way: "send" stays granted.
    const lossy: DrillContext = {
      ...ctx,
      call: (as, method, path, body) =>
        ctx.call(as, method, path, method === "PUT" && path === "/v1/policy" ? { yaml: drillPolicyYaml() } : body),
    };
    const d = await failedSteps(lossy, "permission-denial");
    expect(d.passed).toBe(false);
    expect(d.steps.find((s) => s.title === "Try to launch a send")?.passed).toBe(false);
  }, 60_000);

  it("replay: a replay engine that answers every candidate with no change", async () => {
    const { ctx } = await start();
    // The engine reads the traffic but re-decides nothing: whatever the candidate, "unchanged".
    const blind: DrillContext = {
      ...ctx,
      async call(as, method, path, body) {
        const res = await ctx.call(as, method, path, body);
        return path === "/v1/replay" && res.status === 200 ? { ...res, body: { ...res.body, changed: [] } } : res;
      },
    };
    const d = await failedSteps(blind, "replay");
    expect(d.passed).toBe(false);
    expect(d.steps.find((s) => s.title === "Replay under the policy it ran under")?.passed).toBe(true);
    expect(
      d.steps.find((s) => s.title === "Replay under a stricter candidate and explain the difference")?.passed,
    ).toBe(false);
  }, 60_000);

  it("audit reconstruction: an audit record altered behind Tollgate's back", async () => {
    const { ctx, stack } = await start();
    const tampering: DrillContext = {
      ...ctx,
      async call(as, method, path, body) {
        if (path === "/v1/audit/verify") {
          // A superuser bypassing the append-only triggers rewrites the email's model version.
          await stack.tollgate.internals.db.transaction(async (tx) => {
            await tx.query("SET LOCAL session_replication_role = replica");
            await tx.query(
              `UPDATE audit_events SET event = jsonb_set(event, '{model_version}', '"tampered"')
                WHERE id = (SELECT max(id) FROM audit_events WHERE event->>'action' = 'send_email')`,
            );
          });
        }
        return ctx.call(as, method, path, body);
      },
    };
    const d = await failedSteps(tampering, "audit-reconstruction");
    expect(d.passed).toBe(false);
    expect(d.steps.find((s) => s.title === "The record cannot have been altered")?.passed).toBe(false);
  }, 60_000);
});
