import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuditEvent } from "../../../shared/index.js";
import { createActionGate, type ActionGate } from "../../src/actions/index.js";
import {
  createApiKeyAuthenticator,
  createErrorHandler,
  notFoundHandler,
  createActionRouter,
} from "../../src/http/index.js";
import {
  createAlerter,
  createEnforcementGuard,
  createTriggerCounter,
  type KillSwitchAlert,
  type TriggerCounter,
} from "../../src/killswitch/index.js";
import { createCounterStore, type CounterStore } from "../../src/limits/index.js";
import { createLogger } from "../../src/observability/index.js";
import { startTollgateWithSandbox, type Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { testPrefix } from "../helpers/test-database.js";
import { deleteKeysUnder } from "../../src/redis/index.js";

/** Agents of the test policy, one API key each (R1: one identity per agent). */
export const AGENTS = [
  "outreach-bot",
  "compliance-bot",
  "approval-bot",
  "nosend-bot",
  "enrichment-bot",
  "capped-bot",
  "killme-bot",
  "idem-bot",
] as const;
export type TestAgent = (typeof AGENTS)[number];
export const keyOf = (agent: string) => `test-key-for-${agent}-0123456789`;
export const APPROVER_KEY = "test-approver-key-ada-0123456789";
export const PERMIT_SECRET = Buffer.alloc(32, 7);

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The policy under test: outreach may send approved templates on its own and anything else with
 * a person's approval; `operator` is outreach with "send" removed (R12 drill 1); meetings have a
 * window that is closed now (it opens two hours from now, for one hour); capped-bot has a cap of
 * 5 tasks a day; an agent refused more than 4 times a minute is switched off.
 */
export function testPolicy(now = new Date()): string {
  const from = (now.getUTCHours() + 2) % 24;
  const to = (from + 1) % 24 === 0 ? "24:00" : `${pad(from + 1)}:00`;
  return `
version: 1
tenant: default
timezone: UTC
agents:
  - { id: outreach-bot, role: outreach }
  - { id: compliance-bot, role: outreach }
  - { id: approval-bot, role: outreach }
  - { id: killme-bot, role: outreach }
  - { id: idem-bot, role: outreach }
  - { id: nosend-bot, role: operator }
  - { id: enrichment-bot, role: enrichment }
  - { id: capped-bot, role: capped }
roles:
  outreach:
    objects: { contact: { read: allow } }
    actions:
      send_email: { tier: 3, auto_if: { templates: [intro-v1] } }
      book_meeting: { tier: 2 }
      create_task: { tier: 2 }
  operator:
    description: outreach with "send" removed
    objects: { contact: { read: allow } }
    actions:
      create_task: { tier: 2 }
  enrichment:
    objects:
      contact:
        read: allow
        fields:
          industry: { tier: 2 }
          jobtitle: { tier: 3 }
      company:
        read: allow
        fields:
          numberofemployees: { tier: 2, exceptions: { regulated_industry: human, named_account: deny } }
  capped:
    actions:
      create_task: { tier: 2, cap: { per_day: 5 } }
windows:
  book_meeting: { from: "${pad(from)}:00", to: "${to}", tz: tenant }
kill_switch_triggers:
  - { metric: denials_per_minute, above: 4, scope: agent }
exception_data:
  named_accounts: { property: tollgate_named_account }
`;
}

export interface GateHarness {
  h: Harness;
  gate: ActionGate;
  counters: CounterStore;
  triggers: TriggerCounter;
  prefix: string;
  alerts: KillSwitchAlert[];
  tenantId: string;
  /** `POST /v1/actions` as `agent` (its own key). */
  act(agent: string, body: unknown): Promise<{ status: number; body: any; replayed: boolean }>;
  /** `POST /v1/approvals/:id/approve` on the running Tollgate, as the approver key "ada". */
  approve(id: string): Promise<{ status: number; body: any }>;
  /** `GET` on the running Tollgate as "ada". */
  read(path: string): Promise<{ status: number; body: any }>;
  event(eventId: string): Promise<AuditEvent>;
  /** The tenant's audit events, containment reports aside (they settle in the background). */
  auditCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A real Tollgate against the HubSpot sandbox, plus the action gate wired to its pieces exactly
 * as the composition root should wire it, behind `POST /v1/actions` on a server of its own.
 */
export async function startGateHarness(): Promise<GateHarness> {
  const h = await startTollgateWithSandbox({
    policyYaml: testPolicy(),
    env: { TOLLGATE_API_KEYS: JSON.stringify([{ key: APPROVER_KEY, role: "approver", name: "ada" }]) },
  });
  const { tollgate, tenantId } = h;
  const prefix = testPrefix("actions");
  const alerts: KillSwitchAlert[] = [];
  const counters = createCounterStore({ redis: tollgate.internals.redis, prefix });
  const triggers = createTriggerCounter({ redis: tollgate.internals.redis, prefix });
  const logger = createLogger({ level: "silent" });
  const alerter = createAlerter({ logger });
  const guard = createEnforcementGuard({
    killSwitches: tollgate.services.killSwitches,
    counters,
    triggers,
    policyOf: (t) => tollgate.services.policies.current(t).compiled,
    alert: (a) => {
      alerts.push(a);
      return alerter(a);
    },
    logger,
  });
  const gate = createActionGate({
    db: tollgate.internals.db,
    audit: tollgate.services.audit,
    policies: tollgate.services.policies,
    counters,
    killSwitches: tollgate.services.killSwitches,
    guard,
    writes: tollgate.internals.writes,
    approvals: tollgate.services.approvals,
    exceptions: tollgate.services.exceptions,
    scheduleApprovals: (t, ids) => tollgate.internals.approvalQueue.schedule(t, ids),
    readRecords: async (t, _crm, objectType, ids, properties) =>
      (await tollgate.services.hubspot.connectorFor(t)).readRecords(objectType, ids, properties),
    redis: tollgate.internals.redis,
    prefix,
    permitSecret: PERMIT_SECRET,
    logger,
  });
  const authenticate = createApiKeyAuthenticator(
    AGENTS.map((a) => ({ key: keyOf(a), role: "agent" as const, agentId: a })),
  );
  const app = express();
  app.use(express.json({ limit: "1mb" }));
  app.use(
    createActionRouter({
      gate,
      authenticate,
      killSwitches: tollgate.services.killSwitches,
      defaultTenant: tenantId,
      roleOf: (t, agentId) => tollgate.services.policies.current(t).compiled.agents.get(agentId)?.role,
    }),
  );
  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post = async (to: string, key: string, body: unknown) => {
    const res = await fetch(to, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as any,
      replayed: res.headers.get("idempotent-replayed") === "true",
    };
  };

  return {
    h,
    gate,
    counters,
    triggers,
    prefix,
    alerts,
    tenantId,
    act: (agent, body) => post(`${url}/v1/actions`, keyOf(agent), body),
    approve: (id) => post(`${h.baseUrl}/v1/approvals/${id}/approve`, APPROVER_KEY, {}),
    async read(path) {
      const res = await fetch(`${h.baseUrl}${path}`, { headers: { authorization: `Bearer ${APPROVER_KEY}` } });
      return { status: res.status, body: (await res.json()) as any };
    },
    async event(eventId) {
      const { rows } = await tollgate.internals.db.query<{ event: AuditEvent }>(
        "SELECT event FROM audit_events WHERE event_id = $1",
        [eventId],
      );
      if (!rows[0]) throw new Error(`no audit event ${eventId}`);
      return rows[0].event;
    },
    async auditCount() {
      const { rows } = await tollgate.internals.db.query<{ n: number }>(
        // A switch's containment report is appended when its watch settles, up to seconds after
        // the switch: not something the request under test wrote.
        "SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND event ->> 'action' <> 'containment_report'",
        [tenantId],
      );
      return rows[0]!.n;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deleteKeysUnder(tollgate.internals.redis, prefix);
      await h.close();
    },
  };
}

/** A send that passes every compliance check. */
export function compliantSend(to: string, over: Record<string, unknown> = {}) {
  return {
    to,
    from: "sam@mail.example.com",
    domain: "mail.example.com",
    subject: "Quick idea for your team",
    template: "intro-v1",
    body: "Hi! A short note. To stop hearing from us, unsubscribe here: https://mail.example.com/u/1",
    ...over,
  };
}
