import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, it } from "vitest";
import { LOCAL_TOLLGATE_APP_ID } from "../../sandbox/demo/start-local-stack.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../helpers/test-database.js";
import { KEYS, apiKeys, connectClient, startMcpHarness, type AgentClient } from "./mcp-harness.js";
import {
  deniedWriteIsRefused,
  killSwitchStopsAgent,
  otherTenantSeesNothing,
  proposalLandsAsApproval,
  seesOnly,
  type McpTarget,
} from "./mcp-scenarios.js";
import { ENRICHMENT_TOOLS, HUBSPOT_SCENARIO } from "./hubspot-scenario-data.js";

/**
 * `tollgate mcp` (stdio) end to end: the MCP SDK's client spawns the real CLI, which joins the
 * running Tollgate's PostgreSQL schema and Redis namespace — so its decisions, approvals, switches
 * and audit chain are the server's.
 */
describe("the governed MCP server over stdio (tollgate mcp)", () => {
  let h: Harness;
  let agent: AgentClient;

  function spawnAgent(key: string): Promise<AgentClient> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["server/bin/tollgate.js", "mcp", "--redis-prefix", h.prefix],
      env: {
        ...(process.env as Record<string, string>),
        DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${h.t.schema}`)}`,
        REDIS_URL: TEST_REDIS_URL,
        TOLLGATE_POLICY: "manifests/policy.yaml",
        HUBSPOT_ACCESS_TOKEN: h.started.tollgateToken,
        HUBSPOT_PORTAL_ID: h.tenantId,
        HUBSPOT_APP_ID: String(LOCAL_TOLLGATE_APP_ID),
        HUBSPOT_CLIENT_SECRET: HUBSPOT_TEST_CLIENT_SECRET,
        HUBSPOT_API_BASE_URL: h.started.sandbox.url,
        TOLLGATE_API_KEYS: apiKeys(h.tenantId),
        TOLLGATE_AGENT_KEY: key,
        LOG_LEVEL: "silent",
      },
      stderr: "pipe",
    });
    return connectClient(transport);
  }

  let target: McpTarget;
  const d = HUBSPOT_SCENARIO;

  beforeAll(async () => {
    h = await startMcpHarness();
    target = { h, tenantId: h.tenantId, crm: "hubspot", connect: spawnAgent };
    agent = await spawnAgent(KEYS.enrichment);
  }, 60_000);
  afterAll(async () => {
    await agent?.close();
    await h?.close();
  });

  it("shows the enrichment agent only its tools", async () => {
    await seesOnly(agent, ENRICHMENT_TOOLS);
  });

  it("refuses a denied write with reasons and audits it in the server's chain", async () => {
    await deniedWriteIsRefused(target, agent, "crm_update_field", d.deniedWrite, d.deniedReason);
  });

  let proposal: { approvalId: string; eventId: string };
  it("lands a proposal as an approval in the card API", async () => {
    proposal = await proposalLandsAsApproval(target, agent, d.proposal, d.cardObjectType);
  });

  it("closes the session when a kill switch is pulled in the server; a new one is read-only until it lifts", async () => {
    agent = await killSwitchStopsAgent(target, agent, "enrichment-bot", KEYS.enrichment, d.killWrite, d.read);
  }, 60_000);

  it("never lets another tenant's agent key reach this tenant", async () => {
    await otherTenantSeesNothing(target, d.otherTenantRead, d.secret, proposal);
    // It spawns another `tollgate mcp`: a process start, not a test step, sets the pace.
  }, 60_000);
});
