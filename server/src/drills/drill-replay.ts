import { drillPolicyYaml } from "./drill-policy.js";
import type { ReplayResponse } from "../../../shared/index.js";
import { runStep } from "./step.js";
import type { DrillTestRecord } from "./drill-crm.js";
import type { DrillContext, DrillStep } from "./types.js";

type ReplayDecision = ReplayResponse["changed"][number]["before"];

const STRICTER = (yaml: string) =>
  yaml.replace("auto_if: { min_confidence: 0.9 }", "auto_if: { min_confidence: 0.99 }");

/**
 * R12 drill 4: record traffic, replay it under the policy it ran under (nothing may change), then
 * under a stricter candidate: exactly the decisions the change explains are listed, with both
 * decisions' reasons, and nothing reaches the CRM or the audit.
 */
export async function drillReplay(ctx: DrillContext): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  // Only this drill's traffic: earlier drills changed the policy, and their decisions would differ.
  const from = new Date().toISOString();
  const to = () => new Date(Date.now() + 1000).toISOString();
  const marker = Date.now();
  const expectedChange = ctx.testRecord?.id ?? "102";
  steps.push(
    ctx.testRecord
      ? await recordTrafficOn(ctx.testRecord, ctx, marker)
      : await runStep(
          "Record traffic",
          "enrichment-bot proposes two contact emails in the CRM: confidence 0.95 and 0.6",
          async () => {
            await ctx.agentWrites("enrichment-bot", ctx.crm.objectType, "102", {
              ai_sdr_confidence_score: "0.95",
              ai_sdr_source: "apollo",
              ai_proposed_email: `grace+${marker}@globex.example`,
            });
            await ctx.agentWrites("enrichment-bot", ctx.crm.objectType, "103", {
              ai_sdr_confidence_score: "0.6",
              ai_sdr_source: "apollo",
              ai_proposed_email: `alan+${marker}@globex.example`,
            });
            await ctx.settle();
            const email = (await ctx.readRecord(ctx.crm.objectType, "102"))[ctx.crm.emailField];
            return {
              observed: `the 0.95 proposal applied (email ${email}); the 0.6 one waits for a person`,
              evidence: [],
              passed: true,
            };
          },
        ),
  );
  const policy = await ctx.call("auditor", "GET", "/v1/policy");
  steps.push(
    await runStep("Replay under the policy it ran under", "POST /v1/replay with the active version", async () => {
      const res = await ctx.call("auditor", "POST", "/v1/replay", { version: policy.body.version, from, to: to() });
      return {
        observed: `HTTP ${res.status}: ${res.body.checked} actions re-decided, ${res.body.changed?.length} changed`,
        evidence: [],
        passed: res.status === 200 && res.body.checked >= 2 && res.body.changed.length === 0,
      };
    }),
  );
  steps.push(
    await runStep(
      "Replay under a stricter candidate and explain the difference",
      "POST /v1/replay with the email auto rule raised from 0.9 to 0.99",
      async () => {
        const auditBefore = await ctx.call("auditor", "GET", "/v1/audit/verify");
        const res = await ctx.call("auditor", "POST", "/v1/replay", {
          policy: STRICTER(drillPolicyYaml({ crm: ctx.crm.crm })),
          from,
          to: to(),
        });
        const auditAfter = await ctx.call("auditor", "GET", "/v1/audit/verify");
        const changed = (res.body.changed ?? []) as {
          objectId: string;
          before: ReplayDecision;
          after: ReplayDecision;
          eventId: string;
        }[];
        const explained = changed.map(
          (c) =>
            `${c.objectId}: ${c.before.outcome} → ${c.after.outcome} because ${c.after.reasons.slice(1).join("; ")}`,
        );
        return {
          observed: `${changed.length} changed: ${explained.join(" | ") || "none"}; audit events ${auditBefore.body.checked} before, ${auditAfter.body.checked} after`,
          evidence: changed.map((c) => ({
            eventId: c.eventId,
            action: "replay",
            outcome: `${c.before.outcome} → ${c.after.outcome}`,
            summary: explained[0] ?? "",
          })),
          passed:
            changed.length === 1 &&
            changed[0]!.objectId === expectedChange &&
            changed[0]!.after.outcome === "needs_approval" &&
            auditBefore.body.checked === auditAfter.body.checked,
        };
      },
    ),
  );
  return steps;
}

/** Live: enrichment-bot asks the gate to set the test contact's email, once above the auto rule's confidence and once below. */
function recordTrafficOn(record: DrillTestRecord, ctx: DrillContext, marker: number): Promise<DrillStep> {
  return runStep(
    "Record traffic",
    `enrichment-bot asks the gate to set the drill's test contact ${record.id}'s ${record.emailField}: confidence 0.95 and 0.6`,
    async () => {
      const ask = (confidence: number, who: string) =>
        ctx.call("agent:enrichment-bot", "POST", "/v1/actions", {
          action: "update_field",
          crm: record.crm,
          object: "contact",
          objectId: record.id,
          field: record.emailField,
          value: `${who}+${marker}@drill.tollgate.invalid`,
          confidence,
          source: "apollo",
          reason: "drill",
        });
      const [high, low] = [await ask(0.95, "high"), await ask(0.6, "low")];
      return {
        observed: `0.95: ${high.body.decision?.outcome}; 0.6: ${low.body.decision?.outcome}`,
        evidence: [],
        passed: high.body.decision?.outcome === "allow" && low.body.decision?.outcome === "needs_approval",
      };
    },
  );
}
