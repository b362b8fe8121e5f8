import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { Router } from "express";
import { describe, expect, it } from "vitest";
import { createHttpApp } from "../../src/http/index.js";
import { createLogger, createMetrics } from "../../src/observability/index.js";

// Issue 9, finding 8: what reaches the logs. Logs are captured as data and searched for the
// secrets an attacker (or a careless log call) would hope to find there.

function capture(): { lines: () => Record<string, unknown>[]; raw: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    raw: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("logs keep secrets out (finding 8)", () => {
  it("redacts secret-named keys at any depth", () => {
    const out = capture();
    const logger = createLogger({ level: "info", destination: out.stream });
    logger.info(
      { tenant: "t", call: { response: { body: { tokens: { access_token: "at-123", refresh_token: "rt-456" } } } } },
      "token refreshed",
    );
    logger.warn({ err: { config: { headers: { Authorization: "Bearer sk-789" } } }, clientSecret: "cs-1" }, "oops");
    expect(out.raw()).not.toMatch(/at-123|rt-456|sk-789|cs-1/);
    expect(out.lines()[0]).toMatchObject({
      tenant: "t",
      call: { response: { body: { tokens: { access_token: "[redacted]" } } } },
    });
  });

  it("logs request paths without their query strings (card emails, OAuth codes)", async () => {
    const out = capture();
    const router = Router();
    router.get("/oauth/hubspot/callback", (_req, res) => void res.json({ ok: true }));
    router.get(
      "/oauth/hubspot/install",
      (_req, res) => void res.cookie("tollgate_oauth_state", "state-cookie-secret").json({}),
    );
    const app = createHttpApp({
      logger: createLogger({ level: "info", destination: out.stream }),
      metrics: createMetrics({ defaultMetrics: false }),
      healthChecks: {},
      routers: [router],
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await fetch(`${base}/oauth/hubspot/callback?code=oauth-code-secret&state=s1`);
      await fetch(`${base}/oauth/hubspot/install`);
      await fetch(`${base}/v1/records/hubspot/contacts/1/approvals?userEmail=ada%40secret.example&userId=7`, {
        headers: { authorization: "Bearer api-key-secret-0123456789", cookie: "tg_oauth_state=abc" },
      });
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      server.close();
    }
    expect(out.raw()).not.toMatch(
      /oauth-code-secret|ada%40secret|ada@secret|api-key-secret|tg_oauth_state=abc|state-cookie-secret/,
    );
    const urls = out.lines().map((l) => (l.req as { url?: string } | undefined)?.url);
    expect(urls).toContain("/oauth/hubspot/callback");
    expect(urls).toContain("/v1/records/hubspot/contacts/1/approvals");
  });
});
