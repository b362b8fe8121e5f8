import { z } from "zod";
import { CRMS, POLICY_OBJECTS } from "./crm-objects.js";
import { OUTCOMES } from "./decision.js";
import { POLICY_ACTIONS, isValidTimeZone } from "./policy-manifest.js";
import { boundedJson } from "./bounded-json.js";

/**
 * docs/contracts.md#http-api (contract): `POST /v1/actions`, the pre-write gate. An agent asks before it does
 * what cannot be undone (send an email, enroll in a sequence, book a meeting) or before it
 * writes a field; Tollgate answers with the decision, and carries out what it can itself
 * (field writes) when allowed.
 */

/** The verbs the gate takes: the policy's verbs, plus `update_field` for one field write. */
export const ACTION_VERBS = [...POLICY_ACTIONS, "update_field"] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

/** Longest email body the gate takes: it is kept whole in the audit (R12 drill 3). */
export const MAX_BODY_CHARS = 100_000;

const text = (max: number) => z.string().max(max, `expected at most ${max} characters`);
const nonEmpty = (max: number) =>
  z.string().trim().min(1, "expected a non-empty value").max(max, `expected at most ${max} characters`);
const unit = z
  .number({ error: "expected a number from 0 to 1" })
  .min(0, "expected a number from 0 to 1")
  .max(1, "expected a number from 0 to 1");

/** What the agent is about to send, enroll or book: checked for compliance (R4) and audited whole. */
export const actionPayloadSchema = z.strictObject({
  /** Recipient address. Required for `send_email`. */
  to: z.email("expected an email address").max(320).optional(),
  /** Sender address; its domain must be `domain` when both are given (sender identity, R4). */
  from: z.email("expected an email address").max(320).optional(),
  /** The sender's display name. */
  fromName: text(200).optional(),
  subject: text(998).optional(),
  /** The message as sent (HTML or text). Required for `send_email`. */
  body: text(MAX_BODY_CHARS).optional(),
  /** Template family (`auto_if.templates`, `template` kill switches, dedupe). */
  template: nonEmpty(200).optional(),
  /** Sending domain (`per_domain_per_day`, `domain` kill switches). */
  domain: nonEmpty(253).optional(),
  sequenceId: nonEmpty(200).optional(),
  meetingAt: z.iso.datetime({ offset: true, error: "expected an ISO-8601 date-time" }).optional(),
  /** The recipient's jurisdiction requires a postal address in commercial email (CAN-SPAM). */
  requirePostalAddress: z.boolean().optional(),
  /** The sender's postal address, when the body does not already carry it. */
  postalAddress: text(500).optional(),
  /** The caller knows the recipient opted out or is suppressed (DNC). */
  optedOut: z.boolean().optional(),
});
export type ActionPayload = z.infer<typeof actionPayloadSchema>;

/** Facts about the target the agent knows (policy `exceptions`, `auto_if`, kill-switch scopes). */
export const actionAttributesSchema = z.strictObject({
  namedAccount: z.boolean().optional(),
  regulatedIndustry: z.boolean().optional(),
  execPersona: z.boolean().optional(),
  newSegment: z.boolean().optional(),
  slaMatch: z.boolean().optional(),
  segment: nonEmpty(200).optional(),
  domain: nonEmpty(253).optional(),
  newDomain: z.boolean().optional(),
  template: nonEmpty(200).optional(),
  provider: nonEmpty(200).optional(),
  /** Accepted for symmetry with `newDomain`; Tollgate's own approvals decide it (`exceptions.new_provider`). */
  newProvider: z.boolean().optional(),
});

export const actionRequestSchema = z
  .strictObject({
    action: z.enum(ACTION_VERBS),
    crm: z.enum(CRMS),
    /** The policy's object name (`contact`, `lead`, `deal`…). */
    object: z.enum(POLICY_OBJECTS),
    /** The object as the CRM's API names it (`contacts`, `Lead`); derived from `object` when absent. */
    objectType: nonEmpty(100).optional(),
    /** The CRM record. Required for `update_field`. */
    objectId: nonEmpty(100).optional(),
    /** For `update_field`: the CRM property. */
    field: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "expected a CRM property name")
      .max(100)
      .optional(),
    /** For `update_field`: the new value; null clears it. */
    value: text(65_536).nullable().optional(),
    payload: actionPayloadSchema.optional(),
    confidence: unit.optional(),
    /** Data provider or signal (`auto_if.sources`). */
    source: nonEmpty(200).optional(),
    /** URL or event id of the signal (audit `source_signal_ref`). */
    sourceRef: nonEmpty(2000).optional(),
    /** One sentence: why. */
    reason: text(2000).optional(),
    /** Sources, signals, extracted facts: any JSON up to 32 levels deep and 64 KB, kept whole in the audit. */
    evidence: boundedJson().optional(),
    runId: nonEmpty(200).optional(),
    icpMatch: unit.optional(),
    /** Account/company id: per-account caps. */
    accountId: nonEmpty(100).optional(),
    attributes: actionAttributesSchema.optional(),
    prospectTimeZone: z.string().refine(isValidTimeZone, "expected an IANA time zone").optional(),
    /** The approval this request carries out (a retry after a person approved). */
    approvalId: nonEmpty(100).optional(),
    /** The same key (per agent) returns the same answer and does nothing twice. */
    idempotencyKey: nonEmpty(200).optional(),
    agentVersion: nonEmpty(200).optional(),
    modelVersion: nonEmpty(200).optional(),
    promptVersion: nonEmpty(200).optional(),
    /** SHA-256 of the prompt, never the prompt. */
    promptHash: nonEmpty(200).optional(),
    toolName: nonEmpty(200).optional(),
    /** Decide only: nothing is audited, counted, queued or stored. */
    dryRun: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    const need = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (r.action === "update_field") {
      if (r.field === undefined) need(["field"], "update_field needs the field to write");
      if (r.value === undefined) need(["value"], "update_field needs a value (null clears the field)");
      if (r.objectId === undefined) need(["objectId"], "update_field needs the record's id");
      // A field approval is applied by Tollgate once approved: there is nothing to retry.
      if (r.approvalId !== undefined)
        need(["approvalId"], "update_field is applied by Tollgate once approved; do not retry it with approvalId");
    } else {
      if (r.field !== undefined) need(["field"], `field is for update_field, not ${r.action}`);
      if (r.value !== undefined) need(["value"], `value is for update_field, not ${r.action}`);
    }
    if (r.action === "send_email") {
      if (r.payload?.to === undefined) need(["payload", "to"], "send_email needs the recipient");
      if (r.payload?.body === undefined)
        need(["payload", "body"], "send_email needs the body, to check it before it is sent");
    }
    if (r.action === "book_meeting" && r.payload?.meetingAt === undefined)
      need(["payload", "meetingAt"], "book_meeting needs the meeting time");
    if (r.action === "enroll_sequence" && r.payload?.sequenceId === undefined)
      need(["payload", "sequenceId"], "enroll_sequence needs the sequence id");
  });
export type ActionRequest = z.infer<typeof actionRequestSchema>;

export const actionDecisionSchema = z.object({
  outcome: z.enum(OUTCOMES),
  tier: z.number().int().min(0).max(4),
  ruleId: z.string(),
  policyVersion: z.string(),
  reasons: z.array(z.string()),
  approvers: z.number().int().min(0).max(2).optional(),
});

/**
 * A permit for an allowed action Tollgate cannot perform itself (a send, an enrollment, a
 * meeting): the agent performs it with its own tool before `expiresAt`, citing `eventId` — the
 * audit event recording the intent — as its approval trace. `token` is a signed copy of the
 * claims, for a sending tool or relay that checks it (absent without a signing key).
 */
export const actionPermitSchema = z.object({
  eventId: z.string(),
  expiresAt: z.string(),
  /** The action's digest the permit is bound to (shared/permit.ts `permitDigest`). */
  digest: z.string().optional(),
  /** Usable once, through `POST /v1/permits/verify`, until `expiresAt`. */
  token: z.string().optional(),
});

export const actionResponseSchema = z.object({
  decision: actionDecisionSchema,
  /** Tollgate carried the action out (a queued CRM write); false for permits and refusals. */
  executed: z.boolean(),
  /** The audit event of this decision; null for a dry run. */
  eventId: z.string().nullable(),
  /** The approval created (needs a person) or carried out (the retry that used it). */
  approvalId: z.string().optional(),
  /** The queued CRM write, for an executed `update_field`. */
  writeId: z.string().optional(),
  permit: actionPermitSchema.optional(),
  /** Compliance and approval findings (`missing_unsubscribe`, `duplicate_send`…). */
  riskFlags: z.array(z.string()),
  dryRun: z.boolean().optional(),
});
export type ActionResponse = z.infer<typeof actionResponseSchema>;
export type ActionPermit = z.infer<typeof actionPermitSchema>;
