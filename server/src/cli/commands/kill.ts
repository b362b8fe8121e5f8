import type { Command } from "commander";
import { killSwitchRequestSchema } from "../../../../shared/index.js";
import { ValidationError } from "../../errors/index.js";
import type { GoldenService } from "../../golden/index.js";
import type { KillSwitch, KillSwitchService } from "../../killswitch/index.js";
import type { CliServices } from "../services.js";

export interface KillCommandInput {
  tenant?: string | undefined;
  /** `tenant`, or `<type>:<value>`: `agent:enrichment-bot`, `channel:sends`, `domain:mail.acme.test`. */
  scope: string;
  reason: string;
  /** `tollgate resume --override-reason`: an owner resumes although golden records would change. */
  overrideReason?: string | undefined;
}

/** Who pulls the switch, as the audit names them. */
export interface KillCommandActor {
  id: string;
  role?: string | null | undefined;
}

/** `agent:enrichment-bot` → `{type: "agent", value: "enrichment-bot"}`; validated like `PUT /v1/kill-switches`. */
export function parseScopeArgument(scope: string, state: "on" | "off", reason: string) {
  const i = scope.indexOf(":");
  const raw = i < 0 ? { type: scope } : { type: scope.slice(0, i), value: scope.slice(i + 1) };
  const parsed = killSwitchRequestSchema.safeParse({ scope: raw, state, reason });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(
      `--${issue.path[0] === "reason" ? "reason" : "scope"} ${JSON.stringify(issue.path[0] === "reason" ? reason : scope)}: ${issue.message}`,
    );
  }
  return parsed.data;
}

async function change(
  service: KillSwitchService,
  tenantId: string,
  input: KillCommandInput,
  actor: KillCommandActor,
  state: "on" | "off",
  golden?: Pick<GoldenService, "assertResume">,
): Promise<KillSwitch> {
  const request = {
    ...parseScopeArgument(input.scope, state, input.reason),
    ...(input.overrideReason ? { goldenOverride: { reason: input.overrideReason } } : {}),
  };
  const who = { type: "human" as const, id: actor.id, role: actor.role ?? null, via: "cli" };
  // Resuming runs the golden records first (docs/operations.md "Golden records").
  await golden?.assertResume(tenantId, request, who);
  return service.set(tenantId, request, who);
}

/** `tollgate kill`: turns a switch on (R7 "one action puts an agent or tenant into read-only mode"). */
export const killCommand = (
  service: KillSwitchService,
  tenantId: string,
  input: KillCommandInput,
  actor: KillCommandActor,
) => change(service, tenantId, input, actor, "on");
/** `tollgate resume`: turns it off once the golden records pass; queued agent writes it held go out again. */
export const resumeCommand = (
  service: KillSwitchService,
  tenantId: string,
  input: KillCommandInput,
  actor: KillCommandActor,
  golden?: Pick<GoldenService, "assertResume">,
) => change(service, tenantId, input, actor, "off", golden);

function describe(sw: KillSwitch): string {
  const scope = sw.scope.value === null ? sw.scope.type : `${sw.scope.type}:${sw.scope.value}`;
  const prevented = sw.prevented
    ? `; prevented ${sw.prevented.decisions} decisions, cancelled ${sw.prevented.cancelledWrites} queued writes`
    : "";
  return `${scope} ${sw.state}${sw.changed === false ? " (unchanged)" : ""} — ${sw.reason} — by ${sw.who.id} at ${sw.when}${prevented}`;
}

/**
 * Registers `tollgate kill`, `tollgate resume` and `tollgate kill-switches` on `program`. They
 * talk to the same PostgreSQL and Redis as the server (DATABASE_URL, REDIS_URL), so a running
 * Tollgate sees the change at once (Redis notice) and within seconds at worst (re-read).
 */
export function registerKillCommands(program: Command, services: () => Promise<CliServices>): void {
  const withService = async <T>(fn: (service: KillSwitchService, s: CliServices) => Promise<T>): Promise<T> => {
    const s = await services();
    // The runtime's own service: same Redis namespace as `npm start`, so a running server hears the change.
    return fn(s.runtime.services.killSwitches, s);
  };
  const common = (c: Command) =>
    c
      .option("--tenant <id>", "tenant (HubSpot portal id, Salesforce org id; default: the configured one)")
      .requiredOption(
        "--scope <scope>",
        "tenant, or type:value — channel:sends, agent:enrichment-bot, role:outreach, segment:…, domain:…, template:…, provider:…",
      )
      .requiredOption("--reason <text>", "why (kept in the audit log)");
  const actorOf = (s: CliServices) => ({ id: s.operator.id, role: s.operator.role });

  common(
    program
      .command("kill")
      .description("turn a kill switch on: the scope's agents are stopped and their queued writes held"),
  ).action(async (o: KillCommandInput) =>
    console.log(describe(await withService((svc, s) => killCommand(svc, o.tenant ?? s.defaultTenant, o, actorOf(s))))),
  );

  common(program.command("resume").description("turn a kill switch off; writes it held go out again"))
    .option("--override-reason <text>", "an owner resumes although golden records would change (audited)")
    .action(async (o: KillCommandInput) =>
      console.log(
        describe(
          await withService((svc, s) =>
            resumeCommand(svc, o.tenant ?? s.defaultTenant, o, actorOf(s), s.runtime.services.golden),
          ),
        ),
      ),
    );

  program
    .command("kill-switches")
    .option("--tenant <id>", "tenant (default: the configured one)")
    .description("list the switches that are on, with who, when, why and what they prevented")
    .action(async (o: { tenant?: string }) => {
      const list = await withService((svc, s) => svc.list(o.tenant ?? s.defaultTenant));
      if (list.length === 0) console.log("no kill switch is on");
      for (const sw of list) console.log(describe(sw));
    });
}
