import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../../sandbox/demo/start-local-stack.js";
import type { SandboxRow, SandboxUser } from "../../sandbox/salesforce/index.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "../helpers/test-database.js";
import { waitFor } from "../helpers/wait-for.js";

// Approvals in a Salesforce org notify their approvers as HubSpot's do: a real Tollgate (real
// PostgreSQL and Redis) on the Salesforce sandbox turns an agent's proposal into one Task per
// member of the approver group (the policy's userIds, and holders of the Tollgate_Approver
// permission set), assigned to them and linked to the record, completed once the approval is
// decided or expires.

const OWNER = "owner-key-sf-tasks-0123456789abcdef";
const SHORT_EXPIRY_POLICY = readFileSync("manifests/policy.salesforce.yaml", "utf8").replace(
  "expire_after: 72h",
  "expire_after: 3s",
);

let t: TestDatabase;
let h: LocalStack;
let sf: NonNullable<LocalStack["salesforce"]>;
let approver: SandboxUser;
let stranger: SandboxUser;

beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 10 });
  h = await startLocalStack({
    db: t.db,
    prefix: testPrefix("sf-tasks"),
    redisUrl: TEST_REDIS_URL,
    demoData: false,
    salesforce: {},
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([{ key: OWNER, role: "owner", name: "olive", tenantId: "00D5g000004XyZaEAK" }]),
      TOLLGATE_SWEEP_INTERVAL_MS: "500",
    },
  });
  sf = h.salesforce!;
  // One approver by permission set (the policy also names Rita Rep by user id), one outsider.
  approver = sf.org.users.create("Ada Approver", "ada@acme.example");
  sf.org.users.assignPermissionSet(approver.id, "Tollgate_Approver");
  stranger = sf.org.users.create("Sam Stranger", "sam@acme.example");
}, 60_000);
afterAll(async () => {
  await h?.close();
  await t?.drop();
});

async function propose(objectType: string, id: string, fields: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sf.org.url}/services/data/v62.0/sobjects/${objectType}/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${sf.users.enrichment.token}`, "content-type": "application/json" },
    body: JSON.stringify(fields),
  });
  expect(res.status).toBe(204);
  await sf.settle();
}

const tasksOf = (id: string, count: number) =>
  waitFor(() => sf.org.tasksOf(id).length >= count, 10_000, `${count} tasks on ${id}`).then(() => sf.org.tasksOf(id));

async function pendingApproval(objectType: string, id: string): Promise<{ id: string; expiresAt: string }> {
  const res = await fetch(`${h.baseUrl}/v1/records/salesforce/${objectType}/${id}/approvals`, {
    headers: { authorization: `Bearer ${OWNER}` },
  });
  const body = (await res.json()) as { approvals: { id: string; status: string; expiresAt: string }[] };
  return body.approvals.find((a) => a.status === "pending")!;
}

describe("Salesforce approval notifications: Tasks for the approvers", () => {
  it("gives each approver one Task on the Lead (WhoId), due when the approval expires, and completes them when it is approved", async () => {
    const [id] = sf.org.seed("Lead", [{ LastName: "Hopper", Company: "Navy", Title: "CTO" }]);
    await propose("Lead", id!, { AI_Proposed_Title__c: "Rear Admiral" });
    const approval = await pendingApproval("Lead", id!);
    const tasks = await tasksOf(id!, 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(sf.org.tasksOf(id!)).toHaveLength(2);
    expect(tasks.map((task) => task["OwnerId"]).sort()).toEqual([sf.users.rep.id, approver.id].sort());
    expect(tasks.map((task) => task["OwnerId"])).not.toContain(stranger.id);
    for (const task of tasks) {
      expect(task).toMatchObject({
        WhoId: id,
        Status: "Not Started",
        Priority: "High",
        ActivityDate: approval.expiresAt.slice(0, 10),
        CreatedById: sf.tollgateUser.id,
      });
      expect(task["WhatId"] ?? null).toBeNull();
      expect(task["Subject"]).toContain('Title → "Rear Admiral"');
      expect(task["Description"]).toContain(`Approval ${approval.id}`);
    }

    const approved = await fetch(`${h.baseUrl}/v1/approvals/${approval.id}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${OWNER}`, "content-type": "application/json" },
      body: JSON.stringify({ expected: { value: "Rear Admiral" } }),
    });
    expect(approved.status).toBe(200);
    await waitFor(
      () => sf.org.tasksOf(id!).every((task: SandboxRow) => task["Status"] === "Completed"),
      10_000,
      "tasks completed",
    );
    await sf.settle();
    expect(sf.org.getRecord("Lead", id!)!["Title"]).toBe("Rear Admiral");
  });

  it("links an Account's Task by WhatId, and completes the Tasks of an approval that expired undecided", async () => {
    await h.tollgate.services.policies.replace(sf.org.orgId, SHORT_EXPIRY_POLICY, {
      type: "system",
      id: "test",
      role: null,
      via: "test",
    });
    const [id] = sf.org.seed("Account", [{ Name: "Analytical Engines", AnnualRevenue: 1000 }]);
    await propose("Account", id!, { AI_Proposed_AnnualRevenue__c: 250000 });
    const tasks = await tasksOf(id!, 2);
    expect(tasks.every((task) => task["WhatId"] === id && (task["WhoId"] ?? null) === null)).toBe(true);
    // Three seconds to expiry, then one sweep: the Tasks are closed, the value untouched.
    await waitFor(
      () => sf.org.tasksOf(id!).every((task: SandboxRow) => task["Status"] === "Completed"),
      20_000,
      "expired approval's tasks completed",
    );
    expect(sf.org.getRecord("Account", id!)!["AnnualRevenue"]).toBe(1000);
  });
});
