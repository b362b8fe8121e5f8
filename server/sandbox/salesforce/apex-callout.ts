import { signTollgateRequest } from "../../src/webhooks/index.js";

/**
 * What the package's Apex (`TollgateClient`) sends through the Named Credential `Tollgate`
 * (docs/contracts.md, Salesforce card requests): the acting user beside the route's fields in a
 * POST body, or in `X-Tollgate-Context` for a GET, signed with the org's secret. For the demo and
 * the tests, which have no org to run the Apex in.
 */
export async function apexCallout(
  tollgateUrl: string,
  secret: string,
  method: "GET" | "POST",
  path: string,
  signed: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const json = JSON.stringify(signed);
  const signature = signTollgateRequest((t) => `${t}.${method}${path}.${json}`, secret, Date.now());
  const res = await fetch(`${tollgateUrl}${path}`, {
    method,
    headers: {
      "x-tollgate-signature": signature,
      "content-type": "application/json",
      ...(method === "GET" ? { "x-tollgate-context": json } : {}),
    },
    ...(method === "POST" ? { body: json } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
