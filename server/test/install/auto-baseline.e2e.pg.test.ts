/**
 * No manual baseline: installing on a portal that already has records baselines them in the
 * background, so a runaway's reverts read no history; and a policy change re-provisions (new
 * shadow property), says which webhook subscriptions must be uploaded, and baselines again.
 */
import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerSetupCommands } from "../../src/cli/commands/setup.js";
import {
  PORTAL_ID,
  POLICY_AGENTS,
  startTollgateWithSandbox,
  type Harness,
} from "../helpers/start-tollgate-with-sandbox.js";

const OWNER = "owner-key-auto-baseline-0123456789";
const TENANT = String(PORTAL_ID);
const enrichment = { kind: "app", appId: String(POLICY_AGENTS.find((a) => a.id === "enrichment-bot")!.appId) } as const;
const IDS = ["900001", "900002", "900003"];

let h: Harness;

beforeAll(async () => {
  h = await startTollgateWithSandbox({
    env: { TOLLGATE_API_KEYS: JSON.stringify([{ key: OWNER, role: "owner", name: "olive", tenantId: TENANT }]) },
    beforeStart: (started) =>
      started.sandbox.seed(
        "contacts",
        IDS.map((id) => ({
          id,
          properties: { lifecyclestage: "lead", email: `p${id}@prospect.example`, jobtitle: "Engineer" },
        })),
      ),
  });
}, 60_000);
afterAll(async () => h?.close());

const historyReads = () => h.started.sandbox.stats().historyReads;

describe("setup after install, without a manual baseline", () => {
  it("baselines the portal's existing records in the background and reports it done", async () => {
    await h.tollgate.services.setup.idle(TENANT);
    const progress = h.tollgate.services.setup.progress(TENANT)!;
    expect(progress).toMatchObject({ state: "done", reason: "start", error: null });
    const contacts = progress.objects.find((o) => o.objectType === "contacts")!;
    expect(contacts.records).toBeGreaterThanOrEqual(IDS.length);

    const res = await fetch(`${h.baseUrl}/v1/setup`, { headers: { authorization: `Bearer ${OWNER}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { setup: unknown }).setup).toMatchObject({ state: "done" });
  });

  it("`tollgate setup status` prints the running server's progress per object", async () => {
    await h.tollgate.services.setup.idle(TENANT);
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: string) => void printed.push(line));
    try {
      const program = new Command("tollgate").exitOverride();
      registerSetupCommands(program, { TOLLGATE_URL: h.baseUrl, TOLLGATE_API_KEY: OWNER });
      await program.parseAsync(["node", "tollgate", "setup", "status"]);
    } finally {
      log.mockRestore();
    }
    const out = printed.join("\n");
    expect(out).toMatch(new RegExp(`^setup \\(start\\) for ${TENANT}: done · \\d+ properties created`));
    expect(out).toMatch(/ {2}contacts: \d+ records, \d+ values, \d+ calls/);
    expect(out).toContain("baseline so far:");
  });

  it("reverts a runaway's disallowed writes with no history read", async () => {
    await h.tollgate.services.setup.idle(TENANT);
    const before = historyReads();
    for (const id of IDS) h.started.sandbox.write("contacts", id, { lifecyclestage: "customer" }, enrichment);
    await h.settle();
    for (const id of IDS) expect(h.started.sandbox.getRecord("contacts", id)!.properties.lifecyclestage).toBe("lead");
    expect(historyReads() - before).toBe(0);
  });

  it("the history-read count counts: a read asking for history is one", async () => {
    const before = historyReads();
    const res = await fetch(`${h.started.sandbox.url}/crm/v3/objects/contacts/batch/read`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.started.tollgateToken}`, "content-type": "application/json" },
      body: JSON.stringify({ inputs: [{ id: IDS[0] }], properties: [], propertiesWithHistory: ["lifecyclestage"] }),
    });
    expect(res.status).toBe(200);
    expect(historyReads() - before).toBe(1);
  });

  it("a policy naming a new proposable field creates its shadow property and lists the subscriptions to upload", async () => {
    const doc = parseDocument(readFileSync("manifests/policy.yaml", "utf8"));
    doc.setIn(["roles", "enrichment", "objects", "contact", "fields", "jobtitle"], doc.createNode({ tier: 3 }));
    const res = await fetch(`${h.baseUrl}/v1/policy`, {
      method: "PUT",
      headers: { authorization: `Bearer ${OWNER}`, "content-type": "application/yaml" },
      body: doc.toString(),
    });
    expect(res.status).toBe(200);
    await h.tollgate.services.setup.idle(TENANT);
    const progress = h.tollgate.services.setup.progress(TENANT)!;
    expect(progress).toMatchObject({ state: "done", reason: "policy_change" });
    expect(progress.created).toBeGreaterThanOrEqual(1);
    expect(progress.subscriptionsToUpload).toEqual(
      expect.arrayContaining(["contact.jobtitle", "contact.ai_proposed_jobtitle"]),
    );
    const connector = await h.tollgate.internals.connectorFor(TENANT);
    const names = (await connector.listProperties("contacts")).map((p) => p.name);
    expect(names).toContain("ai_proposed_jobtitle");
    // …and baselines again, the new field included: its first revert reads no history either.
    expect(progress.objects.find((o) => o.objectType === "contacts")!.records).toBeGreaterThanOrEqual(IDS.length);
    const before = historyReads();
    for (const id of IDS) h.started.sandbox.write("contacts", id, { jobtitle: "CEO" }, enrichment);
    await h.settle();
    for (const id of IDS) expect(h.started.sandbox.getRecord("contacts", id)!.properties.jobtitle).toBe("Engineer");
    expect(historyReads() - before).toBe(0);
  });

  it("a background baseline that reads an agent's fresh write does not make it the value to restore", async () => {
    await h.tollgate.services.setup.idle(TENANT);
    const [fresh] = h.started.sandbox.seed("contacts", [
      { id: "900010", properties: { lifecyclestage: "lead", email: "fresh@prospect.example" } },
    ]);
    // The race, forced: the agent writes after the baseline began and before it reads the page.
    const connector = await h.tollgate.internals.connectorFor(TENANT);
    const list = connector.listRecords.bind(connector);
    const spy = vi.spyOn(connector, "listRecords").mockImplementation(async (objectType, properties, page) => {
      if (
        objectType === "contacts" &&
        h.started.sandbox.getRecord("contacts", fresh!.id)!.properties.lifecyclestage === "lead"
      )
        h.started.sandbox.write("contacts", fresh!.id, { lifecyclestage: "customer" }, enrichment);
      return list(objectType, properties, page);
    });
    const before = historyReads();
    try {
      h.tollgate.services.setup.run(TENANT, "start", { skipProvision: true });
      await h.tollgate.services.setup.idle(TENANT);
    } finally {
      spy.mockRestore();
    }
    expect(h.tollgate.services.setup.progress(TENANT)).toMatchObject({ state: "done", reason: "start" });
    await h.settle();
    expect(h.started.sandbox.getRecord("contacts", fresh!.id)!.properties.lifecyclestage).toBe("lead");
    const reverts = h.started.sandbox
      .history("contacts", fresh!.id, "lifecyclestage")
      .filter((e) => e.value === "lead" && e.sourceType !== "IMPORT");
    expect(reverts).toHaveLength(1);
    // The baseline's read is no prior for the write: the one history read of the new record is.
    expect(historyReads() - before).toBe(1);
  });
});
