import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSalesforceConnector, subscribeChangeEvents } from "../../src/crm/salesforce/index.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";

interface Data {
  payload: {
    ChangeEventHeader: { recordIds: string[]; changeOrigin: string; commitUser: string; changedFields: string[] };
  } & Record<string, unknown>;
  event: { replayId: number };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

// jsforce's streaming client against the sandbox's CometD endpoint.
describe("Change Data Capture through jsforce streaming", () => {
  let org: SalesforceSandbox;
  let tollgateToken: string;
  beforeAll(async () => {
    org = await createSalesforceSandbox({ longPollMs: 500 });
    tollgateToken = org.users.token(org.users.create("Tollgate").id);
  });
  afterAll(() => org.close());

  const connector = () =>
    createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: tollgateToken,
      clientName: "tollgate",
    });

  it("delivers changes with the writer, its client tag, and replay ids; resumes after a dropped stream from the position it is given", async () => {
    const received: Data[] = [];
    let position = -1;
    let subscribed = false;
    const c = connector();
    const sub = await subscribeChangeEvents(c.transport, {
      replayFrom: () => position,
      onEvent: (d) => {
        received.push(d as Data);
        position = (d as Data).event.replayId;
      },
      onAuthFailure: () => undefined,
      onSubscribeError: (e) => {
        throw new Error(e.message);
      },
      onSubscribed: () => (subscribed = true),
    });
    try {
      await until(() => subscribed);
      const agent = org.users.create("Agent");
      const [a, b] = org.seed("Lead", [{ LastName: "A" }, { LastName: "B" }]);
      org.write("Lead", a!, { Industry: "Banking" }, agent.id);
      await c.writeRecords([
        { objectType: "Lead", objectId: a!, properties: { Industry: "Retail" } },
        { objectType: "Lead", objectId: b!, properties: { Industry: "Retail" } },
      ]);
      await until(() => received.length === 2);
      expect(received[0]!.payload.ChangeEventHeader).toMatchObject({
        recordIds: [a],
        commitUser: agent.id,
        changedFields: ["Industry", "LastModifiedDate"],
      });
      expect(received[0]!.payload["Industry"]).toBe("Banking");
      // One transaction, identical changes: one event naming both records, tagged as Tollgate's.
      expect(received[1]!.payload.ChangeEventHeader.recordIds).toEqual([a, b]);
      expect(received[1]!.payload.ChangeEventHeader.changeOrigin).toMatch(/;client=tollgate$/);

      org.streaming.dropClients();
      org.write("Lead", b!, { Industry: "Energy" }, agent.id);
      await until(() => received.length === 3);
      expect(received[2]!.payload["Industry"]).toBe("Energy");
      expect(new Set(received.map((r) => r.event.replayId)).size).toBe(3);
    } finally {
      sub.cancel();
    }
  });

  it("reports a replay id outside retention, and a refused session", async () => {
    org.streaming.expireRetained();
    const errors: { replayInvalid: boolean }[] = [];
    const sub = await subscribeChangeEvents(connector().transport, {
      replayFrom: () => 1,
      onEvent: () => undefined,
      onAuthFailure: () => undefined,
      onSubscribeError: (e) => errors.push(e),
    });
    await until(() => errors.length > 0);
    expect(errors[0]!.replayInvalid).toBe(true);
    sub.cancel();

    const failures: string[] = [];
    const live = await subscribeChangeEvents(connector().transport, {
      replayFrom: () => -1,
      onEvent: () => undefined,
      onAuthFailure: (reason) => failures.push(reason),
      onSubscribeError: () => undefined,
    });
    await until(() => org.streaming.clients() > 0);
    org.revokeTokens();
    await until(() => failures.length > 0, 5000);
    live.cancel();
  });
});
