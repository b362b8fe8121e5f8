import type { CrmName, PolicyObject } from "../../../shared/crm-objects.js";
import type { Decision } from "../../../shared/decision.js";
import type { AuditEventInput } from "../../../shared/audit-event.js";
import type { Sql } from "../db/index.js";
import type { CrmRecord } from "../crm/index.js";
import type { SnapshotStore } from "../snapshots/index.js";

/** A change a CRM reported, CRM-neutral (HubSpot webhook event or Salesforce CDC entry). */
export interface CrmChange {
  tenantId: string;
  crm: CrmName;
  /** The CRM's API name: `contacts`, `0-1` normalised to `contacts`, `Lead`. */
  objectType: string;
  /** The policy's generic name; undefined for objects Tollgate does not govern. */
  policyObject: PolicyObject | undefined;
  objectId: string;
  kind: "property_change" | "creation" | "deletion" | "merge" | "association" | "other";
  property?: string | undefined;
  value?: string | null | undefined;
  occurredAt: Date;
  /** Dedupe key of the event (idempotency across retries). */
  eventKey: string;
  /** HubSpot `eventId`, CDC replay id…: kept in the audit as the source reference. */
  sourceEventId?: string | undefined;
  /** Who the CRM says made the change. */
  source: {
    /** HubSpot `changeSource` (`INTEGRATION`, `CRM_UI`…), Salesforce `changeOrigin`. */
    changeSource?: string | undefined;
    /** HubSpot `sourceId` (app id or `userId:<id>`). */
    sourceId?: string | undefined;
    /** Salesforce `commitUser`. */
    userId?: string | undefined;
    /** Salesforce `client=` tag of `changeOrigin`. */
    client?: string | undefined;
  };
}

/** Who made a change, as far as Tollgate can tell (DESIGN §1 attribution, §9). */
export type Actor =
  | { type: "agent"; agentId: string; role: string; via: string }
  | { type: "human"; id: string; via: string }
  | { type: "tollgate"; via: string }
  | { type: "unattributed"; id: string; via: string };

export interface DeclaredAgent {
  id: string;
  role: string;
}

/** What enforcement needs from the policy; the compiled policy satisfies it through an adapter. */
export interface PolicyPort {
  readonly version: string;
  findAgent(identity: { crm: CrmName; appId?: string; userId?: string; client?: string }): DeclaredAgent | undefined;
  /** The decision for an agent writing `field` (directly, or proposing it through its shadow). */
  decideFieldWrite(input: {
    agentId: string;
    /** The policy's object name; a CRM name Tollgate does not map is denied by default. */
    object: PolicyObject | string;
    field: string;
    viaShadow: boolean;
    value: string | null;
    confidence?: number | undefined;
    source?: string | undefined;
    recordId: string;
    at: Date;
  }): Decision;
  /** DESIGN §9: writes from unknown sources are enforced only where the policy says so. */
  enforcesUnattributed(): boolean;
  /** When a proposal needing approval lapses. */
  approvalTtlMs(): number;
  /** Whether the policy says an over-cap write is held for a person (`hold`) or denied. */
  overCapHolds(): boolean;
}

export interface AuditPort {
  appendMany(inputs: AuditEventInput[], options?: { tx?: Sql }): Promise<{ event_id: string }[]>;
}

export interface PlannedCrmWrite {
  tenantId: string;
  crm: CrmName;
  objectType: string;
  objectId: string;
  properties: Record<string, string>;
  purpose: "revert" | "apply" | "provenance" | "clear_shadow" | "rollback" | "agent_action";
  agentId: string | null;
  causedBy: string;
  expected?: Record<string, string | null> | undefined;
}

export interface WritesPort {
  enqueue(writes: PlannedCrmWrite[], options?: { tx?: Sql }): Promise<string[]>;
  kick(tenantIds: string[]): Promise<void>;
}

export interface NewApproval {
  id: string;
  tenantId: string;
  crm: CrmName;
  objectType: string;
  objectId: string;
  field: string;
  shadowField: string | null;
  currentValue: string | null;
  proposedValue: string | null;
  confidence: number | null;
  source: string | null;
  reason: string | null;
  evidence: unknown;
  riskFlags: string[];
  approvalsNeeded: number;
  agentId: string;
  agentRole: string;
  ruleId: string;
  policyVersion: string;
  proposalEventId: string;
  expiresAt: Date;
}

export interface ApprovalsPort {
  /** Stores a pending approval (superseding an older pending one for the same field) and returns its id. */
  create(approval: NewApproval, options: { tx: Sql }): Promise<string>;
  /** After commit: schedule expiry and notification jobs. */
  scheduled(ids: string[]): Promise<void>;
}

export interface NewException {
  tenantId: string;
  kind: string;
  ruleId: string | null;
  agentId: string | null;
  crm: CrmName | null;
  objectType: string | null;
  objectId: string | null;
  field: string | null;
  eventId: string | null;
  summary: string;
}

export interface ExceptionsPort {
  open(exceptions: NewException[], options: { tx: Sql }): Promise<void>;
}

export interface EnforcementDeps {
  db: { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> };
  audit: AuditPort;
  snapshots: SnapshotStore;
  writes: WritesPort;
  approvals: ApprovalsPort;
  exceptions: ExceptionsPort;
  policyFor(tenantId: string): PolicyPort;
  /** Reads records from the tenant's CRM (history included when asked): the fallback when no prior value is known. */
  readRecords(tenantId: string, objectType: string, ids: string[], properties: string[], withHistory: boolean): Promise<CrmRecord[]>;
  /** Tollgate's own identities, whose writes are never re-enforced. */
  self: { hubspotAppId?: string | undefined; salesforceUserId?: string | undefined; salesforceClient?: string | undefined };
  now(): Date;
}
