import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTriggerCounter } from "../../src/killswitch/index.js";
import { createKillSwitchCache } from "../../src/killswitch/kill-switch-cache.js";
import { createKillSwitchHarness, eventually, type KillSwitchHarness } from "./helpers.js";

let h: KillSwitchHarness;
const tenant = () => `t-${randomBytes(4).toString("hex")}`;
const rita = { type: "human", id: "Rita (RevOps)", role: "revops_admin", via: "api_key" } as const;
const agentOn = { scope: { type: "agent", value: "enrichment-bot" }, state: "on", reason: "runaway" } as const;

beforeAll(async () => {
  h = await createKillSwitchHarness("ks-repair");
});
afterAll(async () => h?.teardown());

/** What the Redis cache says, as decisions read it (a fresh service has no memory of its own). */
const cachedScopes = async (t: string) =>
  ((await createKillSwitchCache(h.redis, h.prefix).read(t)) ?? []).map((s) => `${s.scope.type}:${s.scope.value}`);

/** The cache a lost write leaves: built, empty, claiming the newest generation. */
async function staleCache(t: string): Promise<void> {
  await h.redis.del(`${h.prefix}:ks:{${t}}`);
  await h.redis.hset(`${h.prefix}:ks:{${t}}`, "__built", "1");
  await h.redis.set(`${h.prefix}:ks:{${t}}:gen`, "1");
}

describe("kill switch cache repair", () => {
  it("a retry that finds the switch unchanged still repairs a cache whose update was lost after the commit", async () => {
    const t = tenant();
    const svc = h.service();
    await svc.set(t, agentOn, rita);
    await staleCache(t);
    expect(await cachedScopes(t)).toEqual([]);
    const again = await svc.set(t, agentOn, rita);
    expect(again.changed).toBe(false);
    expect(await cachedScopes(t)).toEqual(["agent:enrichment-bot"]);
  });

  it("every sync repairs Redis from PostgreSQL", async () => {
    const t = tenant();
    const writer = h.service();
    await writer.set(t, agentOn, rita);
    await staleCache(t);
    const svc = h.service({ syncIntervalMs: 100 });
    await svc.start();
    await eventually(async () => (await cachedScopes(t)).length === 1);
    expect(await cachedScopes(t)).toEqual(["agent:enrichment-bot"]);
  });

  it("keeps the generation in PostgreSQL: a rebuild older than the cache is refused, even across a flush", async () => {
    const t = tenant();
    const svc = h.service();
    await svc.set(t, agentOn, rita);
    const cache = createKillSwitchCache(h.redis, h.prefix);
    const { rows } = await h.t.db.query<{ generation: string }>(
      "SELECT generation::text AS generation FROM kill_switch_generations WHERE tenant_id = $1",
      [t],
    );
    const current = rows[0]!.generation;
    await svc.active(t);
    // A rebuild that read PostgreSQL before the change: refused.
    expect(await cache.rebuild(t, String(Number(current) - 1), [])).toBe(false);
    expect(await cachedScopes(t)).toEqual(["agent:enrichment-bot"]);
    // Redis loses everything; the next reader rebuilds from PostgreSQL at its generation.
    await h.flushPrefix();
    expect([...(await h.service().active(t)).active]).toEqual(["agent:enrichment-bot"]);
    expect(await h.redis.get(`${h.prefix}:ks:{${t}}:gen`)).toBe(current);
  });

  it("lifting a switch starts its scope's triggers afresh, so the owner's resume is not re-tripped at once", async () => {
    const t = tenant();
    const triggers = createTriggerCounter({ redis: h.redis, prefix: h.prefix });
    const svc = h.service({ triggers });
    const at = new Date();
    // A runaway: 1,000 writes this minute tripped the agent's switch.
    await triggers.add(t, [{ metric: "agent_writes_per_minute", subject: "agent:enrichment-bot", n: 1000 }], at);
    await svc.set(t, agentOn, rita);
    await svc.set(t, { ...agentOn, state: "off", reason: "fixed" }, rita);
    const [rate] = await triggers.add(
      t,
      [{ metric: "agent_writes_per_minute", subject: "agent:enrichment-bot", n: 1 }],
      new Date(),
    );
    expect(rate!.after).toBeLessThan(2);
  });
});
