import { z } from "zod";
import { goldenOverrideSchema } from "./golden.js";
import { KILL_SWITCH_SCOPES } from "./policy-manifest.js";

/**
 * docs/contracts.md#http-api (contract): the body of `PUT /v1/kill-switches` and the switch it answers with.
 *
 * `channel` values are the policy's channels (`crm`, `email`, `meetings`) or the words
 * operators use for them: `crm_writes` = `crm`, `sends` = `email`, `enrollments` = `email`
 * (a sequence enrollment travels on the email channel, so it stops sends too),
 * `all_outbound` = `email` + `meetings`.
 */
/** The `kill_switch_triggers` metrics enforcement measures (server/src/killswitch/trigger-metrics.ts says how). */
export const ENFORCEMENT_TRIGGER_METRICS = [
  "agent_writes_per_minute",
  "reverts_per_minute",
  "denials_per_minute",
  "approval_bypass_attempts",
  "writes_to_excluded_segments",
] as const;

export const KILL_SWITCH_STATES = ["on", "off"] as const;
export type KillSwitchStateName = (typeof KILL_SWITCH_STATES)[number];

export const KILL_SWITCH_CHANNELS = [
  "crm",
  "email",
  "meetings",
  "crm_writes",
  "sends",
  "enrollments",
  "all_outbound",
] as const;

const scopeValue = z
  .string()
  .trim()
  .min(1, "expected a non-empty value")
  .max(200, "expected at most 200 characters")
  .regex(/^[^\s\p{Cc}]+$/u, "expected no spaces or control characters");

export const killSwitchScopeSchema = z
  .strictObject({
    type: z.enum(KILL_SWITCH_SCOPES),
    /**
     * Absent or null for `tenant` (`GET` lists a tenant switch with `value: null`, and a `PUT`
     * of that same scope must be accepted); required for every other scope.
     */
    value: scopeValue.nullable().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.type === "tenant") return;
    if (s.value === undefined || s.value === null)
      ctx.addIssue({ code: "custom", path: ["value"], message: `scope ${s.type} needs a value` });
    else if (s.type === "channel" && !(KILL_SWITCH_CHANNELS as readonly string[]).includes(s.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `expected one of ${KILL_SWITCH_CHANNELS.join(", ")}` });
    }
  });

export const killSwitchRequestSchema = z.strictObject({
  scope: killSwitchScopeSchema,
  state: z.enum(KILL_SWITCH_STATES),
  /** Why: shown in the audit and on the switch. */
  reason: z
    .string()
    .trim()
    .min(3, "give a reason of at least 3 characters")
    .max(500, "expected at most 500 characters"),
  /** An owner resumes although golden records would change (docs/contracts.md "Golden records and safe mode"). */
  goldenOverride: goldenOverrideSchema.optional(),
});

export type KillSwitchScopeInput = z.infer<typeof killSwitchScopeSchema>;
export type KillSwitchRequest = z.infer<typeof killSwitchRequestSchema>;
