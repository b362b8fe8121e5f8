import type { Command } from "commander";
import { formatSetupProgress } from "../../install/index.js";
import type { SetupProgress } from "../../install/index.js";

/**
 * `tollgate setup status [--watch]`: the running server's background setup — provisioning and
 * the baseline, with progress per object — from `GET /v1/setup` (the progress lives in the
 * server process). `TOLLGATE_URL` (default `http://127.0.0.1:$PORT`) and `TOLLGATE_API_KEY`
 * (any human role) say where and as whom.
 */
export function registerSetupCommands(program: Command, env: NodeJS.ProcessEnv = process.env): void {
  program
    .command("setup")
    .argument("<what>", "status")
    .option("--tenant <id>", "the tenant (portal) to ask about; the key's own by default")
    .option("--watch", "print again every 2 s until the run is done or failed")
    .description("background provisioning and baseline progress (after install, at start, after a policy change)")
    .action(async (what: string, o: { tenant?: string; watch?: boolean }) => {
      if (what !== "status") throw new Error(`setup ${what}: only "status"`);
      const base = (env.TOLLGATE_URL ?? `http://127.0.0.1:${env.PORT ?? "3000"}`).replace(/\/+$/, "");
      if (!env.TOLLGATE_API_KEY)
        throw new Error("TOLLGATE_API_KEY: a key with a human role is needed to read setup progress");
      for (;;) {
        const progress = await fetchSetup(base, env.TOLLGATE_API_KEY, o.tenant);
        console.log(formatSetupProgress(progress));
        if (!o.watch || !progress || progress.state === "done" || progress.state === "failed") return;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    });
}

async function fetchSetup(base: string, key: string, tenant: string | undefined): Promise<SetupProgress | null> {
  const url = `${base}/v1/setup${tenant ? `?tenantId=${encodeURIComponent(tenant)}` : ""}`;
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  const body = (await res.json().catch(() => null)) as {
    setup?: SetupProgress | null;
    error?: { message?: string };
  } | null;
  if (!res.ok) throw new Error(`GET /v1/setup: ${res.status} ${body?.error?.message ?? ""}`.trim());
  return body?.setup ?? null;
}
