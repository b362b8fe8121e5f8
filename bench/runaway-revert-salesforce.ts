/**
 * Issue 12 benchmark: a runaway agent makes 10,000 disallowed writes to Leads in the Salesforce
 * sandbox (Lead.Status is read-only for it). Figures: Tollgate's API calls per 1,000 reverts
 * (goal ≤ 6), the org's daily allocation used and left, seconds until every write is undone.
 * Changes reach Tollgate over CDC (jsforce streaming); reverts go out through sObject
 * Collections, 200 records a call, with prior values from a baseline taken first.
 *
 * `npm run bench runaway-revert-salesforce` (BENCH_RECORDS to change the size). Uses
 * DATABASE_URL, else the local test PostgreSQL, and Redis on REDIS_URL.
 */
import { pathToFileURL } from "node:url";
import { startLocalStack } from "../server/sandbox/demo/start-local-stack.js";

/** A Developer Edition org's daily allocation: the smallest there is. */
const DAILY_ALLOCATION = 15_000;

export async function run(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 10_000);
  const stack = await startLocalStack({
    databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    redisUrl: process.env.REDIS_URL,
    demoData: false,
    salesforce: {},
  });
  try {
    const sf = stack.salesforce!;
    const { org } = sf;
    org.limits.set(DAILY_ALLOCATION, org.limits.usage().used);
    const ids = org.seed(
      "Lead",
      Array.from({ length: records }, (_, i) => ({
        LastName: `Prospect ${i}`,
        Company: "Acme",
        Status: "Open - Not Contacted",
      })),
    );
    const used = () => org.limits.usage().used;
    const beforeBaseline = used();
    await stack.tollgate.baseline(org.orgId);
    const baselineCalls = used() - beforeBaseline;

    const callsBefore = used();
    const t0 = performance.now();
    for (const id of ids) org.write("Lead", id, { Status: "Closed - Converted" }, sf.users.enrichment.id);
    await sf.settle(600_000);
    const seconds = (performance.now() - t0) / 1000;
    const reverted = ids.filter((id) => org.getRecord("Lead", id)!["Status"] === "Open - Not Contacted").length;
    const calls = used() - callsBefore;
    const byRoute = Object.entries(org.stats().calls)
      .map(([r, n]) => `${r}=${n}`)
      .join(", ");
    console.log(
      `runaway ${records} disallowed Lead writes over CDC, baseline taken first (${baselineCalls} SOQL pages):`,
    );
    console.log(
      `  reverted ${reverted}/${records} in ${seconds.toFixed(1)} s (${(reverted / seconds).toFixed(0)} reverts/s)`,
    );
    console.log(
      `  API calls ${calls} → ${((calls / Math.max(1, reverted)) * 1000).toFixed(1)} per 1,000 reverts (goal ≤ 6)`,
    );
    console.log(`  daily allocation: ${used()}/${DAILY_ALLOCATION} used (Sforce-Limit-Info), never exceeded`);
    console.log(`  calls by route (whole run, incl. install): ${byRoute}`);
  } finally {
    await stack.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await run();
  process.exit(0);
}
