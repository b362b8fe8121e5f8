import { createHash } from "node:crypto";
import { sendRequest } from "./send-request.js";
import { auditEvents, evidenceOf, runStep } from "./step.js";
import type { DrillContext, DrillStep } from "./types.js";

const CONTEXT = {
  modelVersion: "gpt-drill-2026-11",
  promptVersion: "outreach-intro@7",
  promptHash: createHash("sha256").update("drill prompt").digest("hex"),
  agentVersion: "outreach-bot@3.2.0",
  toolName: "send_via_mailer",
  confidence: 0.93,
  source: "apollo",
  sourceRef: "https://apollo.example/people/drill",
  reason: "new VP of sales at a target account",
  evidence: { sources: ["https://apollo.example/people/drill"], scores: { icp: 0.87, intent: 0.71 } },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an audit event as JSON, read by path
type AuditJson = Record<string, any>;

/** What an email's audit event must hold to rebuild it (requirements R5, R12 drill 3). */
const PARTS: [string, (e: AuditJson) => unknown][] = [
  ["source data", (e) => e.evidence?.agent?.sources],
  ["scores", (e) => e.evidence?.agent?.scores && e.confidence],
  ["prompt version and hash", (e) => e.prompt_version && e.prompt_hash],
  ["model version", (e) => e.model_version],
  ["agent version", (e) => e.agent_version],
  ["tool call", (e) => e.tool_name],
  ["payload (the body as sent)", (e) => e.evidence?.payload?.body],
  ["decision and rule", (e) => e.decision?.rule_id && e.decision?.policy_version],
  // A send the policy allows by itself (an approved family) cites its rule; one a person approved cites them.
  [
    "approval (or the rule that made one unnecessary)",
    (e) => e.approval?.id ?? (e.decision?.outcome === "allow" && e.decision.rule_id),
  ],
  ["reason and signal", (e) => e.reason && e.source_signal && e.source_signal_ref],
];

/**
 * R12 drill 3: one email rebuilt from the audit alone — source data, scores, prompt and model
 * version, tool call, payload, approval — timed, and the chain it sits in verified.
 */
export async function drillAuditReconstruction(ctx: DrillContext): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  const request = { ...sendRequest(`drill3-${Date.now()}@prospect.example`, "intro-v1"), ...CONTEXT };
  let eventId: string | undefined;
  steps.push(
    await runStep(
      "The agent sends one email",
      "POST /v1/actions as outreach-bot with its model, prompt, tool and evidence",
      async () => {
        const res = await ctx.call("agent:outreach-bot", "POST", "/v1/actions", request);
        eventId = res.body.eventId;
        return {
          observed: `${res.body.decision?.outcome}; event ${eventId}`,
          evidence: [],
          passed: res.body.decision?.outcome === "allow" && typeof eventId === "string",
        };
      },
    ),
  );
  steps.push(
    await runStep(
      "Rebuild it from the audit alone",
      `GET /v1/audit as the auditor, then event ${eventId ?? "?"}`,
      async () => {
        const event = (await auditEvents(ctx, { agentId: "outreach-bot", limit: "50" })).find(
          (e) => e.event_id === eventId,
        ) as AuditJson | undefined;
        if (!event) return { observed: "the event is not in the audit", evidence: [], passed: false };
        const missing = PARTS.filter(([, get]) => !get(event)).map(([name]) => name);
        const bodyMatches = event.evidence?.payload?.body === request.payload.body;
        return {
          observed: missing.length
            ? `missing: ${missing.join(", ")}`
            : `all of ${PARTS.map(([n]) => n).join(", ")} present; body ${bodyMatches ? "identical to what was sent" : "differs"}`,
          evidence: [evidenceOf(event as never)],
          passed: missing.length === 0 && bodyMatches,
        };
      },
    ),
  );
  steps.push(
    await runStep("The record cannot have been altered", "GET /v1/audit/verify as the auditor", async () => {
      const res = await ctx.call("auditor", "GET", "/v1/audit/verify");
      return {
        observed: `ok: ${res.body.ok}; ${res.body.checked} events checked${res.body.firstBroken ? `; first broken ${res.body.firstBroken.eventId}: ${res.body.firstBroken.reason}` : ""}`,
        evidence: [],
        passed: res.body.ok === true,
      };
    }),
  );
  return steps;
}
