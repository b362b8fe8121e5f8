import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface AlertReceiver {
  /** For TOLLGATE_ALERT_WEBHOOK_URL. */
  url: string;
  /** Every alert body received, parsed, oldest first. */
  alerts: Record<string, unknown>[];
  close(): void;
}

/** A loopback endpoint standing in for the operator's alert webhook: it keeps what Tollgate posts. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const alerts: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      alerts.push(JSON.parse(body) as Record<string, unknown>);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    alerts,
    close: () => server.close(),
  };
}
