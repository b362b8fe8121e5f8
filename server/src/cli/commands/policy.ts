import { InvalidArgumentError, type Command } from "commander";
import { POLICY_OBJECTS, type PolicyObject } from "../../../../shared/index.js";
import { ValidationError } from "../../errors/index.js";
import { explainDecision, listPolicyWarnings, loadPolicyFile } from "../../policy/index.js";

function parseUnit(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("expected a number from 0 to 1");
  return n;
}

function parseObject(value: string): PolicyObject {
  if (!(POLICY_OBJECTS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${POLICY_OBJECTS.join(", ")}`);
  return value as PolicyObject;
}

/** `tollgate policy validate FILE` and `tollgate policy explain …`. */
export function registerPolicyCommands(program: Command): void {
  const policy = program.command("policy").description("check and explain policy manifests");

  policy
    .command("validate")
    .argument("<file>", "policy YAML")
    .description("validate a policy; prints every problem with its line, or its version")
    .action(async (file: string) => {
      const compiled = await loadPolicyFile(file);
      console.log(`${file}: valid (version ${compiled.version})`);
      for (const w of listPolicyWarnings(compiled.manifest)) console.log(`warning: ${w.path}: ${w.message}`);
      console.log(`agents: ${[...compiled.agents.values()].map((a) => `${a.id} (${a.role})`).join(", ") || "none"}`);
    });

  policy
    .command("explain")
    .description("print the decision for one agent action, the rule that made it and why")
    .requiredOption("--agent <id>", "declared agent id")
    .requiredOption("--object <object>", `policy object (${POLICY_OBJECTS.join("|")})`, parseObject)
    .option("--field <field>", "field written (canonical, or ai_proposed_<field>)")
    .option("--action <action>", "non-field action (send_email, create_task, merge…)")
    .option("--shadow", "the write is a proposal through the shadow field", false)
    .option("--confidence <n>", "agent confidence 0–1", parseUnit)
    .option("--source <source>", "data provider / signal")
    .option("--icp <n>", "ICP match 0–1", parseUnit)
    .option("--at <iso>", "when (default now)")
    .option("--policy <file>", "policy YAML", process.env.TOLLGATE_POLICY ?? "manifests/policy.yaml")
    .action(
      async (o: {
        agent: string;
        object: PolicyObject;
        field?: string;
        action?: string;
        shadow: boolean;
        confidence?: number;
        source?: string;
        icp?: number;
        at?: string;
        policy: string;
      }) => {
        // Thrown from an action, commander would not print it: a ValidationError reaches main's handler.
        if ((o.field === undefined) === (o.action === undefined))
          throw new ValidationError("give exactly one of --field or --action");
        const at = o.at ? new Date(o.at) : new Date();
        if (Number.isNaN(at.getTime())) throw new ValidationError("--at must be an ISO-8601 time");
        const compiled = await loadPolicyFile(o.policy);
        const { lines } = explainDecision(compiled, {
          agentId: o.agent,
          object: o.object,
          kind: o.field ? "field_write" : "action",
          ...(o.field ? { field: o.field, viaShadow: o.shadow } : { action: o.action! }),
          ...(o.confidence === undefined ? {} : { confidence: o.confidence }),
          ...(o.source === undefined ? {} : { source: o.source }),
          ...(o.icp === undefined ? {} : { icpMatch: o.icp }),
          at,
        });
        for (const line of lines) console.log(line);
      },
    );
}
