import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { createLogger } from "../../src/observability/index.js";
import { callApi } from "../helpers/call-api.js";
import {
  PORTAL_ID,
  startTollgateWithSandbox,
  defineSensitiveContactProperty,
  type Harness,
} from "../helpers/start-tollgate-with-sandbox.js";
import { waitFor } from "../helpers/wait-for.js";

// Issue 9, end to end: HubSpot marks a property Sensitive Data (`dataSensitivity: sensitive`), so
// its webhooks say `isSensitive: true` and its definition says so to the gate. The attack: read
// everything Tollgate keeps or sends about such values — the audit chain, the JSONL export, what
// the SIEM received, the logs — and look for the values themselves.

const TENANT = String(PORTAL_ID);
const AGENT_KEY = "enrichment-agent-key-0123456789abcdef";
const AUDITOR_KEY = "auditor-key-sensitive-0123456789abcdef";
const INTAKE_KEY = "intake-agent-key-0123456789abcdef";
const APPROVER_KEY = "approver-key-sensitive-0123456789abcdef";
const OLD = "078-05-1120";
const NEW = "219-09-9999";
const PROPOSED_A = "457-55-5462";
const PROPOSED_B = "512-44-1234";
const DENIED = "666-12-3456";
const RAW = [OLD, NEW, PROPOSED_A, PROPOSED_B, DENIED];

const POLICY = `
version: 1
tenant: default
agents:
  - { id: enrichment-bot, role: enrichment, hubspot: { appIds: [1000002] } }
  - { id: intake-bot, role: intake }
roles:
  enrichment:
    objects:
      contact:
        read: allow
        fields:
          jobtitle: { tier: 1 }
          national_id: { tier: 3 }
  intake:
    objects:
      contact:
        read: allow
        fields:
          national_id: { tier: 4 }
approvals:
  expire_after: 8s
`;

const logLines: string[] = [];
const siemBodies: string[] = [];
let siem: Server;
let h: Harness;

beforeAll(async () => {
  const app = express();
  app.post("/siem", express.text({ type: "*/*", limit: "10mb" }), (req, res) => {
    siemBodies.push(String(req.body));
    res.json({ text: "Success", code: 0 });
  });
  siem = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => siem.once("listening", resolve));
  const logger = createLogger({
    level: "debug",
    destination: new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  h = await startTollgateWithSandbox({
    policyYaml: POLICY,
    beforeStart: async (started) => {
      // The portal holds Social Security numbers in a Sensitive Data property, from before the
      // install (Tollgate reads and caches the definitions at start).
      const status = await defineSensitiveContactProperty(started, { name: "national_id", label: "National ID" });
      expect(status).toBe(201);
    },
    logger,
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([
        { key: AGENT_KEY, role: "agent", name: "enrichment-bot", agentId: "enrichment-bot" },
        { key: AUDITOR_KEY, role: "auditor", name: "auditor" },
        { key: APPROVER_KEY, role: "approver", name: "ada" },
        { key: INTAKE_KEY, role: "agent", name: "intake-bot", agentId: "intake-bot" },
      ]),
      TOLLGATE_AUDIT_STREAM_URL: `http://127.0.0.1:${(siem.address() as AddressInfo).port}/siem`,
    },
  });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => siem?.close(resolve));
});

const rep = { kind: "user", userId: "42" } as const;
const enrichment = { kind: "app", appId: "1000002" } as const;

async function chain(): Promise<AuditEvent[]> {
  return (await h.tollgate.services.audit.query({ tenantId: TENANT, limit: 1000 })).events;
}

describe("isSensitive values end to end: webhook, gate, approval, expiry", () => {
  it("a direct sensitive write is reverted, gate writes are approved, applied and expired — no value anywhere", async () => {
    const sandbox = h.started.sandbox;
    // A person enters the SSN; HubSpot's webhook marks it sensitive.
    sandbox.write("contacts", "101", { national_id: OLD }, rep);
    await h.settle();
    // The agent overwrites it with its own app token: not in its policy for direct writes → reverted.
    sandbox.write("contacts", "101", { national_id: NEW }, enrichment);
    await h.settle();
    expect(sandbox.getRecord("contacts", "101")!.properties.national_id).toBe(OLD);

    // Through the gate: a tier-3 field parks for approval; one is approved and applied, one expires.
    const ask = (objectId: string, value: string) =>
      callApi(h.baseUrl, "POST", "/v1/actions", AGENT_KEY, {
        action: "update_field",
        crm: "hubspot",
        object: "contact",
        objectId,
        field: "national_id",
        value,
        confidence: 0.9,
        source: "kyc",
        reason: "verified",
      });
    const applied = await ask("102", PROPOSED_A);
    const expiring = await ask("103", PROPOSED_B);
    expect(applied.body.decision.outcome).toBe("needs_approval");
    expect(expiring.body.decision.outcome).toBe("needs_approval");
    const approved = await callApi(
      h.baseUrl,
      "POST",
      `/v1/approvals/${applied.body.approvalId}/approve`,
      APPROVER_KEY,
      {
        expected: { value: PROPOSED_A },
      },
    );
    expect(approved.status).toBe(200);
    // The other lapses (the policy's expire_after: 8s) and is expired by its timer.
    await waitFor(
      async () => (await h.tollgate.services.approvals.get(TENANT, expiring.body.approvalId))?.status === "expired",
      30_000,
      "the approval's expiry",
    );
    await h.settle();
    expect(sandbox.getRecord("contacts", "102")!.properties.national_id).toBe(PROPOSED_A);
    expect(sandbox.getRecord("contacts", "103")!.properties.national_id ?? "").not.toBe(PROPOSED_B);

    const events = await chain();
    const actions = new Set(events.map((e) => e.action));
    for (const a of ["field_write", "crm_write", "update_field", "approve", "apply", "expire"])
      expect(actions).toContain(a);
    // Every event naming national_id keeps it only hashed.
    for (const e of events)
      for (const d of e.field_diffs.filter((x) => x.field === "national_id"))
        for (const v of [d.before, d.after]) if (v !== null) expect(v).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(RAW.join("|")));

    // The JSONL export an auditor downloads.
    const exported = await fetch(`${h.baseUrl}/v1/audit/export?tenantId=${TENANT}`, {
      headers: { authorization: `Bearer ${AUDITOR_KEY}` },
    });
    expect(exported.status).toBe(200);
    const jsonl = await exported.text();
    expect(jsonl.split("\n").filter(Boolean).length).toBeGreaterThanOrEqual(events.length);
    for (const raw of RAW) expect(jsonl).not.toContain(raw);

    // The SIEM received the whole chain, and none of the values.
    await waitFor(async () => siemBodies.join("").split("\n").filter(Boolean).length >= events.length, 30_000);
    for (const raw of RAW) expect(siemBodies.join("")).not.toContain(raw);

    // The logs, at debug.
    expect(logLines.length).toBeGreaterThan(0);
    for (const raw of RAW) expect(logLines.join("")).not.toContain(raw);
  }, 90_000);

  it("a refused gate write of a sensitive field is audited without the value", async () => {
    // Tier 4: humans only — the agent is refused.
    const refused = await callApi(h.baseUrl, "POST", "/v1/actions", INTAKE_KEY, {
      action: "update_field",
      crm: "hubspot",
      object: "contact",
      objectId: "104",
      field: "national_id",
      value: DENIED,
    });
    expect(refused.body, JSON.stringify(refused.body)).toMatchObject({ decision: { outcome: "deny" } });
    const event = (await chain()).find((e) => e.event_id === refused.body.eventId)!;
    expect(event.sensitive_fields).toEqual(["national_id"]);
    expect(JSON.stringify(event)).not.toContain(DENIED);
    const exceptions = await h.tollgate.services.exceptions.list(TENANT);
    expect(JSON.stringify(exceptions)).not.toContain(DENIED);
  });

  it("a database reader finds no sensitive value in crm_writes or approvals once they settled", async () => {
    await h.settle();
    const db = h.tollgate.internals.db;
    // Everything a reader with SELECT on the working tables sees of this tenant's writes and approvals.
    const dump = async () => {
      const writes = await db.query<{ row: string }>(
        "SELECT row_to_json(w)::text AS row FROM crm_writes w WHERE tenant_id = $1 AND sensitive_fields <> '[]'::jsonb",
        [TENANT],
      );
      const approvals = await db.query<{ row: string; status: string; proposed_value: string | null }>(
        "SELECT row_to_json(a)::text AS row, status, proposed_value FROM approvals a WHERE tenant_id = $1 AND sensitive",
        [TENANT],
      );
      return { writes: writes.rows, approvals: approvals.rows };
    };
    // The revert and the apply (writes), the applied, expired and refused approvals: all settled.
    const leaks = async () => {
      const { writes, approvals } = await dump();
      return [...writes, ...approvals].filter((r) => RAW.some((raw) => r.row.includes(raw)));
    };
    await waitFor(async () => (await leaks()).length === 0, 10_000, "settled rows without clear values").catch(
      () => undefined,
    );
    expect((await leaks()).map((r) => r.row)).toEqual([]);
    const { writes, approvals } = await dump();
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(approvals.map((a) => a.status)).toEqual(expect.arrayContaining(["applied", "expired"]));
    for (const a of approvals) expect(a.proposed_value).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    // The chain still verifies: the audit events were never touched.
    expect(await h.tollgate.services.audit.verify(TENANT)).toMatchObject({ ok: true });
  });
});
