import type { Server } from "node:http";
import type { Redis } from "ioredis";
import type { ActionGate } from "../actions/index.js";
import type { ApprovalQueue, ApprovalStore } from "../approvals/index.js";
import type { AuditJobs, AuditLog } from "../audit/index.js";
import type { CdcIngestor } from "../cdc/index.js";
import type { Config } from "../config/index.js";
import type { CrmConnector } from "../crm/index.js";
import type { Database } from "../db/index.js";
import type { ExceptionQueue, ExceptionStore } from "../exceptions/index.js";
import type { SetupRunner } from "../install/index.js";
import type { KillSwitchService } from "../killswitch/index.js";
import type { Containment } from "../containment/index.js";
import type { McpService } from "../mcp/index.js";
import type { Logger, Metrics } from "../observability/index.js";
import type { PolicyRegistry } from "../policy/index.js";
import type { QaSampler } from "../qa/index.js";
import type { Reconciler } from "../reconcile/index.js";
import type { ReplayService } from "../replay/index.js";
import type { GoldenService } from "../golden/index.js";
import type { SafeModeService } from "../safe-mode/index.js";
import type { RollbackService } from "../rollback/index.js";
import type { BaselineResult } from "../snapshots/index.js";
import type { HubSpotTenancy, SalesforceTenancy } from "../tenancy/index.js";
import type { CrmWriteQueue } from "../writes/index.js";

export interface TollgateOptions {
  logger?: Logger;
  /** Namespaces Redis keys and BullMQ queues. @defaultValue "tollgate" */
  prefix?: string;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Use this database instead of the one the config names (tests). */
  db?: Database;
  /** Start the webhook and write workers with `start()`. @defaultValue true */
  workers?: boolean;
  /**
   * Provision the Salesforce org at `start()` (its fields, field access and CDC selection). Off
   * for the live drill, whose Tollgate writes nothing to the org but its test record
   * (docs/operations.md "Drills"). @defaultValue true
   */
  provisionSalesforce?: boolean;
}

/** Work not yet done for a tenant: webhook jobs waiting or running, CRM writes not yet sent. */
export interface Backlog {
  webhookJobs: number;
  pendingWrites: number;
}

/** A Tollgate that runs: what `npm start` needs of it. */
export interface RunningTollgate {
  readonly config: Config;
  readonly logger: Logger;
  /** Provisions (private-app mode), starts workers, then listens. */
  start(): Promise<Server>;
  stop(): Promise<void>;
  /** Records every governed field's current value as a trusted baseline (one list call per 100 records). */
  baseline(tenantId: string): Promise<BaselineResult[]>;
  backlog(tenantId: string): Promise<Backlog>;
}

/** What an operator acts through: the CLI's commands, the demo's and the drills' scenes. */
export interface TollgateServices {
  audit: AuditLog;
  /** Checkpoints, retention (`tollgate audit retention`) and the SIEM stream. */
  auditJobs: AuditJobs;
  policies: PolicyRegistry;
  killSwitches: KillSwitchService;
  approvals: ApprovalStore;
  exceptions: ExceptionStore;
  exceptionQueue: ExceptionQueue;
  rollback: RollbackService;
  qa: QaSampler;
  replay: ReplayService;
  /** Golden records, run before a policy change or a resume. */
  golden: GoldenService;
  /** Agents whose changes wait for a person until a time. */
  safeModes: SafeModeService;
  /** The governed MCP server (`/mcp`, `tollgate mcp`). */
  mcp: McpService;
  /** Containment reports of switch changes (docs/operations.md#containment). */
  containment: Containment;
  /** Provisioning and the baseline in the background, with progress (docs/operations.md#install-and-setup). */
  setup: SetupRunner;
  hubspot: HubSpotTenancy;
  /** The Salesforce org, when the environment names one. */
  salesforce: SalesforceTenancy | undefined;
}

/** An operator's Tollgate: the CLI builds one without workers or a listener. */
export interface OperatedTollgate extends RunningTollgate {
  readonly services: TollgateServices;
}

/**
 * Underneath, for the demo, the drills, benchmarks and tests to watch and to inject faults:
 * production callers do not reach in.
 */
export interface TollgateInternals {
  db: Database;
  redis: Redis;
  metrics: Metrics;
  writes: CrmWriteQueue;
  approvalQueue: ApprovalQueue;
  /** Reconciliation sweeps (`TOLLGATE_RECONCILE_INTERVAL_S`); `sweep()` runs one now. */
  reconciler: Reconciler;
  /** The tenant's connector, whichever CRM it is. */
  connectorFor(tenantId: string): Promise<CrmConnector>;
  /** Change Data Capture of the Salesforce org (started with the workers). */
  salesforceCdc: CdcIngestor | undefined;
  /** The pre-write gate (`POST /v1/actions`). */
  actionGate: ActionGate;
}

/** What `createTollgate` returns. */
export interface Tollgate extends OperatedTollgate {
  readonly internals: TollgateInternals;
}
