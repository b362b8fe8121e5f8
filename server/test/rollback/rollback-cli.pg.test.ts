import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Command } from "commander";
import { registerRollbackCommands, renderProgress } from "../../src/cli/commands/rollback.js";
import { registerExceptionCommands } from "../../src/cli/commands/exceptions.js";
import { registerQaCommands } from "../../src/cli/commands/qa.js";
import { createExceptionQueue } from "../../src/exceptions/index.js";
import { createQaSampler } from "../../src/qa/index.js";
import { AGENT_APP, OWNER, REP, startRollbackHarness, type RollbackHarness } from "./rollback-harness.js";

const TENANT = "cli-tenant";
let h: RollbackHarness;
let out: string;

function program(operator = OWNER, isTTY = true) {
  const p = new Command("tollgate").exitOverride().configureOutput({ writeErr: () => undefined });
  const io = {
    write: (t: string) => void (out += t),
    isTTY,
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 20))),
  };
  registerRollbackCommands(p, async () => ({ rollback: h.rollback, defaultTenant: TENANT, operator }), io);
  registerQaCommands(
    p,
    async () => ({
      qa: createQaSampler({ db: h.t.db, audit: h.audit, policyFor: () => ({ sample_rate: 1 }) }),
      defaultTenant: TENANT,
      operator,
    }),
    io,
  );
  registerExceptionCommands(
    p,
    async () => ({ exceptions: createExceptionQueue({ db: h.t.db, audit: h.audit }), defaultTenant: TENANT, operator }),
    io,
  );
  return p;
}
const run = (args: string[], operator = OWNER, isTTY = true) => {
  out = "";
  return program(operator, isTTY).parseAsync(["node", "tollgate", ...args]);
};

beforeAll(async () => {
  h = await startRollbackHarness(TENANT);
  await h.change({ objectId: "1", property: "jobtitle", value: "CTO", at: "08:00:00", sourceId: REP });
  await h.change({
    objectId: "1",
    property: "jobtitle",
    value: "Chief Technology Officer",
    at: "09:00:00",
    sourceId: AGENT_APP,
  });
  await h.change({ objectId: "2", property: "industry", value: "Retail", at: "08:00:00", sourceId: REP });
  await h.change({ objectId: "2", property: "industry", value: "E-commerce", at: "09:00:00", sourceId: AGENT_APP });
  await h.change({ objectId: "3", property: "lifecyclestage", value: "customer", at: "09:00:00", sourceId: AGENT_APP });
}, 60_000);
afterAll(async () => h?.close());

describe("tollgate rollback", () => {
  it("renders a progress bar", () => {
    expect(renderProgress(0, 4, 8)).toBe("[--------] 0/4   0%");
    expect(renderProgress(2, 4, 8)).toBe("[####----] 2/4  50%");
    expect(renderProgress(0, 0, 8)).toBe("[########] 0/0 100%");
  });

  it("prints a dry run's plan and changes nothing", async () => {
    await run(["rollback", "--agent", "enrichment-bot", "--dry-run"]);
    expect(out).toContain("dry run: would restore 2 value(s); 0 conflict(s)");
    expect(out).toContain('restore contacts/1 jobtitle → "CTO"');
    expect(out).not.toContain("job ");
    expect((await h.t.db.query("SELECT 1 FROM crm_writes WHERE purpose = 'rollback'")).rowCount).toBe(0);
  });

  it("refuses --force to anyone but an owner, and a bad --last", async () => {
    await expect(run(["rollback", "--last", "1", "--force"], { ...OWNER, role: "revops_admin" })).rejects.toThrow(
      /only an owner/,
    );
    await expect(run(["rollback", "--last", "0"])).rejects.toThrow(/1 to 10000/);
  });

  it("follows the job with a progress bar redrawn in place until it is done", async () => {
    await run(["rollback", "--last", "2"]);
    expect(out).toMatch(/job [0-9a-f-]{36}/);
    expect(out).toMatch(/\r\[#+\] 2\/2 100% done/);
    expect(out).toContain("done: 2 written, 0 failed, 0 conflict(s)");
    expect(h.crm.get("contacts", "1")?.jobtitle).toBe("CTO");
    expect(h.crm.get("contacts", "2")?.industry).toBe("Retail");
  });
});

describe("tollgate qa and tollgate exceptions", () => {
  it("reviews a sampled action and works an exception", async () => {
    const qa = createQaSampler({ db: h.t.db, audit: h.audit, policyFor: () => ({ sample_rate: 1 }) });
    await qa.recordDecisionForQa(
      (await h.audit.query({ tenantId: TENANT, agentId: "enrichment-bot", limit: 50 })).events,
    );
    await run(["qa", "list"]);
    const id = /^(\S+) /.exec(out)![1]!;
    await run([
      "qa",
      "review",
      id,
      "--verdict",
      "fail",
      "--score",
      "data_correctness=2",
      "--score",
      "crm_hygiene=pass",
      "--notes",
      "wrong",
    ]);
    expect(out).toMatch(new RegExp(`reviewed ${id}: fail`));
    expect((await qa.get(TENANT, id))?.scorecard).toEqual({ data_correctness: 2, crm_hygiene: "pass" });
    await expect(run(["qa", "review", id, "--verdict", "pass", "--score", "nonsense=1"])).rejects.toThrow(/LINE=SCORE/);

    await run(["exceptions", "list", "--state", "open"]);
    const exId = /^(\S+) /.exec(out)![1]!;
    await run(["exceptions", "assign", exId, "owen"]);
    expect(out).toContain(`${exId} owned by owen`);
    await run(["exceptions", "transition", exId, "reviewing", "--note", "looking"]);
    expect(out).toContain(`${exId} is reviewing`);
    await expect(run(["exceptions", "transition", exId, "open"])).rejects.toThrow(/can move to/);
  });
});
