import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalNotifier, type ApprovalNotifier } from "../../src/approvals/index.js";
import { createPropertyLookup } from "../../src/crm/index.js";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import { createHubSpotSandbox } from "../../sandbox/hubspot/index.js";
import type { HubSpotSandbox } from "../../sandbox/hubspot/index.js";
import { createApprovalHarness, newTenantId, type ApprovalHarness } from "./approval-harness.js";

// A pending approval becomes a HubSpot task for each member of its approver group — in the
// HubSpot sandbox, over real HTTP, through the HubSpot connector — and completes itself once the
// approval is decided or expires.
describe("approval notifications: HubSpot tasks", () => {
  let h: ApprovalHarness;
  let sandbox: HubSpotSandbox;
  let notifier: ApprovalNotifier;
  const tenantId = newTenantId();

  beforeAll(async () => {
    h = await createApprovalHarness();
    sandbox = await createHubSpotSandbox({
      clientSecret: "notify-secret",
      appId: 4242,
      rateLimit: { max: 1000 },
      accountUsers: [
        { id: "501", email: "rep@acme.test", primaryTeamId: "71" },
        { id: "502", email: "other@acme.test", primaryTeamId: "72" },
        { id: "503", email: "lead@acme.test", secondaryTeamIds: ["71"], ownerId: "9503" },
      ],
    });
    const connector = createHubSpotConnector({
      accessToken: sandbox.tokens.issue({ appId: 4242 }),
      portalId: sandbox.portalId,
      baseUrl: sandbox.url,
    });
    await connector.createProperties("contacts", [
      {
        name: "renewal_tier",
        label: "Renewal tier",
        type: "string",
        fieldType: "text",
        groupName: "contactinformation",
      },
    ]);
    notifier = createApprovalNotifier({
      db: h.db,
      store: h.store,
      connectorFor: async () => connector,
      // The approver group of these rules: team 71.
      whyNotAllowed: (_approval, who) => (who.crmUser?.teamIds.includes("71") ? undefined : "not in team 71"),
      // The portal's own definitions: a task names the field as the rep knows it.
      properties: createPropertyLookup({ connectorFor: async () => connector }),
    });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    await h?.teardown();
  });

  const task = (id: string) => sandbox.getRecord("tasks", id)!.properties;

  it("creates one task per approver, assigned to their owner record and linked to the record, once", async () => {
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "old@example.com" } }]);
    const approval = await h.seed({ tenantId, objectId: contact!.id, field: "jobtitle", proposedValue: "VP Sales" });

    expect(await notifier.onNotifyJob({ tenantId, approvalId: approval.id, kind: "notify" })).toBe(2);
    const taskIds = sandbox.associated("contacts", contact!.id, "tasks");
    expect(taskIds).toHaveLength(2);
    const tasks = taskIds.map(task);
    expect(tasks.map((t) => t.hubspot_owner_id).sort()).toEqual(["1000501", "9503"]);
    for (const t of tasks) {
      expect(t.hs_task_status).toBe("NOT_STARTED");
      expect(t.hs_task_subject).toContain('jobtitle → "VP Sales"');
      expect(t.hs_task_body).toContain(`Approval ${approval.id}`);
      expect(new Date(Number(t.hs_timestamp) || t.hs_timestamp!).toISOString()).toBe(approval.expiresAt);
    }

    // The queue retries a job (or rebuilds it after losing Redis): nobody gets a second task.
    expect(await notifier.onNotifyJob({ tenantId, approvalId: approval.id, kind: "notify" })).toBe(0);
    expect(sandbox.associated("contacts", contact!.id, "tasks")).toHaveLength(2);
  });

  it("names the field in the task as the portal labels it", async () => {
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "tier@example.com" } }]);
    const approval = await h.seed({ tenantId, objectId: contact!.id, field: "renewal_tier", proposedValue: "gold" });
    expect(await notifier.onNotifyJob({ tenantId, approvalId: approval.id, kind: "notify" })).toBe(2);
    for (const id of sandbox.associated("contacts", contact!.id, "tasks"))
      expect(task(id).hs_task_subject).toBe('Approve AI proposal: Renewal tier → "gold"');
  });

  it("completes the tasks once the approval is decided", async () => {
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "old@example.com" } }]);
    const approval = await h.seed({ tenantId, objectId: contact!.id, field: "jobtitle", proposedValue: "CTO" });
    await notifier.onNotifyJob({ tenantId, approvalId: approval.id, kind: "notify" });
    const taskIds = sandbox.associated("contacts", contact!.id, "tasks");

    expect(await notifier.closeSettled(tenantId)).toBe(0); // still pending: nothing closes
    await h.service.reject(tenantId, approval.id, { id: "api_key:ada", name: "ada", via: "api_key" }, { reason: "no" });
    expect(await notifier.closeSettled(tenantId, [approval.id])).toBe(2);
    expect(taskIds.map((id) => task(id).hs_task_status)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(await notifier.closeSettled(tenantId)).toBe(0);
  });

  it("completes the tasks of an expired approval, and creates none for an approval already decided", async () => {
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "old@example.com" } }]);
    const approval = await h.seed({ tenantId, objectId: contact!.id, field: "jobtitle", expiresInMs: 60_000 });
    await notifier.onNotifyJob({ tenantId, approvalId: approval.id, kind: "notify" });
    h.clock.advance(61_000);
    expect(await h.service.expire(tenantId, approval.id)).toBe(true);
    expect(await notifier.closeSettled(tenantId)).toBe(2);
    expect(sandbox.associated("contacts", contact!.id, "tasks").map((id) => task(id).hs_task_status)).toEqual([
      "COMPLETED",
      "COMPLETED",
    ]);

    const [later] = sandbox.seed("contacts", [{ properties: { email: "old@example.com" } }]);
    const decided = await h.seed({ tenantId, objectId: later!.id, field: "jobtitle" });
    await h.service.reject(tenantId, decided.id, { id: "api_key:ada", name: "ada", via: "api_key" }, { reason: "no" });
    expect(await notifier.onNotifyJob({ tenantId, approvalId: decided.id, kind: "notify" })).toBe(0);
    expect(sandbox.associated("contacts", later!.id, "tasks")).toEqual([]);
  });
});
