/**
 * Runs the HubSpot sandbox on its own and prints the tokens to use with it:
 *
 *   tsx server/sandbox/hubspot/main.ts --port 4010 --webhook-url http://127.0.0.1:3000/webhooks/hubspot
 *
 * `HUBSPOT_CLIENT_SECRET` and `HUBSPOT_APP_ID` are read like the backend reads them, so webhook
 * signatures and Tollgate's own writes line up with a backend started from the same environment.
 */
import { parseArgs } from "node:util";
import { startSandbox } from "./start-sandbox.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env["SANDBOX_PORT"] ?? "4010" },
    "webhook-url": { type: "string", default: process.env["SANDBOX_WEBHOOK_URL"] },
    "rate-limit": { type: "string", default: "190" },
    agent: { type: "string", multiple: true, default: ["enrichment-bot=123456"] },
    user: { type: "string", multiple: true, default: ["rep=7001"] },
  },
});

const pairs = (list: string[]): [string, number][] =>
  list.map((entry) => {
    const [name, id] = entry.split("=");
    return [name ?? entry, Number(id)];
  });

const { sandbox, tollgateToken, agentTokens, userTokens } = await startSandbox({
  port: Number(values.port),
  clientSecret: process.env["HUBSPOT_CLIENT_SECRET"] ?? "sandbox-client-secret",
  clientId: process.env["HUBSPOT_CLIENT_ID"] ?? "sandbox-client-id",
  appId: Number(process.env["HUBSPOT_APP_ID"] ?? 4242),
  webhookTargetUrl: values["webhook-url"],
  rateLimit: { max: Number(values["rate-limit"]) },
  agents: pairs(values.agent).map(([id, appId]) => ({ id, appId })),
  users: pairs(values.user).map(([name, userId]) => ({ name, userId })),
});

const lines = [
  `HubSpot sandbox listening on ${sandbox.url} (portal ${sandbox.portalId}, app ${sandbox.appId})`,
  `webhooks → ${values["webhook-url"] ?? "(none: pass --webhook-url)"}`,
  `HUBSPOT_API_BASE_URL=${sandbox.url}`,
  `HUBSPOT_PORTAL_ID=${sandbox.portalId}`,
  `HUBSPOT_ACCESS_TOKEN=${tollgateToken}`,
  ...Object.entries(agentTokens).map(([id, token]) => `agent ${id}: ${token}`),
  ...Object.entries(userTokens).map(([name, token]) => `user ${name}: ${token}`),
];
process.stdout.write(`${lines.join("\n")}\n`);

const stop = (): void => void sandbox.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
