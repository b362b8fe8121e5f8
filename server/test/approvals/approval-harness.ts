import { randomBytes, randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { deleteKeysUnder } from "../../src/redis/index.js";
import type { AuditEvent } from "../../../shared/index.js";
import {
  HUBSPOT_TEST_APP_ID,
  HUBSPOT_TEST_CLIENT_SECRET,
  HUBSPOT_TEST_PUBLIC_URL,
} from "../../../test/fixtures/index.js";
import {
  createApprovalService,
  createApprovalStore,
  type ApprovalService,
  type ApprovalStore,
  type StoredApproval,
} from "../../src/approvals/index.js";
import { createAuditLog, type AuditLog } from "../../src/audit/index.js";
import type { ApiKeyEntry } from "../../src/config/index.js";
import type { Database } from "../../src/db/index.js";
import { createConflictGuard } from "../../src/enforce/index.js";
import {
  createApiKeyAuthenticator,
  createHttpApp,
  createApprovalRouter,
  createFieldLabelLookup,
  createAuditRouter,
  createProvenanceRouter,
} from "../../src/http/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";
import { createSnapshotStore, type SnapshotStore } from "../../src/snapshots/index.js";
import { signHubSpotV3 } from "../../src/webhooks/index.js";
import { createCrmWriteQueue, type CrmWriteQueue } from "../../src/writes/index.js";
import {
  createTestDatabase,
  testPrefix,
  testRedisOptions,
  TEST_REDIS_URL,
  type TestDatabase,
} from "../helpers/test-database.js";
import { InMemoryCrm } from "../writes/in-memory-crm.js";

export const API_KEYS = {
  approverAda: { key: "approver-key-ada-0123456789", role: "approver", name: "ada@example.com" },
  approverBob: { key: "approver-key-bob-0123456789", role: "approver", name: "bob@example.com" },
  /** A human key that names the proposing agent: it must never approve that agent's proposal. */
  namedLikeAgent: { key: "approver-key-agent-012345678", role: "approver", name: "enrichment-bot" },
  agent: { key: "agent-key-enrichment-0123456789", role: "agent", agentId: "enrichment-bot" },
  auditor: { key: "auditor-key-0123456789abcdef", role: "auditor", name: "auditor" },
} satisfies Record<string, ApiKeyEntry>;

/** A clock the test moves: expiry is checked against it. */
export class TestClock {
  constructor(public current = new Date()) {}
  now = (): Date => this.current;
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface ApprovalHarness {
  db: Database;
  audit: AuditLog;
  store: ApprovalStore;
  snapshots: SnapshotStore;
  service: ApprovalService;
  writes: CrmWriteQueue;
  clock: TestClock;
  baseUrl: string;
  crmOf(tenantId: string): InMemoryCrm;
  /** A pending approval as enforcement opens one: proposal event, approval row, CRM values. */
  seed(o: SeedOptions): Promise<StoredApproval>;
  /** Adds an API key (e.g. an agent key bound to a test's tenant: agent keys never choose one). */
  addKey(entry: ApiKeyEntry): void;
  events(tenantId: string): Promise<AuditEvent[]>;
  teardown(): Promise<void>;
}

export interface SeedOptions {
  tenantId: string;
  objectId?: string;
  field?: string;
  currentValue?: string | null;
  proposedValue?: string;
  approvalsNeeded?: number;
  expiresInMs?: number;
  agentId?: string;
  evidence?: unknown;
  /** The CRM marked the proposed value sensitive (HubSpot `isSensitive`), as enforcement carries it. */
  sensitive?: boolean;
}

/**
 * The approval service over real PostgreSQL (own schema) and Redis (own prefix), with the real
 * write queue, conflict guard and audit log; the CRM is held in memory behind `CrmConnector`.
 * The HTTP app mounts the approval router raw (as `createTollgate` should) and the provenance and
 * audit routers behind the JSON parser. Cards sign against `HUBSPOT_TEST_PUBLIC_URL`.
 */
export async function createApprovalHarness(options: { startWrites?: boolean } = {}): Promise<ApprovalHarness> {
  const t: TestDatabase = await createTestDatabase();
  const { db } = t;
  const clock = new TestClock();
  const audit = await createAuditLog(db);
  const store = createApprovalStore(db);
  const snapshots = createSnapshotStore(db);
  const crms = new Map<string, InMemoryCrm>();
  const crmOf = (tenantId: string) => {
    let crm = crms.get(tenantId);
    if (!crm) crms.set(tenantId, (crm = new InMemoryCrm(tenantId)));
    return crm;
  };
  const prefix = testPrefix("approvals");
  const writes = await createCrmWriteQueue({
    db,
    redis: testRedisOptions(),
    prefix,
    audit,
    connectorFor: async (tenantId) => crmOf(tenantId),
    guard: createConflictGuard(snapshots),
    onSettled: (rows) => service.onWritesSettled(rows),
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
  });
  const service = createApprovalService({
    db,
    audit,
    store,
    writes,
    snapshots,
    connectorFor: async (tenantId) => crmOf(tenantId),
    now: clock.now,
  });
  if (options.startWrites ?? true) await writes.start();

  const keys: ApiKeyEntry[] = Object.values(API_KEYS);
  let byKey = createApiKeyAuthenticator(keys);
  const authenticate = (header: string | undefined) => byKey(header);
  const card = {
    clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
    publicUrl: HUBSPOT_TEST_PUBLIC_URL,
    appId: String(HUBSPOT_TEST_APP_ID),
    // Every portal a test makes up is installed here; the runtime asks its installations.
    isInstalled: async () => true,
    // The service here checks no approver groups (the runtime's suites do): any user is known.
    getUser: async (card: { userId: string }) => ({
      crm: "hubspot" as const,
      id: card.userId,
      email: `user${card.userId}@example.com`,
      roleIds: [],
      teamIds: [],
      superAdmin: false,
      permissionSets: [],
    }),
  };
  // The in-memory CRM defines no properties: cards get the internal names as labels.
  const fieldLabels = createFieldLabelLookup({ connectorFor: async (tenantId) => crmOf(tenantId) });
  const app = createHttpApp({
    logger: createLogger({ level: "silent" }),
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: {},
    rawRouters: [createApprovalRouter({ service, authenticate, card, defaultTenant: "default", fieldLabels })],
    routers: [
      createProvenanceRouter({ db, authenticate, card, defaultTenant: "default", fieldLabels }),
      createAuditRouter({ audit, authenticate, defaultTenant: "default" }),
    ],
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db,
    audit,
    store,
    snapshots,
    service,
    writes,
    clock,
    baseUrl,
    crmOf,
    addKey(entry) {
      keys.push(entry);
      byKey = createApiKeyAuthenticator(keys);
    },
    async seed(o) {
      const field = o.field ?? "email";
      const objectId = o.objectId ?? String(100 + (randomBytes(2).readUInt16BE(0) % 9000));
      const currentValue = o.currentValue === undefined ? "old@example.com" : o.currentValue;
      const proposedValue = o.proposedValue ?? `new-${randomBytes(3).toString("hex")}@example.com`;
      const agentId = o.agentId ?? "enrichment-bot";
      const shadowField = `ai_proposed_${field}`;
      crmOf(o.tenantId).set("contacts", objectId, { [field]: currentValue ?? "", [shadowField]: proposedValue });
      const id = randomUUID();
      await db.transaction(async (tx) => {
        const [proposal] = await audit.appendMany(
          [
            {
              tenant_id: o.tenantId,
              occurred_at: clock.now().toISOString(),
              actor: { type: "agent", id: agentId, role: "enrichment", via: "hubspot:app:1000002" },
              action: "proposal",
              crm: "hubspot",
              object_type: "contacts",
              object_id: objectId,
              field_diffs: [{ field, before: currentValue, after: proposedValue }],
              ...(o.sensitive ? { sensitive_fields: ["*"] } : {}),
              decision: {
                outcome: "needs_approval",
                tier: 3,
                rule_id: `enrichment.contact.${field}`,
                policy_version: "v-test",
              },
              approval: {
                id,
                approvers: [],
                expires_at: new Date(clock.now().getTime() + (o.expiresInMs ?? 3_600_000)).toISOString(),
              },
              confidence: 0.6,
              evidence: o.evidence ?? { sources: ["apollo"] },
              source_signal: "apollo",
              reason: "found a newer work address",
            },
          ],
          { tx },
        );
        await store.create(
          {
            id,
            tenantId: o.tenantId,
            crm: "hubspot",
            objectType: "contacts",
            objectId,
            field,
            shadowField,
            currentValue,
            proposedValue,
            confidence: 0.6,
            source: "apollo",
            reason: "found a newer work address",
            evidence: o.evidence ?? { sources: ["apollo"] },
            riskFlags: ["low_confidence"],
            approvalsNeeded: o.approvalsNeeded ?? 1,
            agentId,
            agentRole: "enrichment",
            ruleId: `enrichment.contact.${field}`,
            policyVersion: "v-test",
            proposalEventId: proposal!.event_id,
            expiresAt: new Date(clock.now().getTime() + (o.expiresInMs ?? 3_600_000)),
            ...(o.sensitive ? { sensitive: true } : {}),
          },
          { tx },
        );
      });
      return (await store.get(o.tenantId, id))!;
    },
    async events(tenantId) {
      const out: AuditEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await audit.query({ tenantId, limit: 1000, ...(cursor ? { cursor } : {}) });
        out.push(...page.events);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return out.reverse();
    },
    async teardown() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await writes.close();
      await deleteKeys(prefix);
      await t.drop();
    },
  };
}

/** Deletes the suite's own Redis keys, never anything else. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

export { newTenantId, waitFor } from "../helpers/wait-for.js";

export interface CardRequest {
  method?: "GET" | "POST" | "PUT";
  /** Path without query. */
  path: string;
  /** The identity HubSpot's card passes (signed with the URL). */
  query: Record<string, string>;
  body?: unknown;
  secret?: string;
  timestamp?: number;
  /** Sign one URL and send another (tampering). */
  sendQuery?: Record<string, string>;
  /** Sign these bytes instead of the body sent. */
  signBody?: string;
  /** `TOLLGATE_PUBLIC_URL` of the server. @defaultValue HUBSPOT_TEST_PUBLIC_URL */
  publicUrl?: string;
}

/**
 * A request as HubSpot's card proxy sends it (`hubspot.fetch`): identity in the query string,
 * v3 signature over METHOD + public URL + JSON body + timestamp.
 */
export async function cardFetch(baseUrl: string, r: CardRequest): Promise<{ status: number; body: any }> {
  const method = r.method ?? (r.body === undefined ? "GET" : "POST");
  // HubSpot appends its own appId to every card request; tests that forge one pass it.
  const qs = (q: Record<string, string>) =>
    new URLSearchParams("appId" in q ? q : { ...q, appId: String(HUBSPOT_TEST_APP_ID) }).toString();
  const raw = r.body === undefined ? "" : JSON.stringify(r.body);
  const timestamp = r.timestamp ?? Date.now();
  const signature = signHubSpotV3({
    clientSecret: r.secret ?? HUBSPOT_TEST_CLIENT_SECRET,
    method,
    publicUrl: `${r.publicUrl ?? HUBSPOT_TEST_PUBLIC_URL}${r.path}?${qs(r.query)}`,
    rawBody: r.signBody ?? raw,
    timestamp,
  });
  const res = await fetch(`${baseUrl}${r.path}?${qs(r.sendQuery ?? r.query)}`, {
    method,
    headers: {
      "x-hubspot-signature-v3": signature,
      "x-hubspot-request-timestamp": String(timestamp),
      ...(r.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(r.body === undefined ? {} : { body: raw }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A request with an API key. */
export async function keyFetch(
  baseUrl: string,
  key: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
