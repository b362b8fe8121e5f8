import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  alertWebhookUrlFrom,
  createAlerter,
  createTriggerCounter,
  firstCrossing,
  triggerWindowMs,
  type KillSwitchAlert,
} from "../../src/killswitch/index.js";
import { TEST_REDIS_URL, testPrefix } from "../helpers/test-database.js";

describe("firstCrossing", () => {
  it("names the event that takes the rate above the threshold", () => {
    expect(firstCrossing(0, 50, 30)).toBe(31);
    expect(firstCrossing(29, 5, 30)).toBe(2);
    expect(firstCrossing(30, 1, 30)).toBe(1);
    expect(firstCrossing(0, 30, 30)).toBeUndefined();
    // A fractional sliding estimate: 12.6 + 18 = 30.6 > 30.
    expect(firstCrossing(12.6, 20, 30)).toBe(18);
    expect(firstCrossing(0, 1, 0)).toBe(1);
  });

  it("measures per-minute metrics over a minute and bare counts over an hour", () => {
    expect(triggerWindowMs("agent_writes_per_minute")).toBe(60_000);
    expect(triggerWindowMs("complaints_per_day")).toBe(86_400_000);
    expect(triggerWindowMs("approval_bypass_attempts")).toBe(3_600_000);
  });
});

describe("trigger counter (Redis)", () => {
  const prefix = testPrefix("ks-triggers");
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("slides: a burst at the end of one minute still counts at the start of the next", async () => {
    const counter = createTriggerCounter({ redis, prefix });
    const metric = { metric: "agent_writes_per_minute", subject: "agent:a" };
    const minute = Math.floor(Date.parse("2026-03-02T10:00:00Z") / 60_000) * 60_000;
    const [first] = await counter.add("t1", [{ ...metric, n: 40 }], new Date(minute + 59_000));
    expect(first).toEqual({ before: 0, after: 40 });
    // 15 s into the next minute, 75 % of the previous bucket is still inside the window.
    const [next] = await counter.add("t1", [{ ...metric, n: 1 }], new Date(minute + 60_000 + 15_000));
    expect(next!.before).toBeCloseTo(30, 5);
    expect(next!.after).toBeCloseTo(31, 5);
    // Other tenants and subjects count apart.
    const [other] = await counter.add("t2", [{ ...metric, n: 1 }], new Date(minute + 75_000));
    expect(other).toEqual({ before: 0, after: 1 });
    const ttl = await redis.pttl(`${prefix}:trg:{t1}:agent_writes_per_minute:agent:a:${(minute + 60_000) / 60_000}`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });
});

describe("alerts", () => {
  let server: Server;
  let url: string;
  const received: unknown[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ type: req.headers["content-type"], body: JSON.parse(body) });
        res.statusCode = req.url === "/fail" ? 500 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const alert: KillSwitchAlert = {
    type: "kill_switch.tripped",
    tenantId: "t1",
    scope: { type: "agent", value: "a" },
    metric: "agent_writes_per_minute",
    above: 30,
    measured: 31,
    reason: "trigger agent_writes_per_minute above 30",
    eventId: "e1",
    at: "2026-03-02T10:00:00.000Z",
  };

  it("logs the alert and POSTs it as JSON to the alert webhook", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = (await import("../../src/observability/index.js")).createLogger({
      level: "info",
      destination: { write: (s: string) => void lines.push(JSON.parse(s)) },
    });
    await createAlerter({ logger, webhookUrl: `${url}/hook` })(alert);
    expect(received).toEqual([{ type: "application/json", body: alert }]);
    expect(lines[0]).toMatchObject({
      level: 50,
      alert: { tenantId: "t1", metric: "agent_writes_per_minute" },
      msg: "kill switch tripped: trigger agent_writes_per_minute above 30",
    });
  });

  it("never throws when the webhook fails or is unreachable; it logs instead", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = (await import("../../src/observability/index.js")).createLogger({
      level: "info",
      destination: { write: (s: string) => void lines.push(JSON.parse(s)) },
    });
    await expect(createAlerter({ logger, webhookUrl: `${url}/fail` })(alert)).resolves.toBeUndefined();
    await expect(
      createAlerter({ logger, webhookUrl: "http://127.0.0.1:1/nothing", timeoutMs: 500 })(alert),
    ).resolves.toBeUndefined();
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringContaining("kill switch tripped"),
      "alert webhook answered an error",
      expect.stringContaining("kill switch tripped"),
      "alert webhook failed",
    ]);
  });

  it("reads TOLLGATE_ALERT_WEBHOOK_URL, refusing a URL that is not http(s)", () => {
    expect(alertWebhookUrlFrom({})).toBeUndefined();
    expect(alertWebhookUrlFrom({ TOLLGATE_ALERT_WEBHOOK_URL: "https://hooks.example.test/x" })).toBe(
      "https://hooks.example.test/x",
    );
    expect(() => alertWebhookUrlFrom({ TOLLGATE_ALERT_WEBHOOK_URL: "ftp://x" })).toThrow(/TOLLGATE_ALERT_WEBHOOK_URL/);
    expect(() => alertWebhookUrlFrom({ TOLLGATE_ALERT_WEBHOOK_URL: "not a url" })).toThrow(
      /TOLLGATE_ALERT_WEBHOOK_URL/,
    );
  });
});
