import { z } from "zod";

/**
 * A Salesforce Change Data Capture event as CometD delivers it (jsforce's `data`), and as a Flow
 * or Apex callout posts it to `/webhooks/salesforce` (docs/contracts.md). Only what Tollgate reads
 * is checked; the record's changed fields sit beside `ChangeEventHeader` in `payload`.
 */
export const CHANGE_TYPES = [
  "CREATE",
  "UPDATE",
  "DELETE",
  "UNDELETE",
  "GAP_CREATE",
  "GAP_UPDATE",
  "GAP_DELETE",
  "GAP_UNDELETE",
  "GAP_OVERFLOW",
] as const;

export const changeEventHeaderSchema = z.object({
  entityName: z.string().min(1),
  recordIds: z.array(z.string()),
  changeType: z.enum(CHANGE_TYPES),
  changeOrigin: z.string().optional().default(""),
  transactionKey: z.string().min(1),
  sequenceNumber: z.number().int(),
  commitTimestamp: z.number().int(),
  commitNumber: z.number().optional(),
  commitUser: z.string().optional(),
  changedFields: z.array(z.string()).optional(),
  nulledFields: z.array(z.string()).optional(),
  diffFields: z.array(z.string()).optional(),
});
export type ChangeEventHeader = z.infer<typeof changeEventHeaderSchema>;

export const salesforceChangeEventSchema = z.object({
  schema: z.string().optional(),
  payload: z.looseObject({ ChangeEventHeader: changeEventHeaderSchema }),
  event: z.object({ replayId: z.number().int() }).optional(),
});
export type SalesforceChangeEvent = z.infer<typeof salesforceChangeEventSchema>;

/** The body of `POST /webhooks/salesforce`. */
export const salesforceWebhookBodySchema = z.object({
  orgId: z.string().regex(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, "must be a Salesforce org id (00D…)"),
  events: z.array(salesforceChangeEventSchema).min(1).max(1000),
});
export type SalesforceWebhookBody = z.infer<typeof salesforceWebhookBodySchema>;
