import type { DrillCrm, DrillTestRecord } from "./drill-crm.js";

/**
 * The buyer's drills (requirements R12) as data: each drill is a list of steps, each step says
 * what was tried, what Tollgate did, the audit events that prove it, and whether it passed.
 * Generic on purpose: any drill (a containment report, a new control) adds steps, and the
 * report renders them the same way (docs/operations.md "Drills").
 */

/** An audit event a step cites as proof. */
export interface DrillEvidence {
  eventId: string;
  action: string;
  outcome: string | null;
  /** One line: who, what, which rule. */
  summary: string;
}

export interface DrillStep {
  title: string;
  /** What the drill did (as an agent, an operator, an owner…). */
  tried: string;
  /** What Tollgate answered or did. */
  observed: string;
  evidence: DrillEvidence[];
  passed: boolean;
  ms: number;
}

export interface DrillResult {
  name: DrillName;
  title: string;
  passed: boolean;
  ms: number;
  steps: DrillStep[];
  /** Set when the drill could not run to its end. */
  error?: string;
}

export interface DrillReport {
  target: string;
  /** `sandbox`: the local sandbox; `live`: the configured CRM, on a test record the drill created and removed. */
  mode: "sandbox" | "live";
  /** What the run did to the CRM outside the drills (the live test record, its removal, verified). */
  notes: string[];
  startedAt: string;
  ms: number;
  passed: boolean;
  drills: DrillResult[];
}

export const DRILL_NAMES = [
  "permission-denial",
  "approval-gate",
  "audit-reconstruction",
  "replay",
  "kill-switch",
] as const;
export type DrillName = (typeof DRILL_NAMES)[number];

/** Whom a drill acts as: a human key by role, or an agent by id. */
export type DrillIdentity = "owner" | "auditor" | "approver" | "operator" | `agent:${string}`;

/**
 * What drills need from a running Tollgate and its CRM. The sandbox entry implements it with the
 * local HubSpot sandbox, `--live` with the configured portal or org; drills never reach the CRM
 * but through it.
 */
export interface DrillContext {
  tenantId: string;
  /** The CRM the drills speak to and how it names the contacts and fields they touch. */
  crm: DrillCrm;
  /** Tollgate's HTTP API, as one of the drill's identities. */
  call(as: DrillIdentity, method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<DrillResponse>;
  /** An agent writes to the CRM directly with its own credentials, as it would without Tollgate. */
  agentWrites(agentId: string, objectType: string, objectId: string, properties: Record<string, string>): Promise<void>;
  /** Waits until Tollgate has processed everything the CRM reported and sent what it queued. */
  settle(): Promise<void>;
  readRecord(objectType: string, objectId: string): Promise<Record<string, string | null>>;
  /** Creates records to drill on (the sandbox only); absent on a live CRM, where such drills are skipped. */
  seedRecords?(objectType: string, records: Record<string, string>[]): Promise<string[]>;
  /**
   * Live only: the contact the drill created for itself in the configured CRM (removed at the
   * end). Drills that would write to CRM records write to it alone, through the gate.
   */
  testRecord?: DrillTestRecord;
}

export interface DrillResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many routes
}
