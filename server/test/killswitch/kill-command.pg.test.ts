import { Command } from "commander";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { killCommand, parseScopeArgument, registerKillCommands, resumeCommand } from "../../src/cli/commands/kill.js";
import type { CliServices } from "../../src/cli/services.js";
import { createKillSwitchHarness, type KillSwitchHarness } from "./helpers.js";

let h: KillSwitchHarness;
beforeAll(async () => {
  h = await createKillSwitchHarness("ks-cli");
});
afterAll(async () => h?.teardown());

describe("tollgate kill / resume", () => {
  it("parses --scope like the HTTP body, and refuses bad input naming the option", () => {
    expect(parseScopeArgument("agent:enrichment-bot", "on", "runaway").scope).toEqual({
      type: "agent",
      value: "enrichment-bot",
    });
    expect(parseScopeArgument("tenant", "on", "incident").scope).toEqual({ type: "tenant" });
    expect(parseScopeArgument("domain:mail.acme.test", "off", "warmed up").scope).toEqual({
      type: "domain",
      value: "mail.acme.test",
    });
    expect(() => parseScopeArgument("agent", "on", "runaway")).toThrow(/--scope "agent": scope agent needs a value/);
    expect(() => parseScopeArgument("planet:earth", "on", "runaway")).toThrow(/--scope/);
    expect(() => parseScopeArgument("agent:x", "on", "")).toThrow(/--reason/);
  });

  it("puts an agent into read-only mode with one command and takes it out with another, audited with the operator", async () => {
    const svc = h.service();
    const on = await killCommand(
      svc,
      "acme",
      { scope: "agent:enrichment-bot", reason: "writing junk" },
      { id: "cli:ops", role: "owner" },
    );
    expect(on).toMatchObject({ state: "on", who: { id: "cli:ops", via: "cli" } });
    expect((await svc.active("acme")).active.has("agent:enrichment-bot")).toBe(true);
    await resumeCommand(
      svc,
      "acme",
      { scope: "agent:enrichment-bot", reason: "fixed" },
      { id: "cli:ops", role: "owner" },
    );
    expect((await svc.active("acme")).active.size).toBe(0);
    const events = (await h.audit.query({ tenantId: "acme" })).events;
    expect(events.map((e) => [e.actor.id, e.actor.via, e.reason])).toEqual([
      ["cli:ops", "cli", "fixed"],
      ["cli:ops", "cli", "writing junk"],
    ]);
  });

  it("registers kill, resume and kill-switches on a commander program", async () => {
    const tenant = `cli-${randomBytes(4).toString("hex")}`;
    const services = async () =>
      ({
        runtime: { services: { killSwitches: h.service() } },
        defaultTenant: tenant,
        operator: { type: "human", id: "cli:tester", role: "owner", via: "cli" },
        close: async () => undefined,
      }) as unknown as CliServices;
    const program = new Command("tollgate").exitOverride();
    registerKillCommands(program, services);
    const out = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await program.parseAsync(["node", "tollgate", "kill", "--scope", "channel:sends", "--reason", "bounce spike"]);
      await program.parseAsync(["node", "tollgate", "kill-switches"]);
      expect(out.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^channel:email on — bounce spike — by cli:tester/),
        expect.stringMatching(/^channel:email on — bounce spike/),
      ]);
    } finally {
      out.mockRestore();
    }
    expect((await h.service().history(tenant)).map((s) => s.scope)).toEqual([{ type: "channel", value: "email" }]);
  });
});
