import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Approval } from "../../../shared/index.js";
import { approvalBatchResultSchema, approvalListSchema, inboxSchema } from "../../../shared/index.js";
import type { ApprovalService } from "../../src/approvals/index.js";
import type { CrmConnector } from "../../src/crm/index.js";
import { createHubSpotConnector } from "../../src/crm/hubspot/index.js";
import {
  createApiKeyAuthenticator,
  createApprovalRouter,
  createCardPageRouter,
  createFieldLabelLookup,
  createHttpApp,
} from "../../src/http/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";
import { createHubSpotSandbox } from "../../sandbox/hubspot/index.js";

// The cards name a field as the portal labels it: the approvals and inbox answers carry
// `fieldLabel`, read from the portal's own property definitions (here the HubSpot sandbox's),
// and the internal name when the CRM cannot say.
const PORTAL = "62515";
const KEY = "approver-key-0123456789";

const approval = (id: string, field: string, objectType = "contacts"): Approval => ({
  id,
  status: "pending",
  objectType,
  objectId: "901",
  field,
  currentValue: null,
  proposedValue: "gold",
  confidence: 0.9,
  source: "clearbit",
  reason: null,
  evidence: null,
  riskFlags: [],
  approvalsNeeded: 1,
  approvedBy: [],
  expiresAt: "2030-01-01T00:00:00.000Z",
  createdAt: "2026-01-01T00:00:00.000Z",
});

let sandbox: Awaited<ReturnType<typeof createHubSpotSandbox>>;
let server: Server;
let base: string;
let listCalls = 0;
let crmDown = false;

beforeAll(async () => {
  sandbox = await createHubSpotSandbox({ clientSecret: "labels-secret", appId: 4242, rateLimit: { max: 1000 } });
  const connector = createHubSpotConnector({
    accessToken: sandbox.tokens.issue({ appId: 4242 }),
    portalId: sandbox.portalId,
    baseUrl: sandbox.url,
  });
  // The portal's own label for a property it defined.
  await connector.createProperties("contacts", [
    { name: "renewal_tier", label: "Renewal tier", type: "string", fieldType: "text", groupName: "contactinformation" },
  ]);
  const counted: CrmConnector = {
    ...connector,
    listProperties: async (objectType) => {
      listCalls += 1;
      if (crmDown) throw new Error("CRM unavailable");
      return connector.listProperties(objectType);
    },
  };
  const fieldLabels = createFieldLabelLookup({ connectorFor: async () => counted });
  const service = {
    listForRecord: async () => [approval("ap_1", "renewal_tier"), approval("ap_2", "not_a_property")],
    inbox: async () => ({
      view: "all" as const,
      approvals: [approval("ap_1", "renewal_tier"), approval("ap_3", "industry", "widgets")],
      counts: { mine: 0, team: 0, overdue: 0, all: 2 },
    }),
    // As the service answers: decided, refused with the approval as it stands, and not found.
    batch: async () => ({
      results: [
        { id: "ap_1", ok: true, status: "approved", outcome: "approved", approval: approval("ap_1", "renewal_tier") },
        {
          id: "ap_2",
          ok: false,
          status: "expired",
          error: { code: "approval_expired", message: "expired" },
          approval: approval("ap_2", "not_a_property"),
        },
        { id: "ap_9", ok: false, status: null, error: { code: "not_found", message: "no approval ap_9" } },
      ],
    }),
  } as unknown as ApprovalService;
  const authenticate = createApiKeyAuthenticator([{ key: KEY, role: "approver", name: "Tom", tenantId: PORTAL }]);
  const app = createHttpApp({
    logger: createLogger({ level: "silent" }),
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: {},
    routers: [
      createApprovalRouter({ service, authenticate, defaultTenant: PORTAL, fieldLabels }),
      createCardPageRouter({
        approvals: service,
        settings: async () => ({}) as never,
        authenticate,
        defaultTenant: PORTAL,
        fieldLabels,
      }),
    ],
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await sandbox?.close();
});

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);
  return res.json() as Promise<unknown>;
};

describe("fieldLabel on the card wire", () => {
  it("carries the portal's own label, the internal name when the CRM has none, and is read once per object", async () => {
    const before = listCalls;
    const first = approvalListSchema.parse(await get("/v1/records/hubspot/contacts/901/approvals"));
    expect(first.approvals.map((a) => [a.field, a.fieldLabel])).toEqual([
      ["renewal_tier", "Renewal tier"],
      ["not_a_property", "not_a_property"],
    ]);
    await get("/v1/records/hubspot/contacts/901/approvals");
    expect(listCalls - before).toBe(1);
  });

  it("labels each batch result and its approval; a result with no approval has no label", async () => {
    const res = await fetch(`${base}/v1/approvals/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ id: "ap_1", decision: "approve" }] }),
    });
    expect(res.status).toBe(200);
    const { results } = approvalBatchResultSchema.strict().parse(await res.json());
    expect(results.map((r) => [r.id, r.fieldLabel, r.approval?.fieldLabel])).toEqual([
      ["ap_1", "Renewal tier", "Renewal tier"],
      ["ap_2", "not_a_property", "not_a_property"],
      ["ap_9", undefined, undefined],
    ]);
  });

  it("labels the inbox across object types, falling back to the name when the CRM cannot say", async () => {
    crmDown = true;
    try {
      const inbox = inboxSchema.parse(await get("/v1/inbox?view=all"));
      expect(inbox.approvals.map((a) => [a.field, a.fieldLabel])).toEqual([
        ["renewal_tier", "Renewal tier"], // cached for the tenant and object type
        ["industry", "industry"], // the CRM failed: the internal name
      ]);
    } finally {
      crmDown = false;
    }
  });
});
