import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadPolicy, type CompiledPolicy, type DecisionInput } from "../../src/policy/index.js";

export const SHIPPED_POLICY_PATH = fileURLToPath(new URL("../../../manifests/policy.yaml", import.meta.url));
export const SMALL_TEAM_POLICY_PATH = fileURLToPath(
  new URL("../../../manifests/policy.small-team.yaml", import.meta.url),
);

export const shippedText = (): string => readFileSync(SHIPPED_POLICY_PATH, "utf8");
export const shipped = (): CompiledPolicy => loadPolicy(shippedText(), { filename: "policy.yaml" });

/** Tuesday 2025-03-04 15:00 UTC = 10:00 in New York: inside every window of the shipped policy. */
export const WORKDAY = new Date("2025-03-04T15:00:00Z");
/** Saturday 2025-03-08 15:00 UTC. */
export const SATURDAY = new Date("2025-03-08T15:00:00Z");

export function fieldWrite(
  agentId: string,
  object: DecisionInput["object"],
  field: string,
  extra: Partial<DecisionInput> = {},
): DecisionInput {
  return { agentId, object, kind: "field_write", field, at: WORKDAY, ...extra };
}

export function action(
  agentId: string,
  object: DecisionInput["object"],
  verb: string,
  extra: Partial<DecisionInput> = {},
): DecisionInput {
  return { agentId, object, kind: "action", action: verb, at: WORKDAY, ...extra };
}
