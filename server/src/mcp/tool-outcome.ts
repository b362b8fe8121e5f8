import type { AuditEventInput } from "../../../shared/index.js";
import type { CompiledPolicy } from "../policy/index.js";
import type { McpCaller, McpServiceOptions } from "./types.js";

/** What a tool handler has to work with: who calls, under which policy, and the services. */
export interface ToolContext {
  caller: McpCaller;
  policy: CompiledPolicy;
  deps: McpServiceOptions;
  toolName: string;
  /** Aborted when the session closes (a kill switch's `closeSessionsFor`). */
  signal: AbortSignal;
  at: Date;
}

/** The audit event of a call the gate did not audit itself; the dispatcher adds who, when and the tool. */
export type ToolAudit = Omit<AuditEventInput, "tenant_id" | "actor" | "tool_name" | "occurred_at">;

/** What one tool call came to. */
export interface ToolOutcome {
  /** What the agent reads back (JSON). */
  body: Record<string, unknown>;
  /** A refusal or a failure: the tool result is `isError: true` (never a protocol error). */
  isError: boolean;
  /** The call's audit event, unless the gate has already audited it (its decision event). */
  audit?: ToolAudit | undefined;
}

/** A call refused before any decision or CRM read: the error the agent reads, and its audit. */
export function refusal(
  code: string,
  message: string,
  audit: Partial<ToolAudit> & { policyVersion: string },
  details?: unknown,
): ToolOutcome {
  const { policyVersion, ...rest } = audit;
  return {
    isError: true,
    body: { error: { code, message, ...(details === undefined ? {} : { details }) } },
    audit: {
      action: "mcp_call",
      decision: { outcome: "deny", tier: null, rule_id: code, policy_version: policyVersion },
      result: "failed",
      error: `${code}: ${message}`,
      ...rest,
    },
  };
}
