import { z } from "zod";
import { actionAttributesSchema, actionPayloadSchema } from "./action.js";
import { CRMS } from "./crm-objects.js";
import { POLICY_ACTIONS, isValidTimeZone } from "./policy-manifest.js";

/**
 * docs/contracts.md (MCP, contract): the six tools of the governed MCP server and their inputs. The MCP SDK
 * turns these schemas into each tool's JSON Schema (`tools/list`) and Tollgate validates every
 * call against them; a call that does not match is refused as a tool result naming the key.
 */

export const MCP_TOOL_NAMES = [
  "crm_get_record",
  "crm_search_records",
  "crm_propose_change",
  "crm_update_field",
  "request_action",
  "get_decision",
] as const;
export type McpToolName = (typeof MCP_TOOL_NAMES)[number];

const text = (max: number) => z.string().max(max, `expected at most ${max} characters`);
const nonEmpty = (max: number) =>
  z.string().trim().min(1, "expected a non-empty value").max(max, `expected at most ${max} characters`);
const propertyName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "expected a CRM property name")
  .max(100, "expected at most 100 characters");
const unit = z
  .number({ error: "expected a number from 0 to 1" })
  .min(0, "expected a number from 0 to 1")
  .max(1, "expected a number from 0 to 1");

const crm = z.enum(CRMS).describe("which CRM: hubspot or salesforce");
const objectType = nonEmpty(100).describe(
  "the object as the CRM's API names it (contacts, 0-1, Lead) or the policy's generic name (contact, lead)",
);
const objectId = nonEmpty(100).describe("the CRM record id");
const properties = z
  .array(propertyName)
  .max(100, "expected at most 100 properties")
  .optional()
  .describe("properties to return; default: every property your role may read");
const runId = nonEmpty(200).optional().describe("your run id, kept in the audit");
const idempotencyKey = nonEmpty(200).optional().describe("the same key returns the same answer and does nothing twice");

/** CRM-neutral search operators (HubSpot EQ/NEQ/HAS_PROPERTY/NOT_HAS_PROPERTY; SOQL =, !=, != null, = null). */
export const SEARCH_OPERATORS = ["eq", "neq", "has_property", "not_has_property"] as const;

export const searchFilterSchema = z.strictObject({
  property: propertyName,
  operator: z.enum(SEARCH_OPERATORS),
  value: text(1000).optional().describe("for eq and neq"),
});
export type SearchFilter = z.infer<typeof searchFilterSchema>;

export const crmGetRecordInputSchema = z.strictObject({ crm, objectType, objectId, properties });

export const crmSearchRecordsInputSchema = z.strictObject({
  crm,
  objectType,
  filters: z
    .array(searchFilterSchema)
    .max(6, "expected at most 6 filters")
    .describe("all must match; only properties your role may read"),
  properties,
  limit: z.number().int().min(1).max(100).optional().describe("at most 100; default 10"),
  after: nonEmpty(100).optional().describe("the cursor a previous page returned"),
});

/** `crm_propose_change` and `crm_update_field` take the same input (docs/contracts.md, MCP). */
export const crmFieldChangeInputSchema = z.strictObject({
  crm,
  objectType,
  objectId,
  field: propertyName.describe("the CRM property (its API name)"),
  value: text(65_536).nullable().describe("the new value; null clears the field"),
  confidence: unit.describe("your confidence in the value, 0 to 1"),
  source: nonEmpty(200).describe("data provider or signal, e.g. clearbit"),
  reason: nonEmpty(2000).describe("one sentence: why"),
  evidence: z.unknown().optional().describe("sources, signals, extracted facts (JSON)"),
  runId,
  idempotencyKey,
});

export const requestActionInputSchema = z.strictObject({
  verb: z.enum(POLICY_ACTIONS).describe("send_email, enroll_sequence, book_meeting, create_task, create_note, …"),
  crm,
  objectType,
  objectId: objectId.optional(),
  payload: actionPayloadSchema.optional().describe("what is sent, enrolled or booked: checked and audited whole"),
  confidence: unit.optional(),
  source: nonEmpty(200).optional(),
  reason: text(2000).optional(),
  evidence: z.unknown().optional(),
  attributes: actionAttributesSchema.optional(),
  prospectTimeZone: z.string().refine(isValidTimeZone, "expected an IANA time zone").optional(),
  icpMatch: unit.optional(),
  accountId: nonEmpty(100).optional(),
  approvalId: nonEmpty(100).optional().describe("the approval this retry carries out, once a person approved it"),
  runId,
  idempotencyKey,
});

export const getDecisionInputSchema = z
  .strictObject({
    eventId: nonEmpty(100).optional().describe("the eventId a tool returned"),
    approvalId: nonEmpty(100).optional().describe("the approvalId a tool returned"),
  })
  .refine((v) => (v.eventId === undefined) !== (v.approvalId === undefined), {
    message: "give exactly one of eventId and approvalId",
  });

export type CrmGetRecordInput = z.infer<typeof crmGetRecordInputSchema>;
export type CrmSearchRecordsInput = z.infer<typeof crmSearchRecordsInputSchema>;
export type CrmFieldChangeInput = z.infer<typeof crmFieldChangeInputSchema>;
export type RequestActionInput = z.infer<typeof requestActionInputSchema>;
export type GetDecisionInput = z.infer<typeof getDecisionInputSchema>;
