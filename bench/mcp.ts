/**
 * The governed MCP server's cost, on a real Tollgate (PostgreSQL, Redis, the HubSpot sandbox):
 *  (a) latency an MCP tool call adds over asking the gate directly — `request_action`
 *      (create_task, allowed with a permit: decided, counted, audited) through the MCP SDK's
 *      client over Streamable HTTP vs the same request to `POST /v1/actions`, both over
 *      keep-alive HTTP, in interleaved blocks; and the same pair in process (the SDK's in-memory
 *      transport vs `gate.handle`), which is the MCP layer alone;
 *  (b) MCP tool calls per second one process serves, 16 clients at once, beside `POST /v1/actions`.
 *
 *     npm run bench mcp      # DATABASE_URL/REDIS_URL, else the test stores
 *
 * Works in a schema and a Redis prefix of its own and removes both afterwards. Goal: ≤ 1 ms added
 * at the median.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { startLocalStack, type LocalStack } from "../server/sandbox/demo/start-local-stack.js";

const KEY = "bench-mcp-agent-key-0123456789";
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
const GATE_BODY = { action: "create_task", crm: "hubspot", object: "contact", objectId: "101", reason: "follow up" };

export interface McpFigures {
  http: { mcpMs: number; gateMs: number; addedMs: number; calls: number };
  inProcess: { mcpMs: number; gateMs: number; addedMs: number; calls: number; pairedAddedMs: number };
  throughput: { clients: number; mcpPerSecond: number; gatePerSecond: number };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function timed(n: number, once: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await once();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Medians of `a` and `b`, measured in alternating blocks so load drifts hit both alike. */
async function interleaved(blocks: number, perBlock: number, a: () => Promise<unknown>, b: () => Promise<unknown>) {
  const as: number[] = [];
  const bs: number[] = [];
  await timed(50, a);
  await timed(50, b);
  for (let i = 0; i < blocks; i++) {
    const first = i % 2 === 0;
    (first ? as : bs).push(...(await timed(perBlock, first ? a : b)));
    (first ? bs : as).push(...(await timed(perBlock, first ? b : a)));
  }
  return { a: median(as), b: median(bs), calls: as.length };
}

async function throughput(clients: number, ms: number, call: (client: number) => Promise<unknown>): Promise<number> {
  let done = 0;
  const until = performance.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < until) {
        await call(c);
        done++;
      }
    }),
  );
  return done / (ms / 1000);
}

export async function run(options: { blocks?: number; perBlock?: number; seconds?: number } = {}): Promise<McpFigures> {
  const blocks = options.blocks ?? 6;
  const perBlock = options.perBlock ?? 100;
  const seconds = options.seconds ?? 3;
  const stack: LocalStack = await startLocalStack({
    policyYaml: POLICY,
    databaseUrl: process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    redisUrl: process.env.REDIS_URL,
    env: {
      TOLLGATE_API_KEYS: JSON.stringify([{ key: KEY, role: "agent", agentId: "bench-bot", tenantId: "62515" }]),
      // The bench measures the MCP layer, not its budget.
      TOLLGATE_MCP_CALLS_PER_MINUTE: "100000000",
    },
  });
  const clients: Client[] = [];
  try {
    const connect = async (transport: StreamableHTTPClientTransport | InMemoryTransport) => {
      const client = new Client({ name: "bench-agent", version: "1.0.0" });
      await client.connect(transport);
      clients.push(client);
      return client;
    };
    const overHttp = () =>
      connect(
        new StreamableHTTPClientTransport(new URL(`${stack.baseUrl}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${KEY}` } },
        }),
      );
    const mcpCall = (client: Client) => async () => {
      const r = await client.callTool({ name: "request_action", arguments: { verb: "create_task", ...ARGS } });
      if (r.isError) throw new Error(`refused: ${JSON.stringify(r.structuredContent)}`);
    };
    const gateCall = async () => {
      const res = await fetch(`${stack.baseUrl}/v1/actions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify(GATE_BODY),
      });
      const body = (await res.json()) as { decision: { outcome: string } };
      if (body.decision.outcome !== "allow") throw new Error(`refused: ${JSON.stringify(body)}`);
    };
    const http = await interleaved(blocks, perBlock, mcpCall(await overHttp()), gateCall);

    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await stack.tollgate.services.mcp.connect(
      { tenantId: stack.tenantId, agentId: "bench-bot", name: "bench" },
      serverSide,
    );
    const local = await connect(clientSide);
    const caller = { role: "agent", name: "bench", via: "api_key", agentId: "bench-bot" };
    const inProcess = await interleaved(blocks, perBlock, mcpCall(local), () =>
      stack.tollgate.internals.actionGate.handle(stack.tenantId, caller, GATE_BODY),
    );

    // Paired, per call: the MCP call's time minus the time the same call spent inside the gate.
    // Load drifts between two separate runs cancel out; what is left is the MCP layer's own cost.
    const gate = stack.tollgate.internals.actionGate;
    const handle = gate.handle.bind(gate);
    let inGate = 0;
    gate.handle = async (...args) => {
      const t0 = performance.now();
      try {
        return await handle(...args);
      } finally {
        inGate = performance.now() - t0;
      }
    };
    const layer: number[] = [];
    for (let i = 0; i < blocks * perBlock; i++) {
      const t0 = performance.now();
      await mcpCall(local)();
      layer.push(performance.now() - t0 - inGate);
    }
    gate.handle = handle;

    const n = 16;
    const pool = await Promise.all(Array.from({ length: n }, overHttp));
    const mcpPerSecond = await throughput(n, seconds * 1000, (c) => mcpCall(pool[c]!)());
    const gatePerSecond = await throughput(n, seconds * 1000, gateCall);
    return {
      http: { mcpMs: http.a, gateMs: http.b, addedMs: http.a - http.b, calls: http.calls },
      inProcess: {
        mcpMs: inProcess.a,
        gateMs: inProcess.b,
        addedMs: inProcess.a - inProcess.b,
        calls: inProcess.calls,
        pairedAddedMs: median(layer),
      },
      throughput: { clients: n, mcpPerSecond, gatePerSecond },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await stack.close();
  }
}

export function report(f: McpFigures): void {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `request_action (create_task → permit; decided, counted, audited), median of ${f.http.calls} calls each, interleaved:`,
  );
  console.log(
    `  over HTTP:   MCP tools/call ${ms(f.http.mcpMs)}  vs  POST /v1/actions ${ms(f.http.gateMs)}  → MCP adds ${ms(f.http.addedMs)} (goal ≤ 1 ms)`,
  );
  console.log(
    `  in process:  MCP (in-memory transport) ${ms(f.inProcess.mcpMs)}  vs  gate.handle ${ms(f.inProcess.gateMs)}  → the MCP layer adds ${ms(f.inProcess.addedMs)}`,
  );
  console.log(
    `  in process, paired per call (MCP call minus its own time in the gate): the MCP layer adds ${ms(f.inProcess.pairedAddedMs)} at the median (goal ≤ 1 ms)`,
  );
  console.log(
    `throughput, ${f.throughput.clients} clients, one process: ${f.throughput.mcpPerSecond.toFixed(0)} MCP calls/s  vs  ${f.throughput.gatePerSecond.toFixed(0)} POST /v1/actions/s`,
  );
}
