import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../shared/index.js";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { outreachPolicy, startWithApiKeys } from "../helpers/start-with-api-keys.js";

// Issue 9, finding 10: hostile input answers 400 naming the limit and changes nothing; agent
// evidence keeps every key it was sent with.

const KEYS = {
  agent: "agent-key-badinput-0123456789abcdef",
  owner: "owner-key-badinput-0123456789abcdef",
};
let h: Harness;
beforeAll(async () => {
  h = await startWithApiKeys(outreachPolicy({ create_task: 2 }), [
    { key: KEYS.agent, role: "agent", agentId: "outreach-bot" },
    { key: KEYS.owner, role: "owner", name: "Olive" },
  ]);
}, 60_000);
afterAll(async () => h?.close());

async function send(key: string, method: string, path: string, raw: string, type = "application/json") {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": type },
    body: raw,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** A create_task request with `evidence` given as raw JSON text (so it can be anything an attacker sends). */
const task = (evidence: string, idempotencyKey: string) =>
  `{"action":"create_task","crm":"hubspot","object":"contact","objectId":"101","idempotencyKey":"${idempotencyKey}","evidence":${evidence}}`;

async function events(): Promise<AuditEvent[]> {
  return (await h.tollgate.services.audit.query({ tenantId: h.tenantId, limit: 1000 })).events;
}

describe("bad input gets a clear 400 and changes nothing (finding 10)", () => {
  it("a YAML alias bomb is refused naming the limit; the policy keeps serving", async () => {
    const before = h.tollgate.services.policies.current(h.tenantId).version;
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const res = await send(KEYS.owner, "PUT", "/v1/policy", `${lines.join("\n")}\nversion: 1\n`, "application/yaml");
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("policy_invalid");
    expect(res.body.error.message).toMatch(/aliases expand beyond 1000/);
    expect(h.tollgate.services.policies.current(h.tenantId).version).toBe(before);
  });

  it("evidence nested thousands of levels deep, or larger than 64 KB, is refused naming the limit; nothing audited", async () => {
    const count = (await events()).length;
    const deep = `${'{"d":'.repeat(5000)}"bottom"${"}".repeat(5000)}`;
    const tooDeep = await send(KEYS.agent, "POST", "/v1/actions", task(deep, "deep-1"));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.message).toMatch(/evidence: nests deeper than 32 levels/);
    const big = await send(
      KEYS.agent,
      "POST",
      "/v1/actions",
      task(JSON.stringify({ blob: "x".repeat(70_000) }), "big-1"),
    );
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/evidence: is \d+ bytes of JSON \(limit: 65536\)/);
    expect(await events()).toHaveLength(count);
  });

  it("keeps __proto__ and constructor keys of agent evidence in the audit instead of dropping them", async () => {
    const raw = task('{"__proto__":{"polluted":true},"constructor":"c","facts":{"ok":1}}', "proto-1");
    const res = await send(KEYS.agent, "POST", "/v1/actions", raw);
    expect(res.status).toBe(200);
    const event = (await events()).find((e) => e.event_id === res.body.eventId)!;
    const agentEvidence = (event.evidence as { agent: Record<string, unknown> }).agent;
    expect(Object.keys(agentEvidence).sort()).toEqual(["__proto__", "constructor", "facts"]);
    expect(JSON.stringify(agentEvidence)).toContain('"__proto__":{"polluted":true}');
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect((await h.tollgate.services.audit.verify(h.tenantId)).ok).toBe(true);
  });
});
