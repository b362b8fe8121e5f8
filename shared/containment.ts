import { z } from "zod";
import { KILL_SWITCH_SCOPES } from "./policy-manifest.js";

/**
 * docs/contracts.md `GET /v1/kill-switches` (containment): what one switch change did at each
 * containment point, and when each confirmed. "contained" only when every point confirmed (or
 * does not apply, with the reason).
 */
export const CONTAINMENT_POINTS = [
  /**
   * Queued and in-progress agent writes in scope are cancelled (never sent, not on lift either);
   * approved applies go back to pending.
   */
  "queued_work_cancelled",
  /** The agent keys in scope are refused (`/v1/actions`, `/mcp`). */
  "keys_refused",
  /** Permits issued before the switch can no longer be used (`POST /v1/permits/verify`). */
  "permits_revoked",
  /** Open MCP sessions of the agents in scope are closed; their calls in progress aborted. */
  "mcp_sessions_closed",
  /** The agents' own CRM users are frozen (Salesforce `UserLogin.IsFrozen`). */
  "crm_users_frozen",
  /** The agents' own CRM tokens are revoked (HubSpot apps installed through Tollgate). */
  "crm_tokens_revoked",
  /** Direct writes still arriving are refused and reverted: none left to revert. */
  "direct_writes_reverted",
  /** On lift: the users this switch froze are unfrozen (unless another switch still covers them). */
  "crm_users_unfrozen",
] as const;
export type ContainmentPointName = (typeof CONTAINMENT_POINTS)[number];

export const CONTAINMENT_POINT_STATES = ["pending", "confirmed", "not_applicable", "failed"] as const;
export type ContainmentPointState = (typeof CONTAINMENT_POINT_STATES)[number];

export const containmentPointSchema = z.object({
  point: z.enum(CONTAINMENT_POINTS),
  state: z.enum(CONTAINMENT_POINT_STATES),
  /** One sentence: what was done, or why it does not apply, or what failed and what to grant. */
  detail: z.string(),
  /** ISO-8601 UTC, when the point confirmed (or was found not to apply); null while pending or failed. */
  confirmedAt: z.string().nullable(),
  /** How many things the point covered (writes cancelled, permits revoked, sessions closed, users frozen…). */
  count: z.number().int().nonnegative().optional(),
});
export type ContainmentPoint = z.infer<typeof containmentPointSchema>;

export const CONTAINMENT_STATUSES = ["containing", "contained", "not_contained", "lifting", "lifted"] as const;

export const containmentReportSchema = z.object({
  /** The audit event of the switch change this report is about. */
  switchEventId: z.string(),
  tenantId: z.string(),
  scope: z.object({ type: z.enum(KILL_SWITCH_SCOPES), value: z.string().nullable() }),
  state: z.enum(["on", "off"]),
  /** When the switch changed (ISO-8601 UTC). */
  startedAt: z.string(),
  /**
   * `containing` → `contained` when every point confirmed; `not_contained` when one failed or
   * stayed pending past the watch (the failing points say why). On lift: `lifting` → `lifted`.
   */
  status: z.enum(CONTAINMENT_STATUSES),
  /** When the last point confirmed; null until then. */
  containedAt: z.string().nullable(),
  /** Seconds from the switch change to `containedAt`. */
  secondsToContained: z.number().nullable(),
  points: z.array(containmentPointSchema),
});
export type ContainmentReport = z.infer<typeof containmentReportSchema>;
