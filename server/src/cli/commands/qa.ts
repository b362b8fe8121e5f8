import { InvalidArgumentError, type Command } from "commander";
import type { AuditActor } from "../../../../shared/index.js";
import { SCORECARD_LINES, type QaSampler, type Scorecard } from "../../qa/index.js";
import type { CommandIo } from "./rollback.js";

/** What `tollgate qa` needs; `main.ts` builds it from the environment. */
export interface QaCommandServices {
  qa: Pick<QaSampler, "list" | "review">;
  defaultTenant: string;
  /** The reviewer, as the audit names them. */
  operator: AuditActor;
}

const defaultIo: CommandIo = { write: (t) => void process.stdout.write(t) };

/** `data_correctness=4`, `persona=pass`: one scorecard line. */
function parseScore(value: string, previous: Scorecard = {}): Scorecard {
  const m = /^([a-z_]+)=(.+)$/.exec(value);
  if (!m || !(SCORECARD_LINES as readonly string[]).includes(m[1]!))
    throw new InvalidArgumentError(`expected LINE=SCORE with LINE one of ${SCORECARD_LINES.join(", ")}`);
  const raw = m[2]!;
  const score = /^[1-5]$/.test(raw) ? Number(raw) : raw;
  return { ...previous, [m[1]!]: score } as Scorecard;
}

/** `tollgate qa list` and `tollgate qa review ID --verdict pass|fail --score LINE=SCORE…`. */
export function registerQaCommands(
  program: Command,
  getServices: () => Promise<QaCommandServices>,
  io: CommandIo = defaultIo,
): void {
  const qa = program.command("qa").description("review sampled agent actions (requirements R9)");

  qa.command("list")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .option("--state <state>", "pending or reviewed", "pending")
    .option("--agent <id>", "one agent's actions")
    .option("--limit <n>", "at most this many", (v: string) => Number(v), 50)
    .description("the QA queue, newest first")
    .action(async (o: { tenant?: string; state: "pending" | "reviewed"; agent?: string; limit: number }) => {
      const s = await getServices();
      const items = await s.qa.list(o.tenant ?? s.defaultTenant, {
        state: o.state,
        ...(o.agent ? { agentId: o.agent } : {}),
        limit: o.limit,
      });
      for (const i of items) {
        io.write(
          `${i.id}  ${i.createdAt}  ${i.agentId ?? "-"}  ${i.action} ${i.objectType ?? ""}/${i.objectId ?? ""}  sampled: ${i.reason} (${i.rate})${i.verdict ? `  verdict: ${i.verdict} by ${i.reviewer}` : ""}\n`,
        );
      }
      io.write(`${items.length} item(s)\n`);
    });

  qa.command("review")
    .argument("<id>", "QA item id")
    .requiredOption("--verdict <verdict>", "pass or fail")
    .option("--score <line=score>", `repeatable: ${SCORECARD_LINES.join(", ")} = 1–5, pass, fail or n/a`, parseScore)
    .option("--notes <text>", "what the reviewer saw")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .description("record a verdict and scorecard (audited)")
    .action(async (id: string, o: { verdict: "pass" | "fail"; score?: Scorecard; notes?: string; tenant?: string }) => {
      const s = await getServices();
      const item = await s.qa.review(
        o.tenant ?? s.defaultTenant,
        id,
        { verdict: o.verdict, scorecard: o.score ?? {}, ...(o.notes ? { notes: o.notes } : {}) },
        s.operator,
      );
      io.write(`reviewed ${item.id}: ${item.verdict} (audit event ${item.reviewEventId})\n`);
    });
}
