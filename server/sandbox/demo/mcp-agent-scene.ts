import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ToolListChangedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { dim, green, red, say, short, yellow } from "./narrate.js";
import type { LocalStack } from "./start-local-stack.js";

/** What the demo reads of a tool's answer (docs/contracts.md, MCP). */
interface ToolAnswer {
  status?: string;
  decision: { outcome: string; reasons: string[] };
  approvalId?: string;
  properties?: Record<string, string | null>;
  withheld?: string[];
}

/**
 * The demo's MCP agent: an MCP SDK client scripted as enrichment-bot would act, given Tollgate
 * as its MCP server instead of a HubSpot token. It reads, proposes, is refused, and is stopped by
 * a kill switch mid-run.
 */
export async function runMcpAgentScene(s: LocalStack, keys: { agent: string; revops: string }): Promise<void> {
  let relisted = () => undefined as void;
  const connect = async () => {
    const c = new Client({ name: "enrichment-agent", version: "1.0.0" });
    c.setNotificationHandler(ToolListChangedNotificationSchema, () => relisted());
    await c.connect(
      new StreamableHTTPClientTransport(new URL(`${s.baseUrl}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${keys.agent}` } },
      }),
    );
    return c;
  };
  let client = await connect();
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
    return { isError: r.isError === true, body: r.structuredContent as unknown as ToolAnswer };
  };
  const setSwitch = (state: "on" | "off", reason: string) =>
    fetch(`${s.baseUrl}/v1/kill-switches`, {
      method: "PUT",
      headers: { authorization: `Bearer ${keys.revops}`, "content-type": "application/json" },
      body: JSON.stringify({ scope: { type: "agent", value: "enrichment-bot" }, state, reason }),
    });
  const tools = async () => (await client.listTools()).tools.map((t) => t.name).join(", ");
  try {
    say(`the agent connects to POST /mcp with its API key; tools/list shows it: ${await tools()}`);

    const read = await call("crm_get_record", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "102",
      properties: ["email", "firstname", "hs_lead_status"],
    });
    say(
      `crm_get_record contacts/102 → ${JSON.stringify(read.body.properties)}; withheld (its role may not read them): ${read.body.withheld?.join(", ")}`,
    );

    const applied = await call("crm_propose_change", {
      crm: "hubspot",
      objectType: "contact",
      objectId: "101",
      field: "phone",
      value: "+1 555 0142",
      confidence: 0.95,
      source: "apollo",
      reason: "direct line listed by the provider",
      evidence: { provider: "apollo", url: "https://apollo.example/p/101" },
    });
    await s.settle();
    const phone = s.started.sandbox.getRecord("contacts", "101")!.properties.phone;
    say(
      `crm_propose_change contacts/101 phone (confidence 0.95) → ${green(applied.body.decision.outcome)}: phone is now ${green(short(phone))}`,
    );

    const queued = await call("crm_propose_change", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "103",
      field: "email",
      value: "a.turing@globex.example",
      confidence: 0.6,
      source: "apollo",
      reason: "address on the company's team page",
    });
    say(
      `crm_propose_change contacts/103 email (confidence 0.6) → ${yellow(queued.body.decision.outcome)}: approval ${short(queued.body.approvalId, 13)} is on the record's card`,
    );

    const refused = await call("crm_update_field", {
      crm: "hubspot",
      objectType: "contacts",
      objectId: "101",
      field: "lifecyclestage",
      value: "customer",
      confidence: 0.99,
      source: "apollo",
      reason: "they bought",
    });
    say(
      `crm_update_field contacts/101 lifecyclestage → ${red(refused.isError ? "isError" : "ok")}: ${refused.body.status}`,
    );

    // A switch that changes nothing sends no notice: the wait is bounded.
    const relist = new Promise<void>((resolve) => {
      relisted = resolve;
      setTimeout(resolve, 5000).unref();
    });
    await setSwitch("on", "MCP demo: stop");
    await relist;
    // A switch over the agent closes its sessions; it connects again, to a read-only session.
    await client.close().catch(() => undefined);
    client = await connect();
    say(
      `Rita pulls agent:enrichment-bot mid-run → its session is closed; reconnected, its tools are: ${await tools()}`,
    );
    const stopped = await call("crm_update_field", {
      crm: "hubspot",
      objectType: "company",
      objectId: "5001",
      field: "industry",
      value: "Logistics",
      confidence: 0.95,
      source: "clearbit",
      reason: "provider says so",
    }).catch((err: unknown) => ({ isError: true, body: undefined, error: (err as Error).message }));
    say(
      `its next write → ${red(stopped.body ? stopped.body.decision.outcome : "refused")}: ${stopped.body ? stopped.body.decision.reasons.join("; ") : "error" in stopped ? stopped.error : ""}`,
    );
    await setSwitch("off", "MCP demo: done");
    say(dim("every one of these calls is in the audit with actor.via = mcp and its tool_name"));
  } finally {
    await client.close();
  }
}
