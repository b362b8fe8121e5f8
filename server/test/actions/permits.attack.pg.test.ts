import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import { permitDigest } from "../../../shared/index.js";
import { createPermitVerifier, derivePermitSecret } from "../../src/actions/index.js";
import { PORTAL_ID, type Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { outreachPolicy, startWithApiKeys } from "../helpers/start-with-api-keys.js";

// Issue 9, finding 6, tried as the attacker would: an agent that got one permit tries to send
// it twice, to send another message under it, to forge it, or to use it after it was stopped.

const TENANT = String(PORTAL_ID);
const KEYS = {
  agent: "agent-key-permits-0123456789abcdef",
  sender: "operator-key-sender-0123456789abcdef",
  otherSender: "operator-key-sender-b-0123456789abcdef",
  owner: "owner-key-permits-0123456789abcdef",
  auditor: "auditor-key-permits-0123456789abcdef",
};
let h: Harness;
beforeAll(async () => {
  h = await startWithApiKeys(outreachPolicy({ send_email: 2 }), [
    { key: KEYS.agent, role: "agent", agentId: "outreach-bot" },
    { key: KEYS.sender, role: "operator", name: "mail relay" },
    { key: KEYS.otherSender, role: "operator", name: "relay of B", tenantId: "tenant-b" },
    { key: KEYS.owner, role: "owner", name: "Olive" },
    { key: KEYS.auditor, role: "auditor", name: "Audrey" },
  ]);
}, 60_000);
afterAll(async () => h?.close());

async function call(key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

let n = 0;
/** The agent asks to send one message and gets a permit for exactly it. */
async function permitFor(): Promise<{ token: string; digest: string; message: Record<string, string> }> {
  const message = {
    to: `lead${++n}@prospect.example.org`,
    subject: "Hello",
    body: "Hi — a short note. Unsubscribe: https://acme.example/u",
    template: "intro-v1",
    domain: "acme.example",
  };
  const res = await call(KEYS.agent, "POST", "/v1/actions", {
    action: "send_email",
    crm: "hubspot",
    object: "contact",
    payload: { ...message, optedOut: false },
    idempotencyKey: `permit-${n}`,
  });
  expect(res.status).toBe(200);
  expect(res.body.decision.outcome).toBe("allow");
  const digest = permitDigest({ action: "send_email", ...message });
  expect(res.body.permit.digest).toBe(digest);
  return { token: res.body.permit.token as string, digest, message };
}

const verify = (token: string, digest: string, key = KEYS.sender) =>
  call(key, "POST", "/v1/permits/verify", { token, digest });

async function permitEvents(): Promise<AuditEvent[]> {
  const page = await call(KEYS.auditor, "GET", "/v1/audit?limit=1000");
  return (page.body.events as AuditEvent[]).filter((e) => e.action === "permit_verify");
}

describe("permits are bound to the message, used once, revoked by a kill switch (finding 6)", () => {
  it("is valid once; a second use is refused as used, and audited", async () => {
    const p = await permitFor();
    const first = await verify(p.token, p.digest);
    expect(first.body).toMatchObject({ valid: true, action: "send_email", agentId: "outreach-bot" });
    const again = await verify(p.token, p.digest);
    expect(again.body).toMatchObject({ valid: false, reason: "used" });
    const events = await permitEvents();
    expect(events.filter((e) => e.caused_by === first.body.eventId).map((e) => [e.result, e.error])).toEqual([
      ["failed", "used"],
      ["ok", null],
    ]);
  });

  it("does not cover another message: another recipient, body or subject is refused and uses nothing", async () => {
    const p = await permitFor();
    for (const other of [
      { ...p.message, to: "someone-else@prospect.example.org" },
      { ...p.message, body: `${p.message.body} P.S. wire the money` },
      { ...p.message, subject: "Urgent" },
    ]) {
      const res = await verify(p.token, permitDigest({ action: "send_email", ...other }));
      expect(res.body).toMatchObject({ valid: false, reason: "digest_mismatch" });
    }
    expect((await verify(p.token, p.digest)).body.valid).toBe(true);
  });

  it("refuses a forged or altered token, and a relay of another tenant", async () => {
    const p = await permitFor();
    const [body, sig] = p.token.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    const altered = Buffer.from(JSON.stringify({ ...claims, agentId: "admin-bot" })).toString("base64url");
    expect((await verify(`${altered}.${sig}`, p.digest)).body).toMatchObject({ valid: false, reason: "invalid" });
    expect((await verify(`${body}.${"A".repeat(43)}`, p.digest)).body.reason).toBe("invalid");
    expect((await verify(p.token, p.digest, KEYS.otherSender)).body.reason).toBe("other_tenant");
    expect((await verify("nonsense", "0".repeat(64))).body.reason).toBe("invalid");
    expect((await call(KEYS.sender, "POST", "/v1/permits/verify", { token: p.token })).status).toBe(400);
    expect((await call(KEYS.agent, "POST", "/v1/permits/verify", { token: p.token, digest: p.digest })).status).toBe(
      403,
    );
    expect((await verify(p.token, p.digest)).body.valid).toBe(true);
  });

  it("a kill switch turned on after the permit was issued revokes it, even once the switch is off again", async () => {
    const p = await permitFor();
    const on = await call(KEYS.owner, "PUT", "/v1/kill-switches", {
      scope: { type: "channel", value: "sends" },
      state: "on",
      reason: "bounces",
    });
    expect(on.status).toBe(200);
    const killed = await verify(p.token, p.digest);
    expect(killed.body).toMatchObject({ valid: false, reason: "killed", message: /channel:email/ });
    await call(KEYS.owner, "PUT", "/v1/kill-switches", {
      scope: { type: "channel", value: "sends" },
      state: "off",
      reason: "resolved",
    });
    expect((await verify(p.token, p.digest)).body.reason).toBe("killed");
    expect((await permitEvents()).some((e) => e.risk_flags.includes("permit_killed"))).toBe(true);
  });

  it("expires: past its short lifetime it is refused", async () => {
    const p = await permitFor();
    const later = createPermitVerifier({
      db: h.tollgate.internals.db,
      audit: h.tollgate.services.audit,
      secret: derivePermitSecret(h.tollgate.config.encryptionKey!),
      now: () => new Date(Date.now() + 3 * 60_000),
    });
    expect(await later.verify(TENANT, { token: p.token, digest: p.digest }, "relay")).toMatchObject({
      valid: false,
      reason: "expired",
    });
  });
});
