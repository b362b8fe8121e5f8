import type { Command } from "commander";
import type { AuditActor } from "../../../../shared/index.js";
import { EXCEPTION_STATES, type ExceptionQueue, type ExceptionState } from "../../exceptions/index.js";
import { ValidationError } from "../../errors/index.js";
import type { CommandIo } from "./rollback.js";

/** What `tollgate exceptions` needs; `main.ts` builds it from the environment. */
export interface ExceptionCommandServices {
  exceptions: Pick<ExceptionQueue, "list" | "assign" | "transition">;
  defaultTenant: string;
  /** Who acts, as the audit names them. */
  operator: AuditActor;
}

const defaultIo: CommandIo = { write: (t) => void process.stdout.write(t) };

function asState(value: string | undefined): ExceptionState | undefined {
  if (value === undefined) return undefined;
  if (!(EXCEPTION_STATES as readonly string[]).includes(value))
    throw new ValidationError(`state must be one of ${EXCEPTION_STATES.join(", ")}`);
  return value as ExceptionState;
}

/** `tollgate exceptions list|assign|transition`: the exception queue (requirements R9). */
export function registerExceptionCommands(
  program: Command,
  getServices: () => Promise<ExceptionCommandServices>,
  io: CommandIo = defaultIo,
): void {
  const ex = program
    .command("exceptions")
    .description("work the exception queue: owners and SLA (24 h review, 72 h remediation)");

  ex.command("list")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .option("--state <state>", EXCEPTION_STATES.join(" | "))
    .option("--overdue", "only those past an SLA deadline")
    .option("--owner <name>", "one owner's")
    .option("--limit <n>", "at most this many", (v: string) => Number(v), 100)
    .action(async (o: { tenant?: string; state?: string; overdue?: boolean; owner?: string; limit: number }) => {
      const s = await getServices();
      const state = asState(o.state);
      const rows = await s.exceptions.list(o.tenant ?? s.defaultTenant, {
        ...(state ? { state } : {}),
        ...(o.overdue ? { overdue: true } : {}),
        ...(o.owner ? { owner: o.owner } : {}),
        limit: o.limit,
      });
      for (const r of rows) {
        const late = r.reviewOverdue
          ? "REVIEW OVERDUE"
          : r.remediateOverdue
            ? "REMEDIATION OVERDUE"
            : `review by ${r.reviewDueAt}`;
        io.write(`${r.id}  ${r.state.padEnd(10)}  ${(r.owner ?? "-").padEnd(12)}  ${late}  ${r.kind}: ${r.summary}\n`);
      }
      io.write(`${rows.length} exception(s)\n`);
    });

  ex.command("assign")
    .argument("<id>", "exception id")
    .argument("<owner>", "who owns it")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (id: string, owner: string, o: { tenant?: string }) => {
      const s = await getServices();
      const r = await s.exceptions.assign(o.tenant ?? s.defaultTenant, id, owner, s.operator);
      io.write(`${r.id} owned by ${r.owner}\n`);
    });

  ex.command("transition")
    .argument("<id>", "exception id")
    .argument("<state>", "reviewing | remediated | closed")
    .option("--note <text>", "what was found or done")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (id: string, state: string, o: { note?: string; tenant?: string }) => {
      const s = await getServices();
      const r = await s.exceptions.transition(
        o.tenant ?? s.defaultTenant,
        id,
        { state: asState(state)!, note: o.note },
        s.operator,
      );
      io.write(`${r.id} is ${r.state}\n`);
    });
}
