import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { startLocalStack } from "../server/sandbox/demo/start-local-stack.js";
const POLICY = `
version: 1
tenant: default
agents:
  - { id: bench-bot, role: bench }
roles:
  bench:
    objects: { contact: { read: allow, fields: { email: { tier: 1 } } } }
    actions:
      create_task: { tier: 2 }
`;
const ARGS = { crm: "hubspot", objectType: "contacts", objectId: "101", reason: "follow up" } as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stack = await startLocalStack({ policyYaml: POLICY, databaseUrl: "postgres://postgres@127.0.0.1:5432/test", env: { TOLLGATE_MCP_CALLS_PER_MINUTE: "100000000" } });
const [c, s] = InMemoryTransport.createLinkedPair();
await stack.tollgate.services.mcp.connect({ tenantId: stack.tenantId, agentId: "bench-bot", name: "bench" }, s);
const client = new Client({ name: "b", version: "1" });
await client.connect(c);
const ag = stack.tollgate.internals.actionGate as any;
const real = await ag.handle(stack.tenantId, { role: "agent", name: "bench", via: "api_key", agentId: "bench-bot" }, { action: "create_task", crm: "hubspot", object: "contact", objectId: "101", reason: "x" });
ag.handle = async () => real;
const mcp = () => client.callTool({ name: "request_action", arguments: { verb: "create_task", ...ARGS } });
for (let r = 0; r < 4; r++) {
  const out: number[] = [];
  for (let i = 0; i < 1000; i++) { const t = performance.now(); await mcp(); out.push(performance.now() - t); }
  console.log(`mcp layer (gate stubbed) median ${median(out).toFixed(3)} ms`);
}
await client.close(); await stack.close(); process.exit(0);
