import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signWebhook } from "../../sandbox/hubspot/sign-webhook.js";

/**
 * Stands between the sandbox's webhook sender and Tollgate, as the network between HubSpot and
 * Tollgate may: it answers the sandbox 200 for every batch and keeps it, and the scenario then
 * delivers the kept batches however the fault needs (reversed, twice, to another process),
 * signed afresh for the URL each goes to.
 */
export interface WebhookRelay {
  /** Point the sandbox's webhooks here. */
  url: string;
  /** Batches received so far (raw bodies), in arrival order. */
  batches: string[];
  /** POSTs one body to `target`, signed as HubSpot signs it; resolves with the status. */
  deliver(target: string, body: string): Promise<number>;
  close(): Promise<void>;
}

export async function startWebhookRelay(clientSecret: string): Promise<WebhookRelay> {
  const batches: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      batches.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/hubspot`,
    batches,
    async deliver(target, body) {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", ...signWebhook(clientSecret, target, body, Date.now()) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
