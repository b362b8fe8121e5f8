import { RUNAWAY_THRESHOLD } from "./drill-policy.js";
import { sendRequest } from "./send-request.js";
import { auditEvents, evidenceOf, runStep } from "./step.js";
import type { DrillContext, DrillStep } from "./types.js";

const AGENT = "runaway-bot";
const WRITES = 40;
const ORIGINAL = "drill: written by a person";

interface Switch {
  scope: { type: string; value: string | null };
  reason: string;
  who: { type: string; id: string; via: string | null };
  when: string;
  eventId: string | null;
}

/**
 * R12 drill 5: start a runaway agent, let the automatic trigger trip, confirm nothing after the
 * trip stays in the CRM and the log shows who stopped it and what was prevented, roll back what
 * came before with one request while the switch is still on (protective writes go on), and resume.
 */
export async function drillKillSwitch(ctx: DrillContext): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  if (!ctx.seedRecords) return drillSwitchAtTheGate(ctx);
  const ids = await ctx.seedRecords(
    "companies",
    Array.from({ length: WRITES }, (_, i) => ({ name: `Runaway target ${i + 1}`, description: ORIGINAL })),
  );
  // The people's values and the runaway's must not share a millisecond: history orders by time.
  await new Promise((r) => setTimeout(r, 50));
  const started = new Date(Date.now() - 1000).toISOString();
  let trip: Switch | undefined;

  steps.push(
    await runStep(
      "Start a runaway agent",
      `${AGENT} rewrites description on ${WRITES} companies as fast as it can`,
      async () => {
        for (const id of ids) await ctx.agentWrites(AGENT, "companies", id, { description: "spam spam spam" });
        await ctx.settle();
        return { observed: `${WRITES} direct writes reached the CRM`, evidence: [], passed: true };
      },
    ),
  );
  steps.push(
    await runStep("The automatic trigger trips", "GET /v1/kill-switches as the owner", async () => {
      const res = await ctx.call("owner", "GET", "/v1/kill-switches");
      trip = ((res.body.switches ?? []) as Switch[]).find((s) => s.scope.type === "agent" && s.scope.value === AGENT);
      return {
        observed: trip
          ? `agent:${AGENT} on since ${trip.when}, by ${trip.who.type} ${trip.who.id}: ${trip.reason}`
          : `no switch on for ${AGENT}`,
        evidence: trip?.eventId
          ? [{ eventId: trip.eventId, action: "kill_switch", outcome: "on", summary: trip.reason }]
          : [],
        passed: trip !== undefined && trip.who.id === "tollgate" && trip.reason.includes("agent_writes_per_minute"),
      };
    }),
  );
  steps.push(
    await runStep(
      "Nothing after the trip stays",
      "read every company back; the audit of the writes after the trip",
      async () => {
        const events = await auditEvents(ctx, { agentId: AGENT, outcome: "killed", limit: "200" });
        const allowed = WRITES - events.length;
        const kept = await countWithin(ctx, ids, "spam spam spam", (n) => n <= allowed);
        return {
          observed: `${events.length} writes after the trip were killed and reverted; ${kept} companies still hold the runaway's value (${allowed} were allowed before the trip, threshold ${RUNAWAY_THRESHOLD}/min)`,
          evidence: events.slice(0, 3).map(evidenceOf),
          passed: events.length > 0 && kept === allowed && allowed <= RUNAWAY_THRESHOLD + 1,
        };
      },
    ),
  );
  steps.push(
    await runStep(
      "Roll back what came before, with one request",
      `POST /v1/rollback {agentId: ${AGENT}, from}`,
      async () => {
        const res = await ctx.call("owner", "POST", "/v1/rollback", { agentId: AGENT, from: started });
        const restored = await countWithin(ctx, ids, ORIGINAL, (n) => n === WRITES);
        return {
          observed: `HTTP ${res.status}: job ${res.body.jobId}, ${res.body.planned?.length ?? 0} planned, ${res.body.conflicts?.length ?? 0} conflicts; ${restored} of ${WRITES} companies hold their value from before`,
          evidence: [],
          passed: (res.status === 200 || res.status === 202) && restored === WRITES,
        };
      },
    ),
  );
  steps.push(
    await runStep("Resume", "PUT /v1/kill-switches off as the owner", async () => {
      const res = await ctx.call("owner", "PUT", "/v1/kill-switches", {
        scope: { type: "agent", value: AGENT },
        state: "off",
        reason: "drill over",
      });
      return {
        observed: `HTTP ${res.status}: prevented while on: ${JSON.stringify(res.body.prevented ?? {})}`,
        evidence: res.body.eventId
          ? [{ eventId: res.body.eventId, action: "kill_switch", outcome: "off", summary: "resumed" }]
          : [],
        passed: res.status === 200,
      };
    }),
  );
  return steps;
}

/**
 * How many companies hold `value`, once `done` says so or after 30 s: reverts and rollbacks are
 * queued CRM writes paced by the CRM's rate limit, so they land over seconds, not at once.
 */
async function countWithin(ctx: DrillContext, ids: string[], value: string, done: (n: number) => boolean) {
  const count = async () =>
    (await Promise.all(ids.map(async (id) => (await ctx.readRecord("companies", id)).description))).filter(
      (v) => v === value,
    ).length;
  let n = await count();
  for (let i = 0; i < 300 && !done(n); i++) {
    await new Promise((r) => setTimeout(r, 100));
    await ctx.settle();
    n = await count();
  }
  return n;
}

/**
 * On a live CRM no agent runs away: the switch is drilled at the gate — an operator stops the
 * outreach agent, its send is refused as `killed` with no permit, and it resumes.
 */
async function drillSwitchAtTheGate(ctx: DrillContext): Promise<DrillStep[]> {
  const scope = { type: "agent", value: "outreach-bot" };
  const steps: DrillStep[] = [];
  steps.push(
    await runStep("Stop the agent", "PUT /v1/kill-switches agent:outreach-bot on, as the owner", async () => {
      const res = await ctx.call("owner", "PUT", "/v1/kill-switches", { scope, state: "on", reason: "drill" });
      return { observed: `HTTP ${res.status}`, evidence: [], passed: res.status === 200 };
    }),
  );
  steps.push(
    await runStep("Its send is refused", "POST /v1/actions as outreach-bot: an approved intro-v1 send", async () => {
      const res = await ctx.call(
        "agent:outreach-bot",
        "POST",
        "/v1/actions",
        sendRequest(ctx.crm, "drill5@prospect.example", "intro-v1"),
      );
      // A stopped agent's key is refused before anything is read (403 agent_killed); a switch of
      // a narrower scope answers with the decision `killed`. Either way, no permit.
      const refused =
        (res.status === 403 && res.body.error?.code === "agent_killed") || res.body.decision?.outcome === "killed";
      return {
        observed: `HTTP ${res.status}: ${res.body.decision?.outcome ?? res.body.error?.code} (${res.body.decision?.ruleId ?? res.body.error?.message}); permit: ${res.body.permit ? "issued" : "none"}`,
        evidence: [],
        passed: refused && !res.body.permit,
      };
    }),
  );
  steps.push(
    await runStep("Resume", "PUT /v1/kill-switches agent:outreach-bot off, as the owner", async () => {
      const res = await ctx.call("owner", "PUT", "/v1/kill-switches", { scope, state: "off", reason: "drill over" });
      return { observed: `HTTP ${res.status}`, evidence: [], passed: res.status === 200 };
    }),
  );
  return steps;
}
