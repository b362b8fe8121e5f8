import { sendRequest } from "./send-request.js";
import { auditEvents, evidenceOf, runStep } from "./step.js";
import type { DrillContext, DrillStep } from "./types.js";

const FAMILY = "winter-launch-v1";

/**
 * R12 drill 2: a new template family cannot ship unapproved; once a person approves it, the
 * approval is attached to every send that uses it.
 */
export async function drillApprovalGate(ctx: DrillContext): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  const stamp = Date.now();
  const first = sendRequest(ctx.crm, `drill2-${stamp}@prospect.example`, FAMILY);
  let approvalId: string | undefined;
  const eventsOf = async (ids: string[]) =>
    (await auditEvents(ctx, { agentId: "outreach-bot", limit: "50" })).filter((e) => ids.includes(e.event_id));

  steps.push(
    await runStep(
      "A new template family asks to ship",
      `POST /v1/actions as outreach-bot: ${FAMILY}, never approved`,
      async () => {
        const res = await ctx.call("agent:outreach-bot", "POST", "/v1/actions", first);
        approvalId = res.body.approvalId;
        return {
          observed: `${res.body.decision?.outcome} (${(res.body.decision?.reasons ?? []).join("; ")}); approval ${approvalId ?? "none"}; permit: ${res.body.permit ? "issued" : "none"}`,
          evidence: (await eventsOf([res.body.eventId])).map(evidenceOf),
          passed: res.body.decision?.outcome === "needs_approval" && !res.body.permit && approvalId !== undefined,
        };
      },
    ),
  );
  steps.push(
    await runStep("It cannot ship unapproved", "the same send again, without waiting for a person", async () => {
      const res = await ctx.call("agent:outreach-bot", "POST", "/v1/actions", first);
      return {
        observed: `${res.body.decision?.outcome}; waits on approval ${res.body.approvalId ?? "none"}; permit: ${res.body.permit ? "issued" : "none"}`,
        evidence: (await eventsOf([res.body.eventId])).map(evidenceOf),
        passed:
          res.body.decision?.outcome === "needs_approval" && !res.body.permit && res.body.approvalId === approvalId,
      };
    }),
  );
  steps.push(
    await runStep(
      "A person approves the family",
      `POST /v1/approvals/${approvalId ?? "?"}/approve as the approver`,
      async () => {
        const res = await ctx.call("approver", "POST", `/v1/approvals/${approvalId}/approve`, {});
        return {
          observed: `HTTP ${res.status}: ${res.body.status ?? res.body.error?.message}`,
          evidence: [],
          passed: res.status === 200,
        };
      },
    ),
  );
  steps.push(
    await runStep(
      "The approved send goes out with its approval",
      "the send again, carrying the approval id",
      async () => {
        const res = await ctx.call("agent:outreach-bot", "POST", "/v1/actions", { ...first, approvalId });
        const [event] = await eventsOf([res.body.eventId]);
        const attached = (event as { approval?: { id: string } | null } | undefined)?.approval?.id;
        return {
          observed: `${res.body.decision?.outcome}; permit ${res.body.permit ? "issued" : "none"}; audit approval ${attached ?? "none"}`,
          evidence: event ? [evidenceOf(event)] : [],
          passed: res.body.decision?.outcome === "allow" && !!res.body.permit && attached === approvalId,
        };
      },
    ),
  );
  steps.push(
    await runStep(
      "Every later send of the family carries the approval",
      `two more ${FAMILY} sends to new recipients, with no approval id`,
      async () => {
        const later = [];
        for (const n of [1, 2]) {
          const res = await ctx.call(
            "agent:outreach-bot",
            "POST",
            "/v1/actions",
            sendRequest(ctx.crm, `drill2-${stamp}-${n}@prospect.example`, FAMILY),
          );
          later.push(res.body);
        }
        const events = await eventsOf(later.map((b) => b.eventId));
        const attached = events.map((e) => (e as { approval?: { id: string } | null }).approval?.id);
        return {
          observed: later.map((b, i) => `${b.decision?.outcome} with approval ${attached[i] ?? "none"}`).join("; "),
          evidence: events.map(evidenceOf),
          passed:
            later.every((b) => b.decision?.outcome === "allow" && b.permit) &&
            attached.length === 2 &&
            attached.every((id) => id === approvalId),
        };
      },
    ),
  );
  return steps;
}
