import { approvalDecisionResponseSchema, inboxSchema, settingsViewSchema } from "../../../shared/index.js";
import { signHubSpotV3 } from "../../src/webhooks/index.js";
import { bold, dim, green, heading, red, say, short, yellow } from "./narrate.js";
import { LOCAL_TOLLGATE_APP_ID, type LocalStack } from "./start-local-stack.js";

/** The HubSpot users of the demo portal (start-local-stack): a rep (team 4201) and RevOps (team 4301). */
const SAM = { userId: "42", userEmail: "rep@northwind.example" };
const RITA = { userId: "43", userEmail: "rita@northwind.example" };
type Viewer = typeof SAM;
/** What the routes answer that the scene reads beyond the shared schemas: a switch, or an error. */
interface Reply {
  who?: { id: string; role: string | null; via: string | null };
  error?: { message: string };
  yaml?: string;
  version?: string;
}
interface Answer {
  status: number;
  body: Reply;
  raw: unknown;
}

/**
 * What reps and admins see inside HubSpot, as text: the approvers' HubSpot tasks, the app's home
 * page (the approval inbox) and its settings page (kill switches within the role rules). Every
 * request is a card request signed as HubSpot's proxy signs it, for the HubSpot user looking.
 */
export async function runAppPagesScenes(
  s: LocalStack,
  first: number,
  o: { clientSecret: string; revopsKey: string },
): Promise<void> {
  const { sandbox } = s.started;
  const card = async (who: Viewer, method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<Answer> => {
    const query = new URLSearchParams({ ...who, portalId: s.tenantId, appId: String(LOCAL_TOLLGATE_APP_ID) });
    const [route, own] = path.split("?");
    const url = `${s.baseUrl}${route}?${own ? `${own}&` : ""}${query.toString()}`;
    const sent = body === undefined ? "" : JSON.stringify(body);
    const timestamp = Date.now();
    const signature = signHubSpotV3({ clientSecret: o.clientSecret, method, publicUrl: url, rawBody: sent, timestamp });
    const res = await fetch(url, {
      method,
      headers: {
        "x-hubspot-signature-v3": signature,
        "x-hubspot-request-timestamp": String(timestamp),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: sent }),
    });
    const raw: unknown = await res.json();
    return { status: res.status, body: raw as Reply, raw };
  };
  const tasksOf = (id: string) =>
    sandbox.associated("contacts", id, "tasks").map((t) => sandbox.getRecord("tasks", t)!);

  heading(first, "A proposal waits: the approvers get a HubSpot task, and it is in their inbox");
  sandbox.write(
    "contacts",
    "102",
    {
      ai_sdr_confidence_score: "0.55",
      ai_sdr_source: "zoominfo",
      ai_sdr_change_reason: "direct line on the team page",
      ai_proposed_phone: "+1 555 0142",
    },
    { kind: "app", appId: "1000002" },
  );
  await s.settle();
  await waitFor(() => tasksOf("102").length > 0);
  say(bold("HubSpot → Tasks on Grace's record") + dim(" (one per member of the rule's approver group: Sam and Rita):"));
  for (const t of tasksOf("102"))
    say(
      `☐ ${t.properties.hs_task_subject} ${dim(`— owner ${t.properties.hubspot_owner_id}, due ${t.properties.hs_timestamp}`)}`,
    );
  const inbox = inboxSchema.parse((await card(SAM, "GET", "/v1/inbox?view=mine")).raw);
  const c = inbox.counts;
  say(
    bold("Tollgate → Approval inbox") +
      `   [Mine (${c.mine})] [My team's (${c.team})] [Overdue (${c.overdue})] [All (${c.all})]`,
  );
  for (const a of inbox.approvals)
    say(
      `☐ ${a.objectType} ${a.objectId} · ${bold(a.field)}: ${short(a.currentValue)} → ${yellow(short(a.proposedValue))} · confidence ${Math.round((a.confidence ?? 0) * 100)}% · ${a.source} · by ${a.agentId} · "${a.reason}"  [Approve] [Reject]`,
    );
  const pending = inbox.approvals.find((a) => a.objectId === "102")!;
  const approved = approvalDecisionResponseSchema.parse(
    (await card(SAM, "POST", `/v1/approvals/${pending.id}/approve`, { expected: { value: pending.proposedValue } }))
      .raw,
  );
  await s.settle();
  await waitFor(() => tasksOf("102").every((t) => t.properties.hs_task_status === "COMPLETED"));
  say(
    `Sam approves from the inbox → ${approved.outcome}; Grace's phone is ${green(short(sandbox.getRecord("contacts", "102")!.properties.phone))}; the tasks closed themselves: ${tasksOf(
      "102",
    )
      .map((t) => `☑ ${t.properties.hs_task_status}`)
      .join(", ")}`,
  );

  heading(first + 1, "RevOps inside HubSpot: the settings page and its kill switch");
  const policy = await api(s, o.revopsKey, "GET", "/v1/policy");
  const withRoles = `${String(policy.body.yaml).trimEnd()}\n` // the settings page's role groups (docs/contracts.md, card identity)
    .replace(/^approvers:\n/m, "approvers:\n  revops_admin:\n    hubspot: { teamIds: [4301] }\n");
  const put = await api(s, o.revopsKey, "PUT", "/v1/policy", { yaml: withRoles });
  say(dim(`policy: approver group revops_admin = team 4301 (RevOps) → version ${short(put.body.version, 12)}`));
  const v = settingsViewSchema.parse((await card(RITA, "GET", "/v1/settings")).raw);
  say(bold("Tollgate → Settings") + `   signed in as ${v.you.role} (portal ${v.tenantId})`);
  say(
    `Kill switches: ${v.killSwitches.length === 0 ? "none on" : v.killSwitches.length}   [Stop all agents] [Stop agent ▾ ${v.scopes.agents.join(" | ")}]`,
  );
  say(
    `Policy ${short(v.policy.version, 12)} — last change by ${v.policy.changes[0]?.by ?? "?"}: ${short(v.policy.changes[0]?.summary, 70)}`,
  );
  say(
    `Recent reverts: ${v.reverts.length}${v.reverts[0] ? ` — latest ${v.reverts[0].objectType} ${v.reverts[0].objectId}: ${short(v.reverts[0].summary, 50)}` : ""}`,
  );
  for (const e of v.exceptions.slice(0, 3))
    say(
      `Exception ${e.kind} (${e.state}) · owner ${e.owner ?? "unassigned"} · review by ${e.reviewDueAt.slice(0, 16)}${e.overdue ? red(" overdue") : ""}`,
    );
  const setup = v.setup;
  say(
    `Setup: ${setup ? `${setup.state} (after ${setup.reason.replace(/_/g, " ")})${setup.objects.length ? ` — baselined ${setup.objects.map((x) => `${x.records} ${x.objectType}`).join(", ")}` : ""}` : "no run"}`,
  );
  const stop = { scope: { type: "agent", value: "outreach-bot" }, state: "on", reason: "complaints from a new domain" };
  const pulled = await card(RITA, "PUT", "/v1/kill-switches", stop);
  say(
    `Rita clicks [Stop agent] outreach-bot → ${pulled.status === 200 ? red("ON") : pulled.status} ${dim(`(by ${pulled.body.who?.id}, ${pulled.body.who?.role}, via ${pulled.body.who?.via})`)}`,
  );
  const bySam = await card(SAM, "PUT", "/v1/kill-switches", { ...stop, state: "off", reason: "I need it" });
  say(`Sam (a rep) tries to lift it → ${bySam.status}: ${bySam.body.error?.message}`);
  const lifted = await card(RITA, "PUT", "/v1/kill-switches", { ...stop, state: "off", reason: "domain fixed" });
  say(`Rita lifts it → ${lifted.status === 200 ? green("off") : lifted.status}; who, when and why are in the audit`);
}

async function api(s: LocalStack, key: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${s.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const raw: unknown = await res.json();
  return { status: res.status, body: raw as Reply, raw };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("the demo waited too long for HubSpot tasks");
    await new Promise((r) => setTimeout(r, 50));
  }
}
