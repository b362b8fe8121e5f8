import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { SandboxWebhookEvent } from "../../sandbox/hubspot/index.js";

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  rawBody: string;
  events: SandboxWebhookEvent[];
}

/** A stand-in webhook endpoint on 127.0.0.1 that keeps every POST; `answer` picks each status. */
export async function startWebhookReceiver(answer: (postIndex: number) => number = () => 200) {
  const posts: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const index = posts.length;
      posts.push({ headers: req.headers, rawBody, events: JSON.parse(rawBody) as SandboxWebhookEvent[] });
      res.statusCode = answer(index);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/hubspot`,
    posts,
    events: () => posts.flatMap((p) => p.events),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
