import { Signature } from "@hubspot/api-client";
import { afterEach, describe, expect, it } from "vitest";
import { createHubSpotSandbox, type HubSpotSandbox, type HubSpotSandboxOptions } from "../../sandbox/hubspot/index.js";
import { startWebhookReceiver } from "./webhook-receiver.js";

const SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const TOLLGATE_APP = 4242;
const AGENT_APP = 123456;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: Partial<HubSpotSandboxOptions> = {}, answer?: (i: number) => number) {
  const receiver = await startWebhookReceiver(answer);
  const sandbox = await createHubSpotSandbox({
    clientSecret: SECRET,
    appId: TOLLGATE_APP,
    webhookTargetUrl: receiver.url,
    webhookDelayMs: 5,
    rateLimit: { max: 1000 },
    webhookRetryDelayMs: () => 5,
    ...options,
  });
  cleanup.push(
    () => sandbox.close(),
    () => receiver.close(),
  );
  return { sandbox, receiver };
}

async function call(sandbox: HubSpotSandbox, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("sandbox webhooks", () => {
  it("signs every POST so @hubspot/api-client's Signature.isValid accepts v3 and v1", async () => {
    const { sandbox, receiver } = await setup();
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "ada@example.com" } }]);
    const token = sandbox.tokens.issue({ appId: AGENT_APP });
    expect(
      (
        await call(sandbox, token, "PATCH", `/crm/v3/objects/contacts/${contact!.id}`, {
          properties: { industry: "Fintech" },
        })
      ).status,
    ).toBe(200);
    await sandbox.webhooksIdle();
    expect(receiver.posts).toHaveLength(1);
    const { headers, rawBody } = receiver.posts[0]!;
    const timestamp = Number(headers["x-hubspot-request-timestamp"]);
    expect(Math.abs(Date.now() - timestamp)).toBeLessThan(10_000);
    const v3 = {
      signatureVersion: "v3",
      signature: String(headers["x-hubspot-signature-v3"]),
      clientSecret: SECRET,
      requestBody: rawBody,
      url: receiver.url,
      method: "POST",
      timestamp,
    };
    expect(Signature.isValid(v3)).toBe(true);
    expect(Signature.isValid({ ...v3, requestBody: rawBody.replace("Fintech", "Retail") })).toBe(false);
    expect(Signature.isValid({ ...v3, clientSecret: "another-secret" })).toBe(false);
    expect(headers["x-hubspot-signature-version"]).toBe("v1");
    expect(
      Signature.isValid({
        signatureVersion: "v1",
        signature: String(headers["x-hubspot-signature"]),
        clientSecret: SECRET,
        requestBody: rawBody,
      }),
    ).toBe(true);
  });

  it("sends events shaped like HubSpot's, attributed to the writer, creation included", async () => {
    const { sandbox, receiver } = await setup();
    const agent = sandbox.tokens.issue({ appId: AGENT_APP });
    const human = sandbox.tokens.issue({ userId: 7001 });
    const tollgate = sandbox.tokens.issue({ appId: TOLLGATE_APP });
    const created = await call(sandbox, agent, "POST", "/crm/v3/objects/contacts", {
      properties: { email: "new@example.com" },
    });
    expect(created.status).toBe(201);
    const id = String(created.body["id"]);
    await call(sandbox, human, "PATCH", `/crm/v3/objects/0-1/${id}`, { properties: { jobtitle: "CTO" } });
    await call(sandbox, tollgate, "PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { jobtitle: "CEO" } });
    await call(sandbox, tollgate, "PATCH", `/crm/v3/objects/contacts/${id}`, { properties: { jobtitle: "CEO" } }); // unchanged: no event
    await sandbox.webhooksIdle();
    const events = receiver.events().sort((a, b) => a.eventId - b.eventId);
    expect(
      events.map((e) => [e.subscriptionType, e.propertyName, e.propertyValue, e.changeSource, e.sourceId]),
    ).toEqual([
      ["object.creation", undefined, undefined, "INTEGRATION", String(AGENT_APP)],
      ["object.propertyChange", "email", "new@example.com", "INTEGRATION", String(AGENT_APP)],
      ["object.propertyChange", "jobtitle", "CTO", "CRM_UI", "userId:7001"],
      ["object.propertyChange", "jobtitle", "CEO", "INTEGRATION", String(TOLLGATE_APP)],
    ]);
    for (const e of events) {
      expect(e).toMatchObject({
        portalId: sandbox.portalId,
        appId: TOLLGATE_APP,
        objectId: Number(id),
        objectTypeId: "0-1",
        attemptNumber: 0,
      });
      expect(typeof e.subscriptionId).toBe("number");
      expect(Math.abs(Date.now() - e.occurredAt)).toBeLessThan(10_000);
    }
    expect(events[0]!.changeFlag).toBe("CREATED");
  });

  it("honours a subscription list: legacy types, one property only", async () => {
    const { sandbox, receiver } = await setup({
      subscriptions: [{ subscriptionType: "contact.propertyChange", propertyName: "industry", id: 77 }],
    });
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "a@example.com" } }]);
    sandbox.write("contacts", contact!.id, { industry: "Retail", jobtitle: "VP" }, { kind: "user", userId: "5" });
    await sandbox.webhooksIdle();
    expect(receiver.events()).toEqual([
      expect.objectContaining({
        subscriptionType: "contact.propertyChange",
        subscriptionId: 77,
        propertyName: "industry",
        propertyValue: "Retail",
        changeSource: "CRM_UI",
        sourceId: "userId:5",
      }),
    ]);
    expect(receiver.events()[0]!.objectTypeId).toBeUndefined();
  });

  it("batches at most webhookBatchSize (≤100) events per POST", async () => {
    for (const [batchSize, expectedMax] of [
      [500, 100],
      [40, 40],
    ] as const) {
      const { sandbox, receiver } = await setup({
        webhookBatchSize: batchSize,
        subscriptions: [{ subscriptionType: "object.propertyChange", objectType: "contacts" }],
      });
      const records = sandbox.seed(
        "contacts",
        Array.from({ length: 250 }, (_, i) => ({ properties: { email: `c${i}@example.com` } })),
      );
      const token = sandbox.tokens.issue({ appId: AGENT_APP });
      for (let i = 0; i < 250; i += 100) {
        const inputs = records.slice(i, i + 100).map((r) => ({ id: r.id, properties: { industry: "Fintech" } }));
        expect((await call(sandbox, token, "POST", "/crm/v3/objects/contacts/batch/update", { inputs })).status).toBe(
          200,
        );
      }
      await sandbox.webhooksIdle();
      const sizes = receiver.posts.map((p) => p.events.length);
      expect(Math.max(...sizes)).toBe(expectedMax);
      expect(new Set(receiver.events().map((e) => e.eventId)).size).toBe(250);
      expect(sandbox.stats().webhookEvents).toBe(250);
    }
  });

  it("retries a batch answered 500 with a higher attemptNumber", async () => {
    const { sandbox, receiver } = await setup({}, (i) => (i < 2 ? 500 : 204));
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "r@example.com" } }]);
    sandbox.write("contacts", contact!.id, { industry: "Fintech" }, { kind: "app", appId: String(AGENT_APP) });
    await sandbox.webhooksIdle();
    expect(receiver.posts.map((p) => p.events[0]!.attemptNumber)).toEqual([0, 1, 2]);
    expect(new Set(receiver.events().map((e) => e.eventId)).size).toBe(1);
    // Each retry is signed afresh over its own body.
    const last = receiver.posts[2]!;
    expect(
      Signature.isValid({
        signatureVersion: "v3",
        signature: String(last.headers["x-hubspot-signature-v3"]),
        clientSecret: SECRET,
        requestBody: last.rawBody,
        url: receiver.url,
        method: "POST",
        timestamp: Number(last.headers["x-hubspot-request-timestamp"]),
      }),
    ).toBe(true);
    expect(sandbox.stats()).toMatchObject({ webhookRequests: 3, webhookFailures: 2 });
  });

  it("sends nowhere until a target is set, then to the new target", async () => {
    const receiver = await startWebhookReceiver();
    const sandbox = await createHubSpotSandbox({ clientSecret: SECRET, appId: TOLLGATE_APP, webhookDelayMs: 5 });
    cleanup.push(
      () => sandbox.close(),
      () => receiver.close(),
    );
    const [c] = sandbox.seed("contacts", [{ properties: { email: "t@example.com" } }]);
    sandbox.write("contacts", c!.id, { industry: "Before" }, { kind: "user", userId: "1" });
    sandbox.setWebhookTargetUrl(receiver.url);
    sandbox.write("contacts", c!.id, { industry: "After" }, { kind: "user", userId: "1" });
    await sandbox.webhooksIdle();
    expect(receiver.events().map((e) => e.propertyValue)).toEqual(["After"]);
  });

  it("gives up after webhookMaxAttempts", async () => {
    const { sandbox, receiver } = await setup({ webhookMaxAttempts: 3 }, () => 503);
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "g@example.com" } }]);
    sandbox.write("contacts", contact!.id, { industry: "Fintech" }, { kind: "user", userId: "1" });
    await sandbox.webhooksIdle();
    expect(receiver.posts).toHaveLength(3);
  });

  it("redelivers on purpose: failFirstDelivery and duplicateRate", async () => {
    const lost = await setup({ failFirstDelivery: true });
    const [a] = lost.sandbox.seed("contacts", [{ properties: { email: "l@example.com" } }]);
    lost.sandbox.write("contacts", a!.id, { industry: "Fintech" }, { kind: "user", userId: "1" });
    await lost.sandbox.webhooksIdle();
    expect(lost.receiver.posts.map((p) => [p.events[0]!.eventId, p.events[0]!.attemptNumber])).toEqual([
      [1, 0],
      [1, 1],
    ]);

    const dup = await setup({ duplicateRate: 0.5, random: () => 0.25 });
    const [b] = dup.sandbox.seed("contacts", [{ properties: { email: "d@example.com" } }]);
    dup.sandbox.write("contacts", b!.id, { industry: "Fintech" }, { kind: "user", userId: "1" });
    await dup.sandbox.webhooksIdle();
    expect(dup.receiver.posts).toHaveLength(2);
    expect(dup.receiver.posts[0]!.rawBody).toBe(dup.receiver.posts[1]!.rawBody);
  });
});
