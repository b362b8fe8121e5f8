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

/** What a field change's audit event must hold to rebuild it: the webhook path, a direct write the policy allows. */
const FIELD_PARTS: [string, (e: AuditJson) => unknown][] = [
  ["field, value before and after", (e) => e.field_diffs?.[0]?.field && "before" in e.field_diffs[0]],
  ["source data", (e) => e.evidence?.sources && e.source_signal === "apollo"],
  ["confidence", (e) => typeof e.confidence === "number"],
  ["the agent's reason", (e) => e.reason === FIELD_CONTEXT.ai_sdr_change_reason],
  ["prompt, model and agent versions", (e) => e.prompt_version && e.model_version && e.agent_version],
  ["tool call", (e) => e.tool_name],
  ["decision and rule", (e) => e.decision?.outcome === "allow" && e.decision?.rule_id && e.decision?.policy_version],
];
const FIELD_CONTEXT = {
  ai_sdr_source: JSON.stringify({
    source: "apollo",
    model: "gpt-drill-2026-11",
    prompt: "enrich-company@4",
    agent: "enrichment-bot@2.0.1",
    tool: "write_company_field",
  }),
  ai_sdr_confidence_score: "0.88",
  ai_sdr_change_reason: "company description from its website",
  ai_sdr_evidence: JSON.stringify({ sources: ["https://globex.example/about"] }),
};

/**
 * A field change an agent made in the CRM itself (the webhook path), rebuilt from the audit alone:
 * the agent's structured `ai_sdr_source` carries its versions and tool (docs/contracts.md).
 */
async function rebuildFieldChange(ctx: DrillContext): Promise<DrillStep> {
  const description = `Globex makes everything (drill ${Date.now()})`;
  return runStep(
    "Rebuild a field change from the audit alone",
    "enrichment-bot writes company 5002's description in the CRM with its provenance; the auditor reads the audit",
    async () => {
      await ctx.agentWrites("enrichment-bot", "companies", "5002", { ...FIELD_CONTEXT, description });
      await ctx.settle();
      const event = (await auditEvents(ctx, { agentId: "enrichment-bot", objectId: "5002", limit: "50" })).find(
        (e) => (e as AuditJson).field_diffs?.[0]?.after === description,
      ) as AuditJson | undefined;
      if (!event) return { observed: "no audit event for the change", evidence: [], passed: false };
      const missing = FIELD_PARTS.filter(([, get]) => !get(event)).map(([name]) => name);
      return {
        observed: missing.length
          ? `missing: ${missing.join(", ")}`
          : `${event.field_diffs[0].field}: ${JSON.stringify(event.field_diffs[0].before)} → ${JSON.stringify(description)}; ${FIELD_PARTS.map(([n]) => n).join(", ")} present`,
        evidence: [evidenceOf(event as never)],
        passed: missing.length === 0,
      };
    },
  );
}

/**
 * R12 drill 3: one email rebuilt from the audit alone — source data, scores, prompt and model
 * version, tool call, payload, approval — timed, and the chain it sits in verified.
 */
export async function drillAuditReconstruction(ctx: DrillContext): Promise<DrillStep[]> {
  const steps: DrillStep[] = [];
  const request = { ...sendRequest(ctx.crm, `drill3-${Date.now()}@prospect.example`, "intro-v1"), ...CONTEXT };
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
  if (ctx.seedRecords) steps.push(await rebuildFieldChange(ctx));
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
