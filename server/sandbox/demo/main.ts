import type { AuditEvent, ContainmentReport } from "../../../shared/index.js";
import { bold, dim, green, heading, red, say, short, table, yellow } from "./narrate.js";
import { randomBytes } from "node:crypto";
import { LOCAL_PORTAL_ID, startLocalStack, type LocalStack } from "./start-local-stack.js";
import { runMcpAgentScene } from "./mcp-agent-scene.js";
import { ensureRedis, RedisNotAvailableError } from "./ensure-redis.js";
import { RedisVersionError } from "../../src/redis/index.js";
import { runSalesforceScenes } from "./salesforce-scenes.js";
import { runAppPagesScenes } from "./app-pages-scene.js";

/**
 * `npm run demo`: Tollgate against a local HubSpot-compatible sandbox, with simulated agents
 * making good and bad writes. No CRM account needed. Redis answers on REDIS_URL, or a local
 * redis-server is started for the demo when one is installed.
 */
const TENANT = String(LOCAL_PORTAL_ID);
const run = randomBytes(4).toString("hex");
/** The app's client secret: HubSpot signs webhooks and card requests with it. */
const CLIENT_SECRET = randomBytes(16).toString("hex");
/** The people of the demo, each with an API key of their role. */
const KEYS = {
  owner: `demo-owner-${run}-key`,
  revops: `demo-revops-${run}-key`,
  approver: `demo-approver-${run}-key`,
  auditor: `demo-auditor-${run}-key`,
  /** enrichment-bot's key for the MCP agent scene. */
  mcpAgent: `demo-mcp-agent-${run}-key`,
};

const enrichment = { kind: "app", appId: "1000002" } as const;
const outreach = { kind: "app", appId: "1000003" } as const;
const rep = { kind: "user", userId: "42" } as const;

async function main(): Promise<void> {
  console.log(
    bold("Tollgate demo") + dim(" — a HubSpot-compatible sandbox, a real Tollgate backend, simulated agents"),
  );
  const redis = await ensureRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  if (redis.child) say(dim("Redis was not running: started a local redis-server for the demo (stopped at the end)."));
  const stack = await startLocalStack({
    // The demo runs on an in-memory PGlite, or in a fresh schema of DATABASE_URL, so every run starts clean.
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    clientSecret: CLIENT_SECRET,
    // A Salesforce org beside the portal (the sandbox, under manifests/policy.salesforce.yaml).
    salesforce: {},
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: KEYS.owner, role: "owner", name: "Olivia (owner)" },
        { key: KEYS.revops, role: "revops_admin", name: "Rita (RevOps)" },
        { key: KEYS.approver, role: "approver", name: "Sam (sales rep)" },
        { key: KEYS.auditor, role: "auditor", name: "Aud (auditor)" },
        { key: KEYS.mcpAgent, role: "agent", agentId: "enrichment-bot", tenantId: TENANT },
      ]),
    },
  });
  try {
    await runScenes(stack);
  } finally {
    await stack.close();
    await redis.stop();
  }
}

async function runScenes(s: LocalStack): Promise<void> {
  const { sandbox } = s.started;
  const contact = (id: string) => sandbox.getRecord("contacts", id)!.properties;

  heading(1, "Install");
  say(`Tollgate is listening on ${s.baseUrl}; the sandbox HubSpot is at ${sandbox.url} (portal ${TENANT}).`);
  const props = (await (
    await fetch(`${sandbox.url}/crm/v3/properties/contacts`, {
      headers: { authorization: `Bearer ${s.started.tollgateToken}` },
    })
  ).json()) as { results: { name: string }[] };
  const ours = props.results.map((p) => p.name).filter((n) => n.startsWith("ai_"));
  say(`Provisioned on contacts: ${ours.join(", ")}`);

  heading(2, "An agent proposes a value it may set on its own (auto rule passes)");
  say(`enrichment-bot writes ai_proposed_email on Grace (102) with confidence 0.95 from apollo.`);
  sandbox.write(
    "contacts",
    "102",
    {
      ai_sdr_confidence_score: "0.95",
      ai_sdr_source: "apollo",
      ai_sdr_change_reason: "verified address",
      ai_sdr_evidence: '{"sources":["https://apollo.example/p/102"]}',
      ai_proposed_email: "grace.hopper@globex.example",
    },
    enrichment,
  );
  await s.settle();
  say(
    `email is now ${green(contact("102").email!)}; the shadow field is ${short(contact("102").ai_proposed_email)}; ai_sdr_event_id = ${short(contact("102").ai_sdr_event_id, 40)}`,
  );

  heading(3, "An agent writes a field it may not touch → reverted");
  say(`enrichment-bot sets Ada's (101) lifecyclestage from "${contact("101").lifecyclestage}" to "customer" directly.`);
  sandbox.write("contacts", "101", { lifecyclestage: "customer" }, enrichment);
  await s.settle();
  say(
    `lifecyclestage is back to ${green(contact("101").lifecyclestage!)} ${dim("(Tollgate's own write came back as a webhook and was not re-enforced)")}`,
  );

  heading(4, "A proposal that needs a person → queued for approval");
  say(`enrichment-bot proposes a phone number for Alan (103) with confidence 0.6 (the auto rule needs 0.9).`);
  sandbox.write(
    "contacts",
    "103",
    {
      ai_sdr_confidence_score: "0.6",
      ai_sdr_source: "apollo",
      ai_sdr_change_reason: "found on company site",
      ai_proposed_phone: "+1 555 0100",
    },
    enrichment,
  );
  await s.settle();
  const [approval] = await s.tollgate.services.approvals.listForRecord(TENANT, "contacts", "103");
  say(
    `approval ${short(approval?.id, 12)}: ${approval?.field} ${short(approval?.currentValue)} → ${yellow(short(approval?.proposedValue))}, status ${approval?.status}, risk flags: ${approval?.riskFlags.join(", ") || "none"}`,
  );
  await approveIfAvailable(s, approval?.id);

  heading(5, "An agent proposes a field outside its job → refused");
  say(`outreach-bot proposes a new email for Alan (103): only enrichment may propose emails.`);
  sandbox.write("contacts", "103", { ai_proposed_email: "alan@elsewhere.example" }, outreach);
  await s.settle();
  say(
    `proposal cleared (${short(contact("103").ai_proposed_email)}); email stays ${contact("103").email}; an exception was opened for RevOps.`,
  );

  heading(6, "A person edits a record → observed, never reverted");
  sandbox.write("contacts", "101", { jobtitle: "COO" }, rep);
  await s.settle();
  say(`jobtitle is ${contact("101").jobtitle}; the audit shows it as observed, made by hubspot:user:42.`);

  heading(7, "An MCP agent: Tollgate is its CRM tool server");
  await runMcpAgentScene(s, { agent: KEYS.mcpAgent, revops: KEYS.revops });

  heading(8, "A runaway agent: 300 disallowed writes in a burst");
  const ids = Array.from({ length: 300 }, (_, i) => String(20_000 + i));
  sandbox.seed(
    "contacts",
    ids.map((id) => ({ id, properties: { lifecyclestage: "lead", email: `p${id}@prospect.example` } })),
  );
  // A baseline of the governed fields (`tollgate baseline`), so reverts need no history reads.
  const baseline = await s.tollgate.baseline(TENANT);
  say(dim(`baseline: ${baseline.map((b) => `${b.records} ${b.objectType} in ${b.calls} calls`).join(", ")}`));
  const before = sandbox.stats();
  const t0 = Date.now();
  for (const id of ids) sandbox.write("contacts", id, { lifecyclestage: "customer" }, enrichment);
  await s.settle();
  const after = sandbox.stats();
  const reverted = ids.filter((id) => contact(id).lifecyclestage === "lead").length;
  const key = "POST /crm/v3/objects/:type/batch/update";
  const batchUpdates = (after.calls[key] ?? 0) - (before.calls[key] ?? 0);
  const total = (st: typeof after) => Object.values(st.calls).reduce((a, b) => a + b, 0);
  say(
    `${reverted === ids.length ? green(`${reverted}/${ids.length}`) : red(`${reverted}/${ids.length}`)} reverted in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  say(
    `CRM calls by Tollgate: ${total(after) - total(before)} (${batchUpdates} batch updates of ≤100 records); 429s provoked: ${after.rateLimited - before.rateLimited}`,
  );

  heading(9, "The runaway tripped the automatic kill switches");
  const api = (method: string, path: string, key: string, body?: unknown) =>
    fetch(`${s.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  type Switch = {
    scope: { type: string; value?: string | null };
    reason: string;
    who?: { id?: string };
    containment?: ContainmentReport | null;
  };
  const listed = await api("GET", "/v1/kill-switches", KEYS.auditor);
  const active = (listed.body.switches ?? []) as Switch[];
  for (const sw of active) {
    say(
      `${red("on")}  ${sw.scope.type}${sw.scope.value ? `:${sw.scope.value}` : ""} — ${sw.reason} ${dim(`(by ${sw.who?.id ?? "?"})`)}`,
    );
    const c = sw.containment;
    const cancelled = c?.points.find((p) => p.point === "queued_work_cancelled");
    if (c)
      say(
        dim(
          `    containment: ${c.status}${c.secondsToContained !== null ? ` in ${c.secondsToContained.toFixed(1)} s` : ""}; queued agent writes cancelled (not sent on lift either): ${cancelled?.count ?? 0}`,
        ),
      );
  }
  sandbox.write(
    "contacts",
    "101",
    { ai_sdr_confidence_score: "0.99", ai_sdr_source: "apollo", ai_proposed_email: "ada.l@northwind.example" },
    enrichment,
  );
  await s.settle();
  say(
    `while they are on, enrichment-bot's next proposal (confidence 0.99) is refused as ${red("killed")}; Ada's email stays ${contact("101").email}`,
  );
  // Lifting a tenant switch is an owner's call (docs/operations.md, roles): RevOps is refused, the owner lifts it.
  for (const sw of active) {
    const scope = sw.scope.value ? { type: sw.scope.type, value: sw.scope.value } : { type: sw.scope.type };
    const body = { scope, state: "off", reason: "runaway reviewed and fixed" };
    const byRevops = await api("PUT", "/v1/kill-switches", KEYS.revops, body);
    const answer = byRevops.status === 200 ? byRevops : await api("PUT", "/v1/kill-switches", KEYS.owner, body);
    if (answer.status !== 200) throw new Error(`lifting ${sw.scope.type} failed: ${JSON.stringify(answer.body)}`);
    const label = `${sw.scope.type}${sw.scope.value ? `:${sw.scope.value}` : ""}`;
    say(
      byRevops.status === 200
        ? `Rita (RevOps) reviews and switches ${label} off with PUT /v1/kill-switches`
        : `Rita (RevOps) may not lift ${label} (${red(String(byRevops.status))}: only an owner lifts a tenant switch); Olivia (owner) does`,
    );
  }
  say(dim("who, when and why are audited, refusals included"));

  heading(10, "RevOps rolls back what an agent did");
  const dry = await api("POST", "/v1/rollback", KEYS.revops, { agentId: "enrichment-bot", dryRun: true });
  const planned = (dry.body.planned as { objectId: string; field: string; restoreTo: unknown }[]) ?? [];
  say(
    `dry run: ${planned.map((p) => `${p.field} of contacts/${p.objectId} → ${short(p.restoreTo)}`).join("; ") || "nothing"}`,
  );
  const job = await api("POST", "/v1/rollback", KEYS.revops, { agentId: "enrichment-bot" });
  await s.settle();
  const progress = await api("GET", `/v1/rollback/${String(job.body.jobId)}`, KEYS.revops);
  say(
    `rollback job ${short(job.body.jobId, 12)}: ${String(progress.body.state)}, ${String(progress.body.done)}/${String(progress.body.total)} restored; Grace's email is ${green(contact("102").email!)} again`,
  );

  heading(11, "The audit trail");
  const page = await s.tollgate.services.audit.query({ tenantId: TENANT, limit: 1000 });
  const shown = page.events.filter((e) => !(e.object_id && Number(e.object_id) >= 20_000)).reverse();
  table([["when", "actor", "action", "record", "change", "outcome"], ...shown.map(row)]);
  const runaway = page.events.length - shown.length;
  say(dim(`(+${runaway} events of the runaway, not shown)`));
  const verify = await s.tollgate.services.audit.verify(TENANT);
  say(
    verify.ok
      ? green(`chain verified: ${verify.checked} events, each hash = sha256(prev_hash || canonical_json(event))`)
      : red(`chain BROKEN at ${verify.firstBroken?.eventId}`),
  );
  const checkpoint = await s.tollgate.services.audit.checkpoint(TENANT);
  say(
    `signed checkpoint: seq ${checkpoint.seq}, head ${checkpoint.hash.slice(0, 16)}…, key ${checkpoint.key_id} (Ed25519)`,
  );
  const exceptions = await s.tollgate.services.exceptions.list(TENANT, { limit: 100_000 });
  say(`exceptions opened for RevOps: ${exceptions.length} (review within 24 h, remediate within 72 h)`);
  await runAppPagesScenes(s, 12, { clientSecret: CLIENT_SECRET, revopsKey: KEYS.revops });
  await runSalesforceScenes(s, 14);

  console.log(`\n${bold("Done.")} Try the API yourself with \`npm start\` and the README's curl examples.`);
}

function row(e: AuditEvent): string[] {
  const diff = e.field_diffs[0];
  const change = diff ? `${diff.field}: ${short(diff.before, 14)} → ${short(diff.after, 22)}` : (e.diff_summary ?? "");
  const outcome = e.decision?.outcome ?? e.result;
  const painted =
    outcome === "deny" || outcome === "killed"
      ? red(outcome)
      : outcome === "allow"
        ? green(outcome)
        : outcome === "needs_approval"
          ? yellow(outcome)
          : outcome;
  return [
    e.occurred_at.slice(11, 19),
    `${e.actor.id}${e.actor.role && e.actor.type === "agent" ? ` (${e.actor.role})` : ""}`,
    e.action,
    e.object_id ? `${e.object_type}/${e.object_id}` : "—",
    change,
    `${painted}${e.result === "failed" ? red(" failed") : ""}`,
  ];
}

/** Approves through the HTTP API as a rep would from the card, once the approval routes exist. */
async function approveIfAvailable(s: LocalStack, id: string | undefined): Promise<void> {
  if (!id) return;
  const res = await fetch(`${s.baseUrl}/v1/approvals/${id}/approve`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEYS.approver}`, "content-type": "application/json" },
    body: JSON.stringify({ expected: { value: "+1 555 0100" } }),
  });
  if (res.status === 404) return;
  await s.settle();
  const phone = s.started.sandbox.getRecord("contacts", "103")!.properties.phone;
  say(`Sam (sales rep) approves it → HTTP ${res.status}; phone is now ${green(short(phone))}`);
}

main().catch((err: unknown) => {
  // What the user must do (start Redis, upgrade it) is one line; anything else is a bug, with its stack.
  const known = err instanceof RedisNotAvailableError || err instanceof RedisVersionError;
  console.error(red(known ? `demo: ${(err as Error).message}` : `demo failed: ${(err as Error).stack ?? err}`));
  process.exit(1);
});
