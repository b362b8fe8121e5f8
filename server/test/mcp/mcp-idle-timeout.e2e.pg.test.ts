import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../helpers/start-tollgate-with-sandbox.js";
import { eventually } from "../killswitch/helpers.js";
import { KEYS, connectClient, httpTransport, startMcpHarness } from "./mcp-harness.js";

/** Sessions nobody uses are closed after TOLLGATE_MCP_IDLE_TIMEOUT_S and forgotten; a used one stays. */
describe("MCP session idle timeout", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startMcpHarness({ TOLLGATE_MCP_IDLE_TIMEOUT_S: "1" });
  }, 60_000);
  afterAll(() => h?.close());

  it("closes and forgets an idle session; the client must initialize again", async () => {
    const { mcp } = h.tollgate.services;
    const idle = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
    const busy = await connectClient(httpTransport(h.baseUrl, KEYS.outreach));
    try {
      expect(mcp.sessionCount(h.tenantId)).toBe(2);
      // The busy agent keeps calling; the idle one says nothing.
      const deadline = Date.now() + 2_500;
      while (Date.now() < deadline) {
        await busy.toolNames();
        await new Promise((r) => setTimeout(r, 200));
      }
      await eventually(() => mcp.sessionCount(h.tenantId) === 1, 5_000);
      await expect(idle.toolNames()).rejects.toThrow();
      expect((await busy.toolNames()).length).toBeGreaterThan(0);
      const again = await connectClient(httpTransport(h.baseUrl, KEYS.enrichment));
      expect(await again.toolNames()).toContain("crm_propose_change");
      await again.close();
    } finally {
      await idle.close().catch(() => undefined);
      await busy.close();
    }
  }, 30_000);
});
