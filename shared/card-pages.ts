import { z } from "zod";
import { approvalSchema } from "./approval.js";

/**
 * docs/contracts.md#http-api: what the HubSpot app's home page (the approval inbox) and its
 * settings page (RevOps) read — through the same signed card requests and role checks as the
 * record cards.
 */

/**
 * The inbox's views of a tenant's pending approvals: `mine` (I may decide and have not yet
 * approved), `team` (the approver group admits one of my teams), `overdue` (waiting longer than
 * half of its time to expiry), `all`.
 */
export const INBOX_VIEWS = ["mine", "team", "overdue", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_MAX = 100;

export const inboxQuerySchema = z.strictObject({
  view: z.enum(INBOX_VIEWS).default("mine"),
  objectType: z.string().trim().min(1).max(100).optional(),
  agentId: z.string().trim().min(1).max(200).optional(),
  field: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(INBOX_MAX).default(50),
});
export type InboxQuery = z.input<typeof inboxQuerySchema>;

export const inboxSchema = z.object({
  view: z.enum(INBOX_VIEWS),
  /** Soonest to expire first. */
  approvals: z.array(approvalSchema),
  /** How many pending approvals each view holds (filters applied). */
  counts: z.object({
    mine: z.number().int(),
    team: z.number().int(),
    overdue: z.number().int(),
    all: z.number().int(),
  }),
});
export type Inbox = z.infer<typeof inboxSchema>;

const killSwitchWire = z.object({
  scope: z.object({ type: z.string(), value: z.string().nullable() }),
  state: z.enum(["on", "off"]),
  reason: z.string(),
  who: z.object({ type: z.string(), id: z.string(), role: z.string().nullable(), via: z.string().nullable() }),
  when: z.string(),
});

/** `GET /v1/settings`: the RevOps view of one tenant. */
export const settingsViewSchema = z.object({
  tenantId: z.string(),
  /** The caller's Tollgate role and what it may do with kill switches. */
  you: z.object({
    role: z.string(),
    mayPullTenant: z.boolean(),
    mayPullScoped: z.boolean(),
  }),
  killSwitches: z.array(killSwitchWire),
  /** Policy agents and roles a switch may name. */
  scopes: z.object({ agents: z.array(z.string()), roles: z.array(z.string()) }),
  policy: z.object({
    version: z.string(),
    updatedAt: z.string().nullable(),
    updatedBy: z.string().nullable(),
    /** The latest changes, newest first: who, when, and the diff summary. */
    changes: z.array(z.object({ at: z.string(), by: z.string(), version: z.string().nullable(), summary: z.string() })),
  }),
  /** Recent reverts (the backstop undoing a write), newest first. */
  reverts: z.array(
    z.object({
      at: z.string(),
      objectType: z.string().nullable(),
      objectId: z.string().nullable(),
      summary: z.string(),
      agentId: z.string().nullable(),
    }),
  ),
  /** Open exceptions with their owner and SLA. */
  exceptions: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      state: z.string(),
      owner: z.string().nullable(),
      objectType: z.string().nullable(),
      objectId: z.string().nullable(),
      reviewDueAt: z.string(),
      remediateDueAt: z.string(),
      overdue: z.boolean(),
    }),
  ),
  /** The latest background provisioning and baseline run (`GET /v1/setup`), or null. */
  setup: z
    .object({
      state: z.string(),
      reason: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      created: z.number().int(),
      objects: z.array(
        z.object({ objectType: z.string(), records: z.number(), values: z.number(), calls: z.number() }),
      ),
      subscriptionsToUpload: z.array(z.string()),
      error: z.string().nullable(),
    })
    .nullable(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;
