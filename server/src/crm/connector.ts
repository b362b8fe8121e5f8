import type { CrmName } from "../../../shared/index.js";

/**
 * Everything Tollgate needs from a CRM, behind one interface (docs/architecture.md#storage-and-services,
 * docs/architecture.md#how-the-code-reads).
 * Enforcement, approvals and rollback talk only to this; nothing outside `crm/` imports a
 * CRM SDK. Object types are the CRM's own API names (`contacts`, `Lead`).
 */
export interface CrmConnector {
  readonly crm: CrmName;
  /** HubSpot portal id or Salesforce org id. */
  readonly tenantId: string;

  /**
   * Reads records with the named properties; with `withHistory`, each property's change
   * history (newest first). Batches internally (HubSpot: 100 ids a call; with history, 50).
   * Records that do not exist are absent from the result.
   */
  readRecords(
    objectType: string,
    ids: readonly string[],
    properties: readonly string[],
    options?: { withHistory?: boolean },
  ): Promise<CrmRecord[]>;

  /**
   * Writes property values, batching internally (HubSpot: 100 inputs per batch update).
   * `""` clears a value. One result per input, in input order; a failed batch marks each of
   * its inputs failed rather than throwing, except for rate limits and server errors, which
   * throw a retryable `CrmError` so the write queue can back off and retry the whole call.
   */
  writeRecords(writes: readonly RecordWrite[]): Promise<WriteResult[]>;

  /**
   * One page of every record of a type, with the named properties (HubSpot: 100 a call).
   * Pass the returned `after` back for the next page; none means the last page.
   */
  listRecords(
    objectType: string,
    properties: readonly string[],
    options?: { after?: string | undefined },
  ): Promise<{ records: CrmRecord[]; after: string | undefined }>;

  /**
   * One page of the records of a type matching every filter (AND), with the named properties
   * (HubSpot: CRM search, at most 6 filters and 100 a page; Salesforce: SOQL). Pass the returned
   * `after` back for the next page; none means the last page.
   */
  searchRecords(objectType: string, query: RecordSearch): Promise<{ records: CrmRecord[]; after: string | undefined }>;

  /**
   * Ids of the records of a type modified at or after `since`, oldest first: what the
   * reconciliation sweep reads history for (HubSpot: search on the last-modified date, 200 a
   * page, windows split at 10,000 results, 5 calls a second; Salesforce: SOQL on
   * `LastModifiedDate`). Optional while a connector does not offer it: reconciliation skips it.
   */
  listChangedSince?(objectType: string, since: Date): Promise<string[]>;

  /**
   * Creates one record with the given property values (HubSpot `POST /crm/v3/objects/{type}`;
   * Salesforce `POST /sobjects/{type}`). Only Tollgate's own tooling creates records — the live
   * drill's test record (docs/operations.md#drills); enforcement never does. @returns its id
   */
  createRecord?(objectType: string, properties: Record<string, string>): Promise<string>;

  /**
   * Archives (HubSpot `DELETE /crm/v3/objects/{type}/{id}`) or deletes (Salesforce
   * `DELETE /sobjects/{type}/{id}`) one record; one already gone is not an error. Optional
   * with `createRecord`: the live drill refuses a connector without both.
   */
  archiveRecord?(objectType: string, objectId: string): Promise<void>;

  /** Property definitions of one object type (for provisioning and typing shadow fields). */
  listProperties(objectType: string): Promise<PropertyDefinition[]>;

  /** Creates a property group if missing. @returns whether it was created. */
  ensurePropertyGroup(objectType: string, group: { name: string; label: string }): Promise<boolean>;

  /** Creates properties. Never updates or deletes existing ones (install is idempotent). */
  createProperties(objectType: string, properties: readonly PropertyDefinition[]): Promise<void>;

  /** Records one `writeRecords` call carries at most (HubSpot batch update: 100; sObject Collections: 200). */
  readonly writeBatchSize?: number | undefined;

  /** What the CRM last told us about its rate limit, if anything. */
  rateLimitState(): RateLimitState | undefined;

  /**
   * The CRM's own record of one user (HubSpot Settings Users API `GET /settings/v3/users/{id}`),
   * which approver groups are checked against. `undefined` when the CRM knows no such user.
   * A connector that cannot read users leaves it out, and card approvals then fail closed.
   */
  getUser?(userId: string): Promise<CrmUser | undefined>;

  /**
   * Every user of the CRM account (HubSpot Settings Users API `GET /settings/v3/users`), to find
   * the members of an approver group to notify. Optional: without it nobody is notified.
   */
  listUsers?(): Promise<CrmUser[]>;

  /**
   * Creates a to-do for one CRM user, linked to a record (HubSpot: a task owned by the user's
   * owner record, associated with the record). Optional: a connector that cannot leaves it out,
   * and approvals then notify no one in that CRM. @returns the task's id
   */
  createTask?(task: NewCrmTask): Promise<string>;

  /** Marks a task done (HubSpot: `hs_task_status` COMPLETED). A task deleted meanwhile is not an error. */
  completeTask?(taskId: string): Promise<void>;

  /**
   * Freezes (`true`) or unfreezes a CRM user, so the CRM itself refuses its API calls (Salesforce
   * `UserLogin.IsFrozen`; docs/operations.md, containment). Only for the users a policy declares
   * as agents: the caller checks that. A CRM without such a switch leaves it out.
   */
  setUserFrozen?(userId: string, frozen: boolean): Promise<UserFreeze>;
}

/** A user's freeze as the CRM reports it after the change. */
export interface UserFreeze {
  userId: string;
  /** Frozen before the call (by an admin, or an earlier switch): unfreezing is then not Tollgate's to do. */
  wasFrozen: boolean;
  /** Frozen now, as read back from the CRM. */
  frozen: boolean;
}

/** A to-do for one CRM user about one record (approval notifications, docs/operations.md). */
export interface NewCrmTask {
  objectType: string;
  objectId: string;
  /** The CRM user (`CrmUser.id`) the task is assigned to. */
  userId: string;
  subject: string;
  body: string;
  /** ISO-8601: when it is due (the approval's expiry). */
  dueAt: string;
}

/**
 * A CRM user as approver groups see it — CRM-neutral, so HubSpot cards and Salesforce card
 * requests are checked by the same function.
 */
export interface CrmUser {
  crm: CrmName;
  id: string;
  email?: string | undefined;
  /** HubSpot `roleIds`. */
  roleIds: string[];
  /** HubSpot `primaryTeamId` and `secondaryTeamIds`. */
  teamIds: string[];
  /** HubSpot `superAdmin`. */
  superAdmin: boolean;
  /** Salesforce permission set names assigned to the user. */
  permissionSets: string[];
}

export interface CrmRecord {
  objectType: string;
  objectId: string;
  properties: Record<string, string | null>;
  /** Present when read with history: per property, newest first. */
  history?: Record<string, PropertyHistoryEntry[]>;
}

export interface PropertyHistoryEntry {
  value: string | null;
  /** ISO-8601 */
  timestamp: string;
  /** HubSpot `sourceType` (`INTEGRATION`, `CRM_UI`, …) or Salesforce change origin. */
  sourceType: string;
  /** HubSpot app id or `userId:<id>`; Salesforce user id. */
  sourceId?: string | undefined;
}

/** One search condition, CRM-neutral: `eq`/`neq` compare with `value`; `has_property` means set. */
export interface RecordFilter {
  property: string;
  operator: "eq" | "neq" | "has_property" | "not_has_property";
  value?: string | undefined;
}

/** A search: every filter must match; one page of `limit` records from the cursor `after`. */
export interface RecordSearch {
  filters: readonly RecordFilter[];
  properties: readonly string[];
  limit?: number | undefined;
  after?: string | undefined;
}

export interface RecordWrite {
  objectType: string;
  objectId: string;
  properties: Record<string, string>;
}

export interface WriteResult {
  objectType: string;
  objectId: string;
  ok: boolean;
  /** Set when `ok` is false. */
  error?: { code: string; message: string } | undefined;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  /** HubSpot `type` (`string`, `number`, `datetime`, `enumeration`, `bool`, `date`). */
  type: string;
  /** HubSpot `fieldType` (`text`, `textarea`, `number`, `date`, `select`, …). */
  fieldType: string;
  groupName?: string | undefined;
  description?: string | undefined;
  options?: { label: string; value: string; hidden?: boolean; displayOrder?: number }[] | undefined;
  /** True for properties the CRM computes or that no one may write. */
  readOnly?: boolean | undefined;
  /**
   * The CRM marks the property's values sensitive (HubSpot Sensitive Data: `dataSensitivity`
   * `sensitive` or `highly_sensitive`): the audit keeps only their hashes (docs/contracts.md#audit-event).
   */
  sensitive?: boolean | undefined;
}

export interface RateLimitState {
  /** Requests allowed per interval. */
  max: number;
  remaining: number;
  intervalMs: number;
  /** When the numbers were read (epoch ms). */
  observedAt: number;
  dailyRemaining?: number | undefined;
}
