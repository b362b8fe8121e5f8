/**
 * Issue 3 benchmark: a runaway agent makes 10,000 disallowed writes across 10,000 contacts in
 * the sandbox. Figures: CRM calls per 1,000 reverts (goal ≤ 12), 429s provoked (goal 0), and
 * seconds until every write is undone. The contacts exist before Tollgate is installed, and no
 * baseline is taken by hand: install (start, in private-app mode) baselines in the background and
 * the runaway begins once setup reports done. Also the same for contacts created after install,
 * which the baseline never saw (history reads).
 *
 * `npm run bench runaway-revert` (BENCH_RECORDS to change the size). Uses DATABASE_URL, else
 * the local test PostgreSQL, and Redis on REDIS_URL.
 */
import { pathToFileURL } from "node:url";
import { startLocalStack } from "../server/sandbox/demo/start-local-stack.js";

const TENANT = "62515";
const agent = { kind: "app", appId: "1000002" } as const;

async function runaway(records: number, withBaseline: boolean) {
  const ids = Array.from({ length: records }, (_, i) => String(100_000 + i));
  const seed = (sandbox: {
    seed: (type: string, records: { id: string; properties: Record<string, string> }[]) => unknown;
  }) =>
    sandbox.seed(
      "contacts",
      ids.map((id) => ({ id, properties: { lifecyclestage: "lead", email: `p${id}@prospect.example` } })),
    );
  const stack = await startLocalStack({
    databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    redisUrl: process.env.REDIS_URL,
    // Installed on a portal that already has its contacts: the automatic baseline sees them.
    beforeStart: withBaseline ? (started) => seed(started.sandbox) : undefined,
  });
  try {
    const { sandbox } = stack.started;
    const total = () => Object.values(sandbox.stats().calls).reduce((a, b) => a + b, 0);
    // No baseline by hand: wait for the one install started in the background to report done.
    await stack.tollgate.services.setup.idle(TENANT);
    // The contrast case: contacts created once setup is done, so no baseline saw them.
    if (!withBaseline) seed(sandbox);
    const setup = stack.tollgate.services.setup.progress(TENANT);
    const baselineCalls = (setup?.objects ?? []).reduce((n, o) => n + o.calls, 0);
    const callsBefore = total();
    const limitedBefore = sandbox.stats().rateLimited;
    const historyBefore = sandbox.stats().historyReads;
    const t0 = performance.now();
    for (const id of ids) sandbox.write("contacts", id, { lifecyclestage: "customer" }, agent);
    await stack.settle();
    const seconds = (performance.now() - t0) / 1000;
    const reverted = ids.filter((id) => sandbox.getRecord("contacts", id)!.properties.lifecyclestage === "lead").length;
    const calls = total() - callsBefore;
    const stats = sandbox.stats();
    const byRoute = Object.entries(stats.calls)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r}=${n}`)
      .join(", ");
    return {
      records,
      withBaseline,
      reverted,
      calls,
      perThousand: (calls / reverted) * 1000,
      rateLimited: stats.rateLimited - limitedBefore,
      historyReads: stats.historyReads - historyBefore,
      seconds,
      baselineCalls,
      webhookRequests: stats.webhookRequests,
      byRoute,
    };
  } finally {
    await stack.close();
  }
}

export async function run(): Promise<void> {
  const n = Number(process.env.BENCH_RECORDS ?? 10_000);
  for (const [records, withBaseline] of [
    [n, true],
    [Math.min(n, 2_000), false],
  ] as const) {
    const r = await runaway(records, withBaseline);
    console.log(
      `runaway ${r.records} disallowed writes, ${r.withBaseline ? `contacts baselined automatically at install (${r.baselineCalls} list calls, no manual step)` : "contacts created after install, unseen by the baseline (history reads)"}:`,
    );
    console.log(
      `  reverted ${r.reverted}/${r.records} in ${r.seconds.toFixed(1)} s (${(r.reverted / r.seconds).toFixed(0)} reverts/s)`,
    );
    // The goal is issue 11's: install, then the runaway, with no baseline by hand. Records the
    // baseline never saw are shown for contrast only: each costs a history read.
    const goal = r.withBaseline ? "goal ≤ 12" : "no goal: records unseen by the baseline, for contrast";
    console.log(
      `  CRM calls ${r.calls} → ${r.perThousand.toFixed(1)} per 1,000 reverts (${goal}); 429s provoked: ${r.rateLimited} (goal 0)`,
    );
    console.log(
      `  history reads during the runaway: ${r.historyReads}; webhook POSTs received: ${r.webhookRequests}; calls by route (whole run): ${r.byRoute}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await run();
  process.exit(0);
}
