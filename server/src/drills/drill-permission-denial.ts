import { drillPolicyYaml } from "./drill-policy.js";
import { sendRequest } from "./send-request.js";
import { auditEvents, evidenceOf, runStep } from "./step.js";
import type { DrillContext, DrillStep } from "./types.js";

/**
 * R12 drill 1: remove "send" from the outreach role, try to launch a send → denied, logged,
 * alerted (an exception opened for a person). The policy is put back at the end.
 */
export async function drillPermissionDenial(ctx: DrillContext): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  let eventId: string | undefined;
  steps.push(
    await runStep(
      "Remove send from the outreach role",
      "PUT /v1/policy as the owner: the outreach role without send_email",
      async () => {
        const res = await ctx.call("owner", "PUT", "/v1/policy", {
          yaml: drillPolicyYaml({ crm: ctx.crm.crm, withoutSend: true }),
        });
        const change = (await auditEvents(ctx, { limit: "20" })).find((e) => e.action === "policy_change");
        return {
          observed: `HTTP ${res.status}; policy ${String(res.body.version ?? "").slice(0, 12)}: ${res.body.diffSummary ?? res.body.error?.message}`,
          evidence: change ? [evidenceOf(change)] : [],
          passed: res.status === 200 && change !== undefined,
        };
      },
    ),
  );
  steps.push(
    await runStep(
      "Try to launch a send",
      "POST /v1/actions as outreach-bot: send_email of the approved intro-v1 template",
      async () => {
        const res = await ctx.call(
          "agent:outreach-bot",
          "POST",
          "/v1/actions",
          sendRequest(ctx.crm, "drill1@prospect.example", "intro-v1"),
        );
        eventId = res.body.eventId ?? undefined;
        const d = res.body.decision ?? {};
        const events = await auditEvents(ctx, { agentId: "outreach-bot", limit: "20" });
        const event = events.find((e) => e.event_id === eventId);
        return {
          observed: `HTTP ${res.status}: ${d.outcome} under ${d.ruleId} (${(d.reasons ?? []).join("; ")}); permit: ${res.body.permit ? "issued" : "none"}`,
          evidence: event ? [evidenceOf(event)] : [],
          passed: d.outcome === "deny" && !res.body.permit && event?.decision?.outcome === "deny",
        };
      },
    ),
  );
  steps.push(
    await runStep("Alerted: a person has it", "GET /v1/exceptions as the owner", async () => {
      const res = await ctx.call("owner", "GET", "/v1/exceptions?limit=50");
      const open = ((res.body.exceptions ?? []) as { eventId: string | null }[]).find(
        (x) => eventId !== undefined && x.eventId === eventId,
      ) as { id: string; kind: string; state: string; reviewDueAt: string } | undefined;
      return {
        observed: open
          ? `exception ${open.id} (${open.kind}, ${open.state}), review due ${open.reviewDueAt}`
          : `no exception for event ${eventId ?? "(none)"} (HTTP ${res.status})`,
        evidence: [],
        passed: open !== undefined,
      };
    }),
  );
  steps.push(
    await runStep("Put the policy back", "PUT /v1/policy as the owner: the drill policy with send", async () => {
      const res = await ctx.call("owner", "PUT", "/v1/policy", { yaml: drillPolicyYaml({ crm: ctx.crm.crm }) });
      return { observed: `HTTP ${res.status}`, evidence: [], passed: res.status === 200 };
    }),
  );
  return steps;
}
