import type { KillSwitchService } from "../../src/killswitch/index.js";
import type { Logger } from "../../src/observability/index.js";
import type { RollbackService } from "../../src/rollback/index.js";
import type { Tollgate } from "../../src/runtime/index.js";
import type { StartedSandbox } from "../hubspot/index.js";
import type { CrmWriteQueue } from "../../src/writes/index.js";
import { LOCAL_PORTAL_ID, startLocalStack } from "../demo/start-local-stack.js";

export const DRILL_PORTAL_ID = LOCAL_PORTAL_ID;

export interface GuardedStackOptions {
  /** The policy Tollgate runs under. */
  policyYaml: string;
  /** Agents the sandbox issues app tokens for (their writes show as `INTEGRATION` + app id). */
  agents: { id: string; appId: number }[];
  /** A PostgreSQL to use (a fresh schema, dropped at the end); else an in-memory PGlite. */
  databaseUrl?: string | undefined;
  /** @defaultValue `redis://127.0.0.1:6379` */
  redisUrl?: string | undefined;
  alertWebhookUrl?: string | undefined;
  logger?: Logger;
}

/** The sandbox and a Tollgate whose enforcement runs with kill switches, triggers and caps. */
export interface GuardedStack {
  tollgate: Tollgate;
  started: StartedSandbox;
  tenantId: string;
  killSwitches: KillSwitchService;
  writes: CrmWriteQueue;
  rollback: RollbackService;
  /** Waits until webhooks and enforcement are done and no CRM write is left (a switch cancels what it covers). */
  settle(timeoutMs?: number): Promise<void>;
  /** Queued agent writes kill switches cancelled. */
  cancelled(): Promise<number>;
  close(): Promise<void>;
}

/** For the kill-switch drill and its benchmark: the local stack, without demo records. */
export async function startGuardedStack(options: GuardedStackOptions): Promise<GuardedStack> {
  const stack = await startLocalStack({
    policyYaml: options.policyYaml,
    agents: options.agents,
    demoData: false,
    databaseUrl: options.databaseUrl,
    redisUrl: options.redisUrl,
    ...(options.alertWebhookUrl ? { env: { TOLLGATE_ALERT_WEBHOOK_URL: options.alertWebhookUrl } } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { tollgate } = stack;
  return {
    ...stack,
    killSwitches: tollgate.services.killSwitches,
    writes: tollgate.internals.writes,
    rollback: tollgate.services.rollback,
    settle: (timeoutMs = 300_000) => stack.settle(timeoutMs),
  };
}
