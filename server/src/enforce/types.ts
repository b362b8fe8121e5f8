import type { AuditEventInput, CrmName, Decision, PolicyObject } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import type { CrmRecord } from "../crm/index.js";
import type { SnapshotStore } from "../snapshots/index.js";
import type { CounterKey, CountersSnapshot, FactProperties, KillSwitchState, RecordFacts } from "../policy/index.js";

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
  /** The CRM marks the value sensitive (HubSpot `isSensitive`): the audit keeps only its hash. */
  sensitive?: boolean | undefined;
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

/**
 * Who made a change, as far as Tollgate can tell (docs/architecture.md#the-flow attribution,
 * docs/contracts.md#rules-that-never-bend).
 */
export type Actor =
  | { type: "agent"; agentId: string; role: string; via: string }
  | { type: "human"; id: string; via: string }
  | { type: "tollgate"; via: string }
  | { type: "unattributed"; id: string; via: string };

export interface DeclaredAgent {
  id: string;
  role: string;
}

/** One agent write as the policy port decides it. */
export interface FieldWriteInput {
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
}

/**
 * What a decision is taken against besides the policy (docs/contracts.md#decisions): cap counters and kill switches.
 */
export interface DecisionState {
  counters: CountersSnapshot;
  switches: KillSwitchState;
}

/** What enforcement needs from the policy; the compiled policy satisfies it through an adapter. */
export interface PolicyPort {
  readonly version: string;
  findAgent(identity: { crm: CrmName; appId?: string; userId?: string; client?: string }): DeclaredAgent | undefined;
  /** The decision for an agent writing `field` (directly, or proposing it through its shadow). */
  decideFieldWrite(input: FieldWriteInput): Decision;
  /** The canonical field a shadow field proposes, or `undefined` for a field that is not a shadow. */
  canonicalOfShadow(field: string): string | undefined;
  /**
   * docs/contracts.md#rules-that-never-bend: a write by an unknown source is denied only where the policy enforces such
   * writes, and only on a governed field (never provenance or shadow fields); `undefined` = observe.
   */
  decideUnattributed(input: { object: string; field: string }): Decision | undefined;
  /** When a proposal needing approval lapses. */
  approvalTtlMs(): number;
  /** Whether the policy says an over-cap write is held for a person (`hold`) or denied. */
  overCapHolds(): boolean;
  /** The cap counters a write counts against. Optional: a port without it counts nothing. */
  counterKeys?(input: FieldWriteInput): CounterKey[];
  /** The same policy deciding against these counters and switches. Optional: without it, `guard` is not used. */
  withState?(state: DecisionState): PolicyPort;
  /** Whether the rule for this write names a record-fact exception (named account, regulated, exec). Optional. */
  needsRecordFacts?(input: FieldWriteInput): boolean;
  /** Which CRM properties answer those exceptions. */
  recordFactProperties?(crm: CrmName): FactProperties;
  /** The same policy answering record-fact exceptions from these facts (keyed `<object>/<recordId>`). */
  withRecordFacts?(facts: ReadonlyMap<string, RecordFacts>): PolicyPort;
  /** Whether a rule names `exceptions.new_provider`: only then are onboarded providers looked up. */
  readonly namesNewProvider?: boolean;
  /** The port deciding with these providers onboarded (lower case); any other a change names is new. */
  withOnboardedProviders?(providers: ReadonlySet<string>): PolicyPort;
}

/** One governed agent write of a batch (a direct write or a proposal; provenance excepted). */
export interface GuardedWrite {
  /** Its place in the batch, in the order things happened. */
  position: number;
  /** The change's event key: what triggers count it once by (none: an action, counted as it comes). */
  eventKey?: string;
  agentId: string;
  role: string;
  input: FieldWriteInput;
}

/** How a governed write was decided, for automatic triggers and "what the switch prevented". */
export interface GuardedOutcome {
  /** The change's event key: what triggers count it once by (none: an action, counted as it comes). */
  eventKey?: string;
  agentId: string;
  role: string;
  viaShadow: boolean;
  decision: Decision;
  /** Reverted (a direct write) or refused (a proposal's shadow cleared). */
  refused: boolean;
}

/** What `consume` found for one write: it fit under every cap, or the counters when it did not. */
export type ConsumeOutcome = { ok: true } | { ok: false; counters: CountersSnapshot };

/**
 * Kill switches, automatic triggers and caps around each batch's decisions (killswitch/ and
 * limits/ implement it). Optional: without it every write is decided with no switches and empty
 * counters.
 */
export interface GuardPort {
  /**
   * Before any decision: counts the writes for automatic triggers — so the write that crosses a
   * threshold is itself refused — trips switches, and reads the switches and cap counters.
   * Returns the state each write (by `position`) is decided with.
   */
  prepare(
    tenantId: string,
    policy: PolicyPort,
    writes: readonly GuardedWrite[],
  ): Promise<{ stateAt(position: number): DecisionState }>;
  /**
   * Takes cap slots for the allowed writes, in order, atomically; one that no longer fits is not
   * counted, and one already counted for its event key (a retried batch) is not counted again.
   */
  consume(
    tenantId: string,
    items: readonly (readonly CounterKey[])[],
    eventKeys?: readonly string[],
  ): Promise<ConsumeOutcome[]>;
  /** After the batch is committed: post-decision triggers and what switches prevented. Never throws. */
  settled(tenantId: string, outcomes: readonly GuardedOutcome[]): Promise<void>;
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
  /** Properties whose values the CRM marks sensitive: the write's audit keeps only their hashes. */
  sensitiveFields?: string[] | undefined;
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
  /** The CRM marks the values sensitive: the approval's audit events keep only their hashes. */
  sensitive?: boolean | undefined;
}

export interface ApprovalsPort {
  /** Stores a pending approval (superseding an older pending one for the same field) and returns its id. */
  create(approval: NewApproval, options: { tx: Sql }): Promise<string>;
  /** After commit: schedule expiry and notification jobs. */
  scheduled(tenantId: string, ids: string[]): Promise<void>;
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
  db: Sql & { transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> };
  audit: AuditPort;
  snapshots: SnapshotStore;
  writes: WritesPort;
  approvals: ApprovalsPort;
  exceptions: ExceptionsPort;
  policyFor(tenantId: string): PolicyPort;
  /** Reads records from the tenant's CRM (history included when asked): the fallback when no prior value is known. */
  readRecords(
    tenantId: string,
    objectType: string,
    ids: string[],
    properties: string[],
    withHistory: boolean,
  ): Promise<CrmRecord[]>;
  /** Tollgate's own identities, whose writes are never re-enforced. */
  self: {
    hubspotAppId?: string | undefined;
    salesforceUserId?: string | undefined;
    salesforceClient?: string | undefined;
  };
  now(): Date;
  /** Kill switches, automatic triggers and caps (optional). */
  guard?: GuardPort | undefined;
}
