import { InvalidArgumentError, type Command } from "commander";
import type { AuditActor } from "../../../../shared/index.js";
import { ForbiddenError } from "../../errors/index.js";
import type { RollbackJob, RollbackPlan, RollbackRequestInput, RollbackService } from "../../rollback/index.js";

/** What `tollgate rollback` needs; `main.ts` builds it from the environment. */
export interface RollbackCommandServices {
  rollback: Pick<RollbackService, "plan" | "getJob">;
  /** The tenant when `--tenant` is not given. */
  defaultTenant: string;
  /** Who runs the command, as the audit names them; only an owner may `--force`. */
  operator: AuditActor;
}

/** Terminal plumbing, replaceable in tests. */
export interface CommandIo {
  write(text: string): void;
  /**
   * Redraw the progress bar in place (`\r`) rather than printing a line per step. @defaultValue process.stdout.isTTY
   */
  isTTY?: boolean;
  sleep?(ms: number): Promise<void>;
}

const defaultIo: CommandIo = { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY === true };

function parseLast(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError("expected a whole number from 1 to 10000");
  return n;
}

/** `[##########----------]  5/10  50%` */
export function renderProgress(done: number, total: number, width = 30): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${String(Math.round(share * 100)).padStart(3)}%`;
}

function describePlan(plan: RollbackPlan): string[] {
  const show = (v: string | null) => (v === null || v === "" ? "(empty)" : JSON.stringify(v));
  const lines = plan.planned.map(
    (p) =>
      `  restore ${p.objectType}/${p.objectId} ${p.field} → ${show(p.restoreTo)}${p.forced ? "  (forced)" : ""}  [undoes ${p.undoes.join(", ")}]`,
  );
  lines.push(
    ...plan.conflicts.map(
      (c) =>
        `  CONFLICT ${c.objectType}/${c.objectId} ${c.field}: now ${show(c.current)} (by ${c.changedBy ?? "unknown"}), agent wrote ${show(c.expected)}`,
    ),
  );
  lines.push(...plan.unrestorable.map((u) => `  UNKNOWN ${u.objectType}/${u.objectId} ${u.field}: ${u.reason}`));
  return lines;
}

/**
 * `tollgate rollback --agent X --from ISO --to ISO | --run ID | --events a,b | --last N
 * [--dry-run] [--force]`: plans, prints the plan and its conflicts, and follows the job with a
 * progress bar until it is done.
 */
export function registerRollbackCommands(
  program: Command,
  getServices: () => Promise<RollbackCommandServices>,
  io: CommandIo = defaultIo,
): void {
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  program
    .command("rollback")
    .description(
      "undo agents' CRM changes (restores the value before their first selected change; never over a person's later edit unless forced)",
    )
    .option("--tenant <id>", "tenant (default: the configured one)")
    .option("--agent <id>", "changes by this agent")
    .option("--from <iso>", "changes at or after this time")
    .option("--to <iso>", "changes before this time")
    .option("--run <id>", "changes of one agent run")
    .option("--events <ids>", "comma-separated audit event ids", (v: string) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .option("--last <n>", "the last N changes", parseLast)
    .option("--dry-run", "list what would be restored; change nothing", false)
    .option("--force", "restore even where someone changed the field since (owners only)", false)
    .option("--no-follow", "return once the job is queued")
    .option("--timeout <seconds>", "stop following after this long", (v: string) => Number(v), 600)
    .action(
      async (o: {
        tenant?: string;
        agent?: string;
        from?: string;
        to?: string;
        run?: string;
        events?: string[];
        last?: number;
        dryRun: boolean;
        force: boolean;
        follow: boolean;
        timeout: number;
      }) => {
        const s = await getServices();
        if (o.force && s.operator.role !== "owner")
          throw new ForbiddenError("only an owner may force a rollback over a conflict");
        const tenantId = o.tenant ?? s.defaultTenant;
        const request: RollbackRequestInput = {
          ...(o.agent ? { agentId: o.agent } : {}),
          ...(o.from ? { from: o.from } : {}),
          ...(o.to ? { to: o.to } : {}),
          ...(o.run ? { runId: o.run } : {}),
          ...(o.events ? { eventIds: o.events } : {}),
          ...(o.last ? { last: o.last } : {}),
          dryRun: o.dryRun,
          force: o.force,
        };
        const plan = await s.rollback.plan(tenantId, request, s.operator);
        io.write(
          `${o.dryRun ? "dry run: would restore" : "restoring"} ${plan.planned.length} value(s); ${plan.conflicts.length} conflict(s); ${plan.unrestorable.length} unknown\n`,
        );
        for (const line of describePlan(plan)) io.write(`${line}\n`);
        if (!plan.jobId) return;
        io.write(`job ${plan.jobId}\n`);
        if (!o.follow) return;

        const deadline = Date.now() + o.timeout * 1000;
        let job: RollbackJob | undefined;
        let shown = "";
        for (;;) {
          job = await s.rollback.getJob(tenantId, plan.jobId);
          if (!job) throw new Error(`rollback job ${plan.jobId} vanished`);
          const bar = `${renderProgress(job.done, job.total)} ${job.state}`;
          if (bar !== shown) io.write(io.isTTY ? `\r${bar}` : `${bar}\n`);
          shown = bar;
          if (job.state === "done" || job.state === "failed") break;
          if (Date.now() > deadline) {
            io.write(
              `${io.isTTY ? "\n" : ""}still ${job.state} after ${o.timeout}s; follow it with GET /v1/rollback/${plan.jobId}\n`,
            );
            return;
          }
          await sleep(500);
        }
        if (io.isTTY) io.write("\n");
        io.write(`${job.state}: ${job.written} written, ${job.failed} failed, ${job.conflicts.length} conflict(s)\n`);
        if (job.state === "failed") process.exitCode = 1;
      },
    );
}
