import type { CrmGetRecordInput, CrmSearchRecordsInput } from "../../../../shared/index.js";
import type { CrmRecord } from "../../crm/index.js";
import { NO_KILL_SWITCHES, decide, readableFields, type PolicyDecision } from "../../policy/index.js";
import { resolveObject } from "../resolve-object.js";
import { refusal, type ToolContext, type ToolOutcome } from "../tool-outcome.js";

interface ReadTarget {
  crmObjectType: string;
  readable: ReadonlySet<string>;
  decision: PolicyDecision;
}

const auditDecision = (d: PolicyDecision) => ({
  outcome: d.outcome,
  tier: d.tier,
  rule_id: d.ruleId,
  policy_version: d.policyVersion,
});

/**
 * The read rule (`decide` with the `read` action: `read: allow` on the object) and the fields
 * the role may read (policy/ `readableFields`) — or the refusal, audited as a denied read.
 */
function readTarget(ctx: ToolContext, crm: CrmGetRecordInput["crm"], objectType: string): ReadTarget | ToolOutcome {
  const { policy, caller, at } = ctx;
  const resolved = resolveObject(crm, objectType);
  if (!resolved)
    return refusal("unknown_object", `${objectType} is not a ${crm} object Tollgate governs`, {
      policyVersion: policy.version,
      crm,
      object_type: objectType,
    });
  const input = { agentId: caller.agentId, object: resolved.object, kind: "action" as const, action: "read", at };
  const decision = decide(policy, input, {}, NO_KILL_SWITCHES);
  const readable = readableFields(policy, caller.agentId, resolved.object);
  if (decision.outcome !== "allow" || !readable) {
    return {
      isError: true,
      body: { decision: { outcome: decision.outcome, ruleId: decision.ruleId, reasons: decision.reasons } },
      audit: {
        action: "read",
        crm,
        object_type: resolved.crmObjectType,
        decision: auditDecision(decision),
        result: "failed",
        error: `deny: ${decision.reasons.join("; ")}`,
      },
    };
  }
  return { crmObjectType: resolved.crmObjectType, readable, decision };
}

/** Splits what was asked into what the role may read and what it may not. */
function pickProperties(asked: readonly string[] | undefined, readable: ReadonlySet<string>) {
  const wanted = asked ?? [...readable];
  return { allowed: wanted.filter((p) => readable.has(p)), withheld: wanted.filter((p) => !readable.has(p)) };
}

/** Only readable properties leave Tollgate, whatever the CRM sent back. */
function visible(record: CrmRecord, allowed: readonly string[]) {
  return Object.fromEntries(allowed.map((p) => [p, record.properties[p] ?? null]));
}

/** `crm_get_record`: one record, with only the properties the agent's role may read. */
export async function getRecord(ctx: ToolContext, input: CrmGetRecordInput): Promise<ToolOutcome> {
  const target = readTarget(ctx, input.crm, input.objectType);
  if ("isError" in target) return target;
  const { allowed, withheld } = pickProperties(input.properties, target.readable);
  const connector = await ctx.deps.connectorFor(ctx.caller.tenantId, input.crm);
  const [record] = await connector.readRecords(target.crmObjectType, [input.objectId], allowed);
  return {
    isError: false,
    body: {
      crm: input.crm,
      objectType: target.crmObjectType,
      objectId: input.objectId,
      found: record !== undefined,
      properties: record ? visible(record, allowed) : null,
      ...(withheld.length ? { withheld } : {}),
    },
    audit: {
      action: "read",
      crm: input.crm,
      object_type: target.crmObjectType,
      object_id: input.objectId,
      decision: auditDecision(target.decision),
      // Which fields left, never their values: the audit is no copy of the CRM.
      evidence: { returned: record ? allowed : [], withheld },
    },
  };
}

/** `crm_search_records`: every filter must match; filtering on a field the role may not read is refused. */
export async function searchRecords(ctx: ToolContext, input: CrmSearchRecordsInput): Promise<ToolOutcome> {
  const target = readTarget(ctx, input.crm, input.objectType);
  if ("isError" in target) return target;
  // A filter on a hidden field would answer questions about its value: refused, not ignored.
  const hidden = input.filters.filter((f) => !target.readable.has(f.property)).map((f) => f.property);
  if (hidden.length)
    return refusal(
      "filter_not_readable",
      `your role may not read ${hidden.join(", ")}, so it may not search on it`,
      { policyVersion: ctx.policy.version, action: "read", crm: input.crm, object_type: target.crmObjectType },
      { properties: hidden },
    );
  const { allowed, withheld } = pickProperties(input.properties, target.readable);
  const connector = await ctx.deps.connectorFor(ctx.caller.tenantId, input.crm);
  const page = await connector.searchRecords(target.crmObjectType, {
    filters: input.filters,
    properties: allowed,
    limit: input.limit ?? 10,
    after: input.after,
  });
  return {
    isError: false,
    body: {
      crm: input.crm,
      objectType: target.crmObjectType,
      records: page.records.map((r) => ({ objectId: r.objectId, properties: visible(r, allowed) })),
      ...(page.after ? { after: page.after } : {}),
      ...(withheld.length ? { withheld } : {}),
    },
    audit: {
      action: "read",
      crm: input.crm,
      object_type: target.crmObjectType,
      decision: auditDecision(target.decision),
      evidence: { returned: allowed, withheld, records: page.records.map((r) => r.objectId) },
    },
  };
}
