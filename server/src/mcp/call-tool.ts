import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { z } from "zod";
import {
  crmFieldChangeInputSchema,
  crmGetRecordInputSchema,
  crmSearchRecordsInputSchema,
  getDecisionInputSchema,
  requestActionInputSchema,
  type McpToolName,
} from "../../../shared/index.js";
import { TollgateError } from "../errors/index.js";
import type { Logger } from "../observability/index.js";
import { refusal, type ToolContext, type ToolOutcome } from "./tool-outcome.js";
import { changeField, requestAction } from "./tools/ask-gate.js";
import { getDecision } from "./tools/get-decision.js";
import { getRecord, searchRecords } from "./tools/read-records.js";
import type { McpCaller, McpServiceOptions } from "./types.js";

interface ToolDefinition<S extends z.ZodType> {
  schema: S;
  run(ctx: ToolContext, input: z.output<S>): Promise<ToolOutcome>;
}
const tool = <S extends z.ZodType>(d: ToolDefinition<S>) => d as unknown as ToolDefinition<z.ZodType>;

/** The six tools (docs/contracts.md, MCP): each input schema, and what runs once a call matches it. */
export const TOOLS: Record<McpToolName, ToolDefinition<z.ZodType>> = {
  crm_get_record: tool({ schema: crmGetRecordInputSchema, run: getRecord }),
  crm_search_records: tool({ schema: crmSearchRecordsInputSchema, run: searchRecords }),
  crm_propose_change: tool({ schema: crmFieldChangeInputSchema, run: (ctx, input) => changeField(ctx, input, true) }),
  crm_update_field: tool({ schema: crmFieldChangeInputSchema, run: (ctx, input) => changeField(ctx, input, false) }),
  request_action: tool({ schema: requestActionInputSchema, run: requestAction }),
  get_decision: tool({ schema: getDecisionInputSchema, run: getDecision }),
};

export interface CallDeps {
  deps: McpServiceOptions;
  limiter: RateLimiterAbstract;
  now: () => Date;
  logger: Logger;
}

/**
 * One governed tool call, in order: the tool exists, the agent is under its call rate, the
 * arguments match the schema, the session is still open — then the tool runs (reads through the
 * connector and the read filter, writes through the gate). Every call is audited with
 * `actor.via = "mcp"` and `tool_name` (by the gate for what it decides, here for the rest),
 * BEFORE its result is returned: a call that cannot be audited returns an error, not data.
 * Refusals and failures are tool results with `isError: true`, never protocol errors.
 */
export async function callTool(
  c: CallDeps,
  caller: McpCaller,
  name: string,
  args: unknown,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const at = c.now();
  const policy = c.deps.policies.current(caller.tenantId).compiled;
  const ctx: ToolContext = { caller, policy, deps: c.deps, toolName: name, signal, at };
  let outcome: ToolOutcome;
  try {
    outcome = await run(c, ctx, name, args);
  } catch (err) {
    outcome = failure(c.logger, ctx, err);
  }
  if (outcome.audit) {
    try {
      await c.deps.audit.append({
        ...outcome.audit,
        tenant_id: caller.tenantId,
        occurred_at: at.toISOString(),
        actor: { type: "agent", id: caller.agentId, role: policy.agents.get(caller.agentId)?.role ?? null, via: "mcp" },
        tool_name: name,
        // The arguments as called (secrets are redacted by the audit log, by key name).
        evidence: { arguments: args ?? null, ...(outcome.audit.evidence as object | null) },
      });
    } catch (err) {
      c.logger.error({ err: (err as Error).message, tenantId: caller.tenantId, tool: name }, "mcp call not audited");
      outcome = {
        isError: true,
        body: { error: { code: "audit_unavailable", message: "the call could not be audited; nothing was returned" } },
      };
    }
  }
  return {
    content: [{ type: "text", text: JSON.stringify(outcome.body) }],
    structuredContent: outcome.body,
    ...(outcome.isError ? { isError: true } : {}),
  };
}

async function run(c: CallDeps, ctx: ToolContext, name: string, args: unknown): Promise<ToolOutcome> {
  const policyVersion = ctx.policy.version;
  const definition = Object.hasOwn(TOOLS, name) ? TOOLS[name as McpToolName] : undefined;
  if (!definition) return refusal("unknown_tool", `Tollgate has no tool ${name}`, { policyVersion });
  try {
    await c.limiter.consume(`${ctx.caller.tenantId}:${ctx.caller.agentId}`);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    return refusal(
      "rate_limited",
      `too many calls from ${ctx.caller.agentId}: retry in ${Math.ceil(err.msBeforeNext / 1000)} s`,
      { policyVersion },
      { retryAfterMs: err.msBeforeNext },
    );
  }
  const parsed = definition.schema.safeParse(args ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0]!;
    return refusal(
      "invalid_arguments",
      `invalid ${name} arguments: ${first.path ? `${first.path}: ` : ""}${first.message}`,
      { policyVersion },
      { issues },
    );
  }
  // A session closed under the call (kill switch): nothing is decided or read for it.
  if (ctx.signal.aborted)
    return refusal("session_closed", "the session was closed; nothing was done", { policyVersion });
  return definition.run(ctx, parsed.data);
}

/** An error as the agent reads it — a code and a message, never a stack — and as the audit records it. */
function failure(logger: Logger, ctx: ToolContext, err: unknown): ToolOutcome {
  const known = err instanceof TollgateError;
  if (!known) logger.warn({ err: (err as Error).message, tool: ctx.toolName }, "mcp tool call failed");
  const code = known ? err.code : "internal_error";
  const message = known ? err.message : "the call failed inside Tollgate; nothing was done";
  return {
    isError: true,
    body: { error: { code, message, ...(known && err.details !== undefined ? { details: err.details } : {}) } },
    audit: { action: "mcp_call", result: "failed", error: `${code}: ${message}` },
  };
}
