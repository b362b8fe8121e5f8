import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drillPolicyYaml } from "../../src/drills/index.js";
import { callApi } from "../helpers/call-api.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";

const OWNER = "metrics-owner-key-0123456789abcde";
const SENDER = "metrics-sender-key-0123456789abcd";
const AGENT = "metrics-outreach-key-0123456789ab";
const SCRAPER = "metrics-scrape-token-0123456789ab";
const enrichment = { kind: "app", appId: "1000002" } as const;

let h: Harness;
const call = (method: string, path: string, key: string, body?: unknown) => callApi(h.baseUrl, method, path, key, body);
/** A compliant send of the approved intro-v1 family, as the outreach agent asks the gate. */
const send = (to: string, confidence: number) =>
  call("POST", "/v1/actions", AGENT, {
    action: "send_email",
    crm: "hubspot",
    object: "contact",
    confidence,
    payload: {
      to,
      from: "sdr@metrics.tollgate.example",
      template: "intro-v1",
      subject: "Hello",
      body: "Hello.\n\nUnsubscribe: https://metrics.tollgate.example/u",
    },
  });

/**
 * Every figure from what production writes: sends through the gate, signals from the sending
 * system, a stage write the webhook path reverts, QA reviews through the sampler — no hand-made rows.
 */
beforeAll(async () => {
  h = await startTollgateWithSandbox({
    policyYaml: drillPolicyYaml(),
    env: {
      TOLLGATE_METRICS_TOKEN: SCRAPER,
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: OWNER, role: "owner", name: "olive" },
        { key: SENDER, role: "operator", name: "mailer" },
        { key: AGENT, role: "agent", agentId: "outreach-bot" },
      ]),
    },
  });
  const sent = [
    await send("ada@acme.example", 0.95),
    await send("bob@acme.example", 0.6),
    await send("cy@globex.example", 0.92),
  ];
  for (const s of sent) expect(s.body.decision.outcome).toBe("allow");
  // The same send again inside the dedupe window: refused as a duplicate.
  expect((await send("ada@acme.example", 0.95)).body.riskFlags).toContain("duplicate_send");
  const occurredAt = new Date().toISOString();
  const signals = await call("POST", "/v1/signals", SENDER, {
    signals: [
      { type: "bounce", eventId: sent[1]!.body.eventId, recipient: "bob@acme.example", occurredAt },
      { type: "complaint", eventId: sent[2]!.body.eventId, recipient: "cy@globex.example", occurredAt },
    ],
  });
  expect(signals.status).toBe(200);
  // The enrichment agent moves a lifecycle stage it may only read: reverted by the webhook path.
  h.started.sandbox.write("contacts", "101", { lifecyclestage: "customer" }, enrichment);
  await h.settle();
  // Reviewers judge the sampled sends (restricted actions are always sampled).
  const qa = h.tollgate.services.qa;
  const items = await qa.list(h.tenantId, { agentId: "outreach-bot" });
  const itemOf = (eventId: string) => items.find((i) => i.eventId === eventId)!;
  const reviewer = { type: "human" as const, id: "quinn", role: "approver", via: "api_key" };
  await qa.review(
    h.tenantId,
    itemOf(sent[0]!.body.eventId).id,
    {
      verdict: "pass",
      scorecard: { data_correctness: "pass", dedupe_frequency: "pass" },
    },
    reviewer,
  );
  await qa.review(
    h.tenantId,
    itemOf(sent[1]!.body.eventId).id,
    {
      verdict: "fail",
      scorecard: { dedupe_frequency: "fail" },
    },
    reviewer,
  );
  await qa.review(
    h.tenantId,
    itemOf(sent[2]!.body.eventId).id,
    {
      verdict: "pass",
      scorecard: { message_integrity: 5 },
    },
    reviewer,
  );
}, 120_000);
afterAll(async () => h?.close());

describe("governance metrics from what production writes", () => {
  it("domain concentration counts the recipients' domains the gate recorded", async () => {
    const m = (await call("GET", "/v1/metrics/governance", OWNER)).body;
    expect(m.concentration).toMatchObject({
      by: "domain",
      total: 3,
      top: [
        { key: "acme.example", count: 2 },
        { key: "globex.example", count: 1 },
      ],
    });
  });

  it("QA verdicts, bounce and complaint rates, duplicates, stage integrity and confidence vs outcome", async () => {
    const m = (await call("GET", "/v1/metrics/governance", OWNER)).body;
    expect(m.quality).toEqual({
      qa: { reviewed: 3, passed: 2, failed: 1, passRate: 0.6667 },
      delivery: { sends: 3, bounces: 1, complaints: 1, bounceRatePercent: 33.33, complaintRatePercent: 33.33 },
      duplicates: { created: 1, refused: 1 },
      stageIntegrityViolations: 1,
      confidenceVsQa: [
        { band: "0.5–0.8", reviewed: 1, passed: 0, passRate: 0 },
        { band: "0.9 and above", reviewed: 2, passed: 2, passRate: 1 },
      ],
    });
  });

  it("are Prometheus gauges per tenant on /metrics, behind the metrics token", async () => {
    const denied = await fetch(`${h.baseUrl}/metrics`);
    expect(denied.status).toBe(401);
    const res = await fetch(`${h.baseUrl}/metrics`, { headers: { authorization: `Bearer ${SCRAPER}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    const t = `tenant="${h.tenantId}"`;
    for (const line of [
      `tollgate_governance_qa_reviews{${t},verdict="pass"} 2`,
      `tollgate_governance_qa_reviews{${t},verdict="fail"} 1`,
      `tollgate_governance_qa_pass_ratio{${t}} 0.6667`,
      `tollgate_governance_sends{${t}} 3`,
      `tollgate_governance_bounce_rate_percent{${t}} 33.33`,
      `tollgate_governance_complaint_rate_percent{${t}} 33.33`,
      `tollgate_governance_duplicates_created{${t}} 1`,
      `tollgate_governance_duplicate_sends_refused{${t}} 1`,
      `tollgate_governance_stage_integrity_violations{${t}} 1`,
      `tollgate_governance_confidence_qa_pass_ratio{${t},band="0.5–0.8"} 0`,
      `tollgate_governance_confidence_qa_pass_ratio{${t},band="0.9 and above"} 1`,
      `tollgate_governance_confidence_qa_reviews{${t},band="0.9 and above"} 2`,
      `tollgate_governance_concentration_share{${t},by="domain",key="acme.example"} 0.6667`,
      `tollgate_governance_concentration_share{${t},by="domain",key="globex.example"} 0.3333`,
      `tollgate_governance_top_concentration_share{${t}} 0.6667`,
    ])
      expect(text).toContain(line);
    expect(text).toMatch(new RegExp(`tollgate_governance_concentration_hhi\\{${t}\\} 0\\.55`));
  });
});
