import type { pino } from "pino";
import type { ActionRequest } from "../../../shared/index.js";
import { createPolicyPort } from "../enforce/index.js";
import {
  decide,
  getCounterKeys,
  providerOf,
  ruleNamesException,
  type CompiledPolicy,
  type CounterKey,
  type CountersSnapshot,
  type DecisionInput,
  type KillSwitchState,
} from "../policy/index.js";
import { findOnboardedProviders } from "../onboarding/index.js";
import type { Sql } from "../db/index.js";
import { CrmNotConnectedError } from "./action-errors.js";
import { checkApproval, type ApprovalCheck } from "./check-approval.js";
import { checkSendCompliance } from "./check-send-compliance.js";
import { decideAction, type ActionVerdict } from "./decide-action.js";
import { gatherFacts, isSensitiveWrite, withRecordFactsOf, type ActionFacts } from "./gather-facts.js";
import type { IdempotencyKey, IdempotencyStore } from "./idempotency-store.js";
import type { SendDedupe } from "./send-dedupe.js";
import { actionDigest } from "./summarize-action.js";
import { resolveObjectType } from "./parse-action-request.js";
import { toDecisionInput } from "./to-decision-input.js";
import type { ActionCaller, ActionGateOptions, ActionHandleOptions } from "./types.js";

/** What the gate is built of, shared by each step of one request. */
export interface GateParts {
  options: ActionGateOptions;
  now: () => Date;
  logger: pino.Logger;
  permitTtlMs: number;
  executable: ReadonlySet<string>;
  idempotency: IdempotencyStore;
  dedupe: SendDedupe;
}

/** One request as the gate evaluated it: everything the later steps (reserve, record, after) read. */
export interface ActionContext {
  tenantId: string;
  caller: ActionCaller;
  agentId: string;
  r: ActionRequest;
  key: IdempotencyKey | undefined;
  at: Date;
  /** An `update_field` asked as a proposal (MCP): audited as the backstop audits a shadow write. */
  proposal: boolean;
  policy: CompiledPolicy;
  role: string | null;
  objectType: string | undefined;
  input: DecisionInput;
  /** What an approval hangs on: the record, or for a send to someone not in the CRM the address. */
  target: { objectType: string; objectId: string };
  digest: string;
  switches: KillSwitchState;
  keys: CounterKey[];
  window: { timeZone: string; at: Date };
  counters: CountersSnapshot;
  approval: ApprovalCheck | undefined;
  facts: ActionFacts;
  /** The CRM marks the field written sensitive: every audit event of this action hashes its values. */
  sensitive: boolean;
  /** The approved template family a later send carries, when no approval id is given. */
  family: ActionFacts["templateApproval"];
  compliance: ReturnType<typeof checkSendCompliance>;
}

/** Switches in force, after counting this request toward the write-rate trigger (which may trip on it). */
async function switchesFor(
  g: GateParts,
  c: Pick<ActionContext, "tenantId" | "policy" | "agentId" | "role" | "r" | "at">,
) {
  const { options } = g;
  const { tenantId, agentId, r } = c;
  if (!options.guard || r.dryRun) return options.killSwitches.active(tenantId);
  // Counting needs no cap keys from the port: the gate reads its own counters below.
  const port = { ...createPolicyPort(c.policy), counterKeys: undefined };
  const input = {
    agentId,
    object: r.object,
    field: r.field ?? r.action,
    viaShadow: false,
    value: r.value ?? null,
    recordId: r.objectId ?? "",
    at: c.at,
  };
  const prepared = await options.guard.prepare(tenantId, port, [{ position: 0, agentId, role: c.role ?? "", input }]);
  return prepared.stateAt(0).switches;
}

/**
 * Reads what the decision needs — policy, switches, counters, the approval carried, the facts
 * (a CRM read, only when the policy leaves the action a chance) — and decides, reserving nothing.
 */
export async function evaluateAction(
  g: GateParts,
  request: Pick<ActionContext, "tenantId" | "caller" | "agentId" | "r" | "key">,
  asked: ActionHandleOptions,
): Promise<{ ctx: ActionContext; verdict: ActionVerdict }> {
  const { options } = g;
  const { tenantId, agentId, r } = request;
  const at = g.now();
  const policy = options.policies.current(tenantId).compiled;
  const role = policy.agents.get(agentId)?.role ?? null;
  const objectType = resolveObjectType(r);
  if (r.action === "update_field" && !g.executable.has(r.crm)) throw new CrmNotConnectedError(r.crm);
  let input = await withRecordFactsOf(options, policy, tenantId, r, objectType, toDecisionInput(agentId, r, at));
  const safeModeUntil = await options.safeModeUntil?.(tenantId, agentId);
  if (safeModeUntil) input = { ...input, safeModeUntil };
  const target = { objectType: objectType ?? r.object, objectId: r.objectId ?? r.payload?.to ?? "none" };
  const digest = actionDigest(r);
  const switches = await switchesFor(g, { tenantId, policy, agentId, role, r, at });
  const keys = getCounterKeys(policy, input);
  const window = { timeZone: policy.timezone, at };
  const counters = await options.counters.snapshot(tenantId, keys, window);
  const approval = r.approvalId
    ? checkApproval(
        r.approvalId,
        await options.approvals.get(tenantId, r.approvalId),
        { agentId, action: r.action, ...target, digest },
        at,
      )
    : undefined;
  // Facts cost a CRM read: only for actions the policy leaves a chance.
  const first = decide(policy, input, counters, switches);
  const facts: ActionFacts =
    first.outcome === "deny" || first.outcome === "killed"
      ? {}
      : await gatherFacts(options, g.dedupe, tenantId, r, objectType);
  const sensitive = await isSensitiveWrite(options, tenantId, r, objectType);
  // A template family a person approved once is approved for its later sends, which carry that approval.
  const family = !r.approvalId ? facts.templateApproval : undefined;
  if (family) input = { ...input, attributes: { ...input.attributes, templateApproved: true } };
  // A sending domain no person has approved a send from is new (exceptions.new_domain), whatever the agent says.
  if (facts.domainOnboarded === false && ruleNamesException(policy, input, "new_domain"))
    input = { ...input, attributes: { ...input.attributes, newDomain: true } };
  input = await withProviderOnboarding(options.db, policy, tenantId, input);
  const compliance = r.action === "send_email" && r.payload ? checkSendCompliance(r.payload, facts) : [];
  const verdict = decideAction(policy, input, counters, switches, { approval, compliance });
  const proposal = asked.proposal === true && r.action === "update_field";
  return {
    ctx: {
      ...request,
      at,
      proposal,
      policy,
      role,
      objectType,
      input,
      target,
      digest,
      switches,
      keys,
      window,
      counters,
      approval,
      facts,
      sensitive,
      family,
      compliance,
    },
    verdict,
  };
}

/**
 * A data provider no person has approved a change from is new (`exceptions.new_provider`), as
 * Tollgate's approvals say — whatever the agent says; the same rule the webhook path applies.
 */
async function withProviderOnboarding(
  db: Pick<Sql, "query">,
  policy: CompiledPolicy,
  tenantId: string,
  input: DecisionInput,
): Promise<DecisionInput> {
  const provider = providerOf(input);
  if (provider === undefined || !ruleNamesException(policy, input, "new_provider")) return input;
  const newProvider = !(await findOnboardedProviders(db, tenantId, [provider])).has(provider);
  return { ...input, attributes: { ...input.attributes, newProvider } };
}
