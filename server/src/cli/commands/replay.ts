import { readFile } from "node:fs/promises";
import { InvalidArgumentError, type Command } from "commander";
import type { ReplayResponse } from "../../../../shared/index.js";
import { diffManifests, loadPolicy } from "../../policy/index.js";
import type { CliServices } from "../services.js";

function parseInstant(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError("expected an ISO-8601 date-time");
  return new Date(value).toISOString();
}

function parseDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 90) throw new InvalidArgumentError("expected whole days from 1 to 90");
  return n;
}

/** The changed decisions, one block each: what was decided, what the candidate decides, and why. */
export function formatReplay(r: ReplayResponse): string[] {
  const lines = [`checked ${r.checked} agent actions; ${r.changed.length} would be decided differently`];
  if (r.truncated) lines.push("(more events than one replay reads: narrow --from/--to)");
  for (const c of r.changed) {
    const target = `${c.objectType ?? "-"}/${c.objectId ?? "-"}${c.field ? ` ${c.field}` : ""}`;
    lines.push(`${c.occurredAt} ${c.agentId} ${c.action} ${target}  [event ${c.eventId}]`);
    lines.push(`  was: ${c.before.outcome} (${c.before.ruleId ?? "-"}) ${c.before.reasons.join("; ")}`);
    lines.push(`  now: ${c.after.outcome} (${c.after.ruleId ?? "-"}) ${c.after.reasons.join("; ")}`);
  }
  return lines;
}

/**
 * `tollgate replay --policy candidate.yaml --from … --to …` (or `--version`) and `tollgate policy
 * diff candidate.yaml`: what-if under another policy, over recorded traffic. Read-only: nothing
 * reaches the CRM or the audit (docs/operations.md "Replay and what-if").
 */
export function registerReplayCommands(program: Command, services: () => Promise<CliServices>): void {
  program
    .command("replay")
    .description("re-decide recorded agent actions under another policy and list the decisions that change")
    .option("--policy <file>", "candidate policy YAML")
    .option("--version <sha256>", "a stored policy version instead of a file")
    .requiredOption("--from <iso>", "start of the range (inclusive)", parseInstant)
    .option("--to <iso>", "end of the range (exclusive; default now)", parseInstant)
    .option("--agent <id>", "only this agent's actions")
    .option("--tenant <id>", "tenant (default: the configured portal)")
    .option("--json", "print the JSON answer of POST /v1/replay", false)
    .action(
      async (o: {
        policy?: string;
        version?: string;
        from: string;
        to?: string;
        agent?: string;
        tenant?: string;
        json: boolean;
      }) => {
        const s = await services();
        const body = {
          ...(o.policy ? { policy: await readFile(o.policy, "utf8") } : {}),
          ...(o.version ? { version: o.version } : {}),
          from: o.from,
          to: o.to ?? new Date().toISOString(),
          ...(o.agent ? { agentId: o.agent } : {}),
        };
        const result = await s.runtime.services.replay.replay(o.tenant ?? s.defaultTenant, body);
        console.log(o.json ? JSON.stringify(result, null, 2) : formatReplay(result).join("\n"));
      },
    );

  const policy = program.commands.find((c) => c.name() === "policy") ?? program.command("policy");
  policy
    .command("diff")
    .argument("<file>", "candidate policy YAML")
    .description("the rule changes against the active policy, beside their effect on recent traffic")
    .option("--days <n>", "recent traffic to replay", parseDays, 7)
    .option("--tenant <id>", "tenant (default: the configured portal)")
    .action(async (file: string, o: { days: number; tenant?: string }) => {
      const s = await services();
      const tenantId = o.tenant ?? s.defaultTenant;
      const yaml = await readFile(file, "utf8");
      const candidate = loadPolicy(yaml, { filename: file });
      const active = s.runtime.services.policies.current(tenantId);
      const { changes } = diffManifests(active.compiled.manifest, candidate.manifest, Number.MAX_SAFE_INTEGER);
      console.log(`active ${active.version.slice(0, 12)} → candidate ${candidate.version.slice(0, 12)}`);
      console.log(changes.length ? changes.map((c) => `  ${c}`).join("\n") : "  no rule changes");
      const to = new Date();
      const from = new Date(to.getTime() - o.days * 86_400_000);
      const result = await s.runtime.services.replay.replay(tenantId, {
        policy: yaml,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      console.log(`effect on the last ${o.days} days:`);
      console.log(formatReplay(result).join("\n"));
    });
}
