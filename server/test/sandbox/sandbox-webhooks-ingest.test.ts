import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubSpotSandbox, type HubSpotSandbox } from "../../sandbox/hubspot/index.js";
import { parseHubSpotBatch, verifyHubSpotSignatureV3 } from "../../src/webhooks/index.js";
import { isOwnWrite } from "../../src/enforce/index.js";
import { toCrmChange } from "../../src/webhooks/index.js";
import { startWebhookReceiver } from "./webhook-receiver.js";

// Producer meets consumer: what the sandbox sends must pass Tollgate's own webhook ingest.
const SECRET = "ingest-secret";
const TOLLGATE_APP = 4242;
let sandbox: HubSpotSandbox;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  sandbox = await createHubSpotSandbox({
    clientSecret: SECRET,
    appId: TOLLGATE_APP,
    webhookTargetUrl: `${receiver.url}?portal=62515`,
    webhookDelayMs: 5,
    subscriptions: "all-legacy",
  });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe("sandbox webhooks through Tollgate's ingest", () => {
  it("verify, parse, and mark Tollgate's own writes as its own", async () => {
    const [contact] = sandbox.seed("contacts", [{ properties: { email: "i@example.com" } }]);
    const [deal] = sandbox.seed("deals", [{ properties: { dealname: "D" } }]);
    sandbox.write("contacts", contact!.id, { industry: "Fintech" }, { kind: "app", appId: "123456" });
    sandbox.write("contacts", contact!.id, { industry: "Retail" }, { kind: "app", appId: String(TOLLGATE_APP) });
    sandbox.write("deals", deal!.id, { dealstage: "closedwon" }, { kind: "user", userId: "9" });
    sandbox.write(
      "tasks",
      sandbox.seed("tasks", [{ properties: { hs_task_subject: "call" } }])[0]!.id,
      { hs_task_subject: "email" },
      { kind: "user", userId: "9" },
    );
    await sandbox.webhooksIdle();

    const changes = receiver.posts.flatMap((post) => {
      const check = verifyHubSpotSignatureV3({
        clientSecret: SECRET,
        method: "POST",
        publicUrl: `${receiver.url}?portal=62515`,
        rawBody: Buffer.from(post.rawBody),
        signature: post.headers["x-hubspot-signature-v3"] as string,
        timestamp: post.headers["x-hubspot-request-timestamp"] as string,
        now: Date.now(),
      });
      expect(check).toEqual({ ok: true });
      const parsed = parseHubSpotBatch(JSON.parse(post.rawBody));
      expect(parsed).toMatchObject({ ok: true });
      if (!parsed.ok) return [];
      expect(parsed.rejected).toEqual([]);
      return parsed.changes;
    });
    expect(changes.map((c) => c.sourceId)).toEqual(
      expect.arrayContaining(["123456", String(TOLLGATE_APP), "userId:9"]),
    );
    const own = changes.filter((c) => isOwnWrite(toCrmChange(c), { hubspotAppId: String(TOLLGATE_APP) }));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ changeSource: "INTEGRATION" });
  });
});
