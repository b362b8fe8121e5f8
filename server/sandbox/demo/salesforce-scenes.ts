import { apexCallout } from "../salesforce/index.js";
import { dim, green, heading, red, say, short, yellow } from "./narrate.js";
import type { LocalStack } from "./start-local-stack.js";

type Org = NonNullable<LocalStack["salesforce"]>;
const OPEN = "Open - Not Contacted";

/**
 * The Salesforce org beside the HubSpot portal (manifests/policy.salesforce.yaml): changes
 * arrive over Change Data Capture, reverts and applies leave through sObject Collections, and a
 * rep approves from the Lightning card, whose Apex signs the call. Numbered from `first`.
 */
export async function runSalesforceScenes(s: LocalStack, first: number): Promise<number> {
  const sf = s.salesforce;
  if (!sf) return first;
  const { org } = sf;
  const lead = (id: string) => org.getRecord("Lead", id)!;
  const asAgent = (id: string, fields: Record<string, unknown>) =>
    patchAs(org.url, sf.users.enrichment.token, `Lead/${id}`, fields);

  heading(first, "Salesforce: an org beside the portal");
  const ours = org.fields("Lead").filter((f) => f.startsWith("AI_"));
  say(`org ${org.orgId} at ${org.url}; Tollgate listens to /data/ChangeEvents over CometD (jsforce).`);
  say(
    `provisioned on Lead: ${ours.length} fields (${ours.slice(0, 3).join(", ")}…), CDC on ${org.cdcObjects().join(", ")}`,
  );

  heading(first + 1, "Salesforce: an agent writes a Lead field it may not touch → reverted");
  const [ada] = org.seed("Lead", [{ LastName: "Lovelace", Company: "Analytical", Status: OPEN, Title: "CTO" }]);
  say(`Enrichment Bot (its own integration user) sets Lovelace's Status to "Closed - Converted" through the REST API.`);
  await asAgent(ada!, { Status: "Closed - Converted" });
  await sf.settle();
  const history = org
    .history("Lead", ada!, "Status")
    .map((h) => `${h["NewValue"]} by ${userName(sf, h["CreatedById"])}`);
  say(
    `Status is back to ${green(String(lead(ada!)["Status"]))} ${dim(`(history, newest first: ${history.join("; ")})`)}`,
  );

  heading(first + 2, "Salesforce: a proposal approved from the Lightning card");
  await asAgent(ada!, {
    AI_Proposed_Title__c: "VP Engineering",
    AI_SDR_Confidence_Score__c: 0.7,
    AI_SDR_Source__c: "apollo",
  });
  await sf.settle();
  const rep = { orgId: org.orgId, userId: sf.users.rep.id };
  const listed = await apex(s, sf, "GET", `/v1/records/salesforce/Lead/${ada}/approvals`, rep);
  const [approval] = (listed.body["approvals"] ?? []) as { id: string; currentValue: string; proposedValue: string }[];
  say(
    `tollgateApprovalCard lists ${short(approval?.id, 12)}: Title ${approval?.currentValue} → ${yellow(String(approval?.proposedValue))} (Title is tier 3 for enrichment: a person decides)`,
  );
  const tasks = await tasksOn(org, ada!);
  say(
    `approvers notified in Salesforce: ${tasks.length} Task(s) "${short(String(tasks[0]?.["Subject"] ?? ""), 60)}" for ${tasks.map((t) => userName(sf, t["OwnerId"])).join(", ")}, due ${String(tasks[0]?.["ActivityDate"])}`,
  );
  const approved = await apex(s, sf, "POST", `/v1/approvals/${approval?.id}/approve`, {
    ...rep,
    expected: { value: "VP Engineering" },
  });
  await sf.settle();
  say(
    `Rita Rep approves (Apex signs the call as her, Tollgate checks she is an approver) → HTTP ${approved.status}; Title is now ${green(String(lead(ada!)["Title"]))}, AI_SDR_Event_Id__c ${short(lead(ada!)["AI_SDR_Event_Id__c"], 20)}`,
  );
  say(
    dim(
      `the approvers' Tasks: ${org
        .tasksOf(ada!)
        .map((t) => String(t["Status"]))
        .join(", ")}`,
    ),
  );

  heading(first + 3, "Salesforce: a runaway agent, 300 disallowed Lead writes in a burst");
  const ids = org.seed(
    "Lead",
    Array.from({ length: 300 }, (_, i) => ({ LastName: `Prospect ${i}`, Company: "Acme", Status: OPEN })),
  );
  const baseline = await s.tollgate.baseline(org.orgId);
  say(dim(`baseline: ${baseline.map((b) => `${b.records} ${b.objectType} in ${b.calls} calls`).join(", ")}`));
  const before = org.stats().calls;
  const used = org.limits.usage().used;
  const t0 = Date.now();
  for (const id of ids) org.write("Lead", id, { Status: "Closed - Converted" }, sf.users.enrichment.id);
  await sf.settle();
  const reverted = ids.filter((id) => lead(id)["Status"] === OPEN).length;
  const collections =
    (org.stats().calls["PATCH /composite/sobjects"] ?? 0) - (before["PATCH /composite/sobjects"] ?? 0);
  say(
    `${(reverted === ids.length ? green : red)(`${reverted}/${ids.length}`)} reverted in ${((Date.now() - t0) / 1000).toFixed(1)} s through ${collections} sObject Collections calls (≤ 200 records each)`,
  );
  say(
    `daily API allocation: ${org.limits.usage().used - used} calls for the runaway, ${org.limits.usage().used}/${org.limits.usage().limit} used (Sforce-Limit-Info)`,
  );
  return first + 4;
}

/** The approval notification Tasks on a record, once the notify job has made them (a few seconds at most). */
async function tasksOn(org: Org["org"], recordId: string): Promise<ReturnType<Org["org"]["tasksOf"]>> {
  const deadline = Date.now() + 5_000;
  while (org.tasksOf(recordId).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return org.tasksOf(recordId);
}

async function patchAs(url: string, token: string, path: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/services/data/v62.0/sobjects/${path}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  if (res.status !== 204) throw new Error(`sandbox PATCH ${path}: HTTP ${res.status}`);
}

/** The card's Apex call, as the package would make it for the user. */
const apex = (s: LocalStack, sf: Org, method: "GET" | "POST", path: string, signed: Record<string, unknown>) =>
  apexCallout(s.baseUrl, sf.webhookSecret, method, path, signed);

function userName(sf: Org, id: unknown): string {
  if (id === sf.tollgateUser.id) return "Tollgate";
  return Object.values(sf.users).find((u) => u.id === id)?.name ?? String(id);
}
