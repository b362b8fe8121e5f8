import { describe, expect, it } from "vitest";
import { createSetupRunner, type SetupObjectProgress } from "../../src/install/index.js";

/** A step the test releases by hand, so "in the background" is observable. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("createSetupRunner", () => {
  it("provisions, then baselines in the background, reporting progress per object", async () => {
    const provisioned = gate();
    const calls: string[] = [];
    const setup = createSetupRunner({
      provision: async (t) => {
        calls.push(`provision ${t}`);
        await provisioned.opened;
        return { created: 3 };
      },
      baseline: async (t, onObject) => {
        calls.push(`baseline ${t}`);
        onObject({ objectType: "contacts", records: 120, values: 240, calls: 2 });
        onObject({ objectType: "companies", records: 7, values: 7, calls: 1 });
      },
    });

    setup.run("62515", "install");
    // run() returned at once: provisioning is still waiting.
    expect(setup.progress("62515")).toMatchObject({ state: "provisioning", reason: "install", finishedAt: null });
    provisioned.open();
    await setup.idle("62515");
    const p = setup.progress("62515")!;
    expect(p).toMatchObject({ state: "done", created: 3, error: null });
    expect(p.objects.map((o: SetupObjectProgress) => [o.objectType, o.records])).toEqual([
      ["contacts", 120],
      ["companies", 7],
    ]);
    expect(calls).toEqual(["provision 62515", "baseline 62515"]);
    expect(setup.progress("other")).toBeUndefined();
  });

  it("runs one at a time per tenant: requests during a run become one more run, provisioning if any asked", async () => {
    const first = gate();
    const calls: string[] = [];
    const setup = createSetupRunner({
      provision: async () => {
        calls.push("provision");
        return { created: 0 };
      },
      baseline: async () => {
        calls.push("baseline");
        if (calls.length === 1) await first.opened;
      },
    });
    setup.run("t", "start", { skipProvision: true });
    setup.run("t", "policy_change", { subscriptionsToUpload: ["contact.title"] });
    setup.run("t", "policy_change", { skipProvision: true, subscriptionsToUpload: ["deal.amount"] });
    first.open();
    await setup.idle("t");
    expect(calls).toEqual(["baseline", "provision", "baseline"]);
    expect(setup.progress("t")).toMatchObject({
      state: "done",
      reason: "policy_change",
      subscriptionsToUpload: ["contact.title", "deal.amount"],
    });
  });

  it("a failure is reported in the progress and to onError, and the next run starts clean", async () => {
    const errors: unknown[] = [];
    let fail = true;
    const setup = createSetupRunner({
      provision: async () => ({ created: 0 }),
      baseline: async () => {
        if (fail) throw new Error("HubSpot answered 503");
      },
      onError: (_t, err) => errors.push(err),
    });
    setup.run("t", "install");
    await setup.idle("t");
    expect(setup.progress("t")).toMatchObject({ state: "failed", error: "HubSpot answered 503" });
    expect(errors).toHaveLength(1);
    fail = false;
    setup.run("t", "policy_change");
    await setup.idle("t");
    expect(setup.progress("t")).toMatchObject({ state: "done", error: null });
  });
});
