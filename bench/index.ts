/**
 * `npm run bench [name…]`: runs the benchmarks one after another and prints their figures.
 * Benchmarks are measurements, not tests: nothing here passes or fails on timing.
 */
/** A benchmark module: `run()` measures (and may print); `report()`, when present, prints what run returned. */
interface Bench {
  run: () => Promise<unknown>;
  report?: (figures: never) => void;
}
const BENCHES: Record<string, () => Promise<Bench>> = {
  "policy-vs-cedar": () => import("./policy-vs-cedar.js"),
  "audit-append": () => import("./audit-append.js"),
  "webhook-ingest": () => import("./webhook-ingest.js"),
  "crm-write-queue": () => import("./crm-write-queue.js"),
  "runaway-revert": () => import("./runaway-revert.js"),
  "runaway-revert-salesforce": () => import("./runaway-revert-salesforce.js"),
  approvals: () => import("./approvals.js"),
  "runaway-trip": () => import("./runaway-trip.js"),
  faults: () => import("./faults.js"),
  mcp: () => import("./mcp.js"),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHES)) {
  console.log(`\n=== ${name}`);
  try {
    const mod = await BENCHES[name]!();
    const figures = await mod.run();
    mod.report?.(figures as never);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND")
      console.log(`(not available: ${(err as Error).message.split("\n")[0]})`);
    else throw err;
  }
}
process.exit(process.exitCode ?? 0);
