import { readFile } from "node:fs/promises";
import { InvalidArgumentError, type Command } from "commander";
import { OUTCOMES, type Outcome } from "../../../../shared/index.js";
import { describeBreaks } from "../../golden/index.js";
import { loadPolicy } from "../../policy/index.js";
import type { CliServices } from "../services.js";

function parseOutcome(value: string): Outcome {
  if (!(OUTCOMES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${OUTCOMES.join(", ")}`);
  return value as Outcome;
}

const summary = (r: {
  added: { eventId: string; expected: string }[];
  failingNow: Parameters<typeof describeBreaks>[0];
}) => [
  ...r.added.map((g) => `golden ${g.eventId} → ${g.expected}`),
  ...(r.failingNow.length ? ["the active policy decides these differently now:", describeBreaks(r.failingNow)] : []),
];

/**
 * `tollgate golden add|import|list|remove|check` and `tollgate safe-mode` (docs/operations.md
 * "Golden records", "Safe mode"): the same services as the HTTP routes, audited as the operator.
 */
export function registerGoldenCommands(program: Command, services: () => Promise<CliServices>): void {
  const withGolden = async () => {
    const s = await services();
    return { s, golden: s.runtime.services.golden, safeModes: s.runtime.services.safeModes };
  };
  const golden = program
    .command("golden")
    .description("golden records: recorded actions that must keep their decision");
  golden
    .command("add")
    .argument("<eventId>", "the audit event of a recorded agent action")
    .requiredOption("--expect <outcome>", `the decision it must keep (${OUTCOMES.join("|")})`, parseOutcome)
    .option("--note <text>", "why it matters")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (eventId: string, o: { expect: Outcome; note?: string; tenant?: string }) => {
      const { s, golden: g } = await withGolden();
      const r = await g.add(
        o.tenant ?? s.defaultTenant,
        [{ eventId, expect: o.expect, ...(o.note ? { note: o.note } : {}) }],
        s.operator,
      );
      console.log(summary(r).join("\n"));
    });
  golden
    .command("import")
    .argument("<file>", "YAML: records: [{eventId, expect, note?}]")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (file: string, o: { tenant?: string }) => {
      const { s, golden: g } = await withGolden();
      console.log(
        summary(await g.importYaml(o.tenant ?? s.defaultTenant, await readFile(file, "utf8"), s.operator)).join("\n"),
      );
    });
  golden
    .command("list")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (o: { tenant?: string }) => {
      const { s, golden: g } = await withGolden();
      const list = await g.list(o.tenant ?? s.defaultTenant);
      if (list.length === 0) console.log("no golden records");
      for (const r of list)
        console.log(`${r.eventId} ${r.agentId} ${r.action} → ${r.expected}${r.note ? ` (${r.note})` : ""}`);
    });
  golden
    .command("remove")
    .argument("<eventId>")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (eventId: string, o: { tenant?: string }) => {
      const { s, golden: g } = await withGolden();
      await g.remove(o.tenant ?? s.defaultTenant, eventId, s.operator);
      console.log(`golden record ${eventId} removed`);
    });
  golden
    .command("check")
    .option("--policy <file>", "a candidate policy (default: the active one)")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(async (o: { policy?: string; tenant?: string }) => {
      const { s, golden: g } = await withGolden();
      const tenantId = o.tenant ?? s.defaultTenant;
      const policy = o.policy
        ? loadPolicy(await readFile(o.policy, "utf8"), { filename: o.policy })
        : s.runtime.services.policies.current(tenantId).compiled;
      const broken = await g.check(tenantId, policy);
      console.log(broken.length ? describeBreaks(broken) : "every golden record keeps its decision");
      if (broken.length) process.exitCode = 1;
    });

  program
    .command("safe-mode")
    .argument("<agentId>")
    .description("hold an agent's tier-2 writes for a person until it expires (or --off)")
    .option("--for <duration>", "how long: 30m, 48h, 14d")
    .option("--until <iso>", "until when")
    .option("--off", "end it now", false)
    .requiredOption("--reason <text>", "why (kept in the audit log)")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .action(
      async (agentId: string, o: { for?: string; until?: string; off: boolean; reason: string; tenant?: string }) => {
        const { s, safeModes } = await withGolden();
        const body = {
          agentId,
          reason: o.reason,
          ...(o.off ? { state: "off" } : {}),
          ...(o.for ? { for: o.for } : {}),
          ...(o.until ? { until: o.until } : {}),
        };
        const r = await safeModes.set(o.tenant ?? s.defaultTenant, body, s.operator);
        console.log("until" in r ? `safe mode for ${r.agentId} until ${r.until}` : `safe mode for ${r.agentId} ended`);
      },
    );
}
