import type { SetupProgress } from "./create-setup-runner.js";

/**
 * The background setup (provisioning, then the baseline) as an operator reads it in a terminal
 * (`tollgate setup status`; docs/operations.md#install-and-setup): one line for the run, one per
 * object baselined, and what a policy change needs uploaded.
 */
export function formatSetupProgress(progress: SetupProgress | null, now: Date = new Date()): string {
  if (!progress)
    return "setup: no run since Tollgate started (it runs after install, at start and after a policy change)";
  const seconds = Math.round(
    ((progress.finishedAt ? Date.parse(progress.finishedAt) : now.getTime()) - Date.parse(progress.startedAt)) / 1000,
  );
  const lines = [
    `setup (${progress.reason.replace(/_/g, " ")}) for ${progress.tenantId}: ${progress.state}` +
      `${progress.state === "failed" && progress.error ? ` — ${progress.error}` : ""}` +
      ` · ${progress.created} properties created · ${seconds}s`,
  ];
  const totals = { records: 0, values: 0, calls: 0 };
  for (const o of progress.objects) {
    lines.push(`  ${o.objectType}: ${o.records} records, ${o.values} values, ${o.calls} calls`);
    totals.records += o.records;
    totals.values += o.values;
    totals.calls += o.calls;
  }
  if (progress.objects.length > 0)
    lines.push(`  baseline so far: ${totals.records} records, ${totals.values} values in ${totals.calls} CRM calls`);
  if (progress.state === "provisioning" || progress.state === "baselining") lines.push("  still running…");
  if (progress.subscriptionsToUpload.length > 0)
    lines.push(
      `  webhook subscriptions to upload (${progress.subscriptionsToUpload.join(", ")}): npm run hubspot:webhooks && hs project upload`,
    );
  return lines.join("\n");
}
