import { pino } from "pino";
import { ConfigError } from "../errors/index.js";
import type { Logger } from "../observability/index.js";

/** What a tripped automatic trigger reports. */
export interface KillSwitchAlert {
  type: "kill_switch.tripped";
  tenantId: string;
  scope: { type: string; value: string | null };
  metric: string;
  above: number;
  measured: number;
  reason: string;
  eventId: string | null;
  at: string;
}

/**
 * Work that keeps failing on an infrastructure error (PostgreSQL, Redis or the CRM away): it is
 * retried without giving up, and an operator hears of it while it fails.
 */
export interface FailingWorkAlert {
  type: "work.failing";
  tenantId: string;
  /** A webhook batch (its job id) or protective CRM writes (their row ids). */
  work: { kind: "webhook_batch" | "crm_write"; ids: string[] };
  attempts: number;
  reason: string;
  at: string;
}

/** The alert for work still failing after `attempts` tries (a batch's job id, or write row ids). */
export function failingWorkAlert(
  kind: FailingWorkAlert["work"]["kind"],
  f: { tenantId: string; ids: string[]; attempts: number; error: string },
  at: Date,
): FailingWorkAlert {
  const what = kind === "webhook_batch" ? "a webhook batch" : "protective CRM writes";
  return {
    type: "work.failing",
    tenantId: f.tenantId,
    work: { kind, ids: f.ids },
    attempts: f.attempts,
    reason: `${what} keep failing after ${f.attempts} attempts, still retrying: ${f.error}`,
    at: at.toISOString(),
  };
}

/** A CRM refused Tollgate for the day (Salesforce `REQUEST_LIMIT_EXCEEDED`): its writes wait, none is dropped. */
export interface CrmAllocationAlert {
  type: "crm.allocation_exhausted";
  tenantId: string;
  crm: "salesforce";
  used: number | null;
  limit: number | null;
  reason: string;
  at: string;
}

/**
 * A change stream could not resume where Tollgate left it (Salesforce CDC: the saved replay id
 * is past the 72-hour retention): what changed since `since` is read back and enforced instead.
 */
export interface StreamPositionLostAlert {
  type: "crm.stream_position_lost";
  tenantId: string;
  crm: "salesforce";
  channel: string;
  replayId: number;
  since: string;
  reason: string;
  at: string;
}

/** Every alert the alert webhook receives. */
export type Alert = KillSwitchAlert | CrmAllocationAlert | FailingWorkAlert | StreamPositionLostAlert;

/** The alert for an org whose daily API allocation is spent. */
export function allocationExhaustedAlert(
  info: { orgId: string; used?: number | undefined; limit?: number | undefined },
  at: Date,
): CrmAllocationAlert {
  return {
    type: "crm.allocation_exhausted",
    tenantId: info.orgId,
    crm: "salesforce",
    used: info.used ?? null,
    limit: info.limit ?? null,
    reason: "daily API allocation spent (REQUEST_LIMIT_EXCEEDED): CRM writes paused and queued, none dropped",
    at: at.toISOString(),
  };
}

export interface AlerterOptions {
  /** @defaultValue a silent logger */
  logger?: Logger;
  /** `TOLLGATE_ALERT_WEBHOOK_URL`: each alert is POSTed here as JSON when set. */
  webhookUrl?: string | undefined;
  /** @defaultValue 5_000 */
  timeoutMs?: number;
  /** @defaultValue the global fetch */
  fetch?: typeof fetch;
}

/**
 * Raises an alert (a kill switch tripped, work failing): a structured log line always, and a POST to the alert webhook
 * when one is
 * configured. Never blocks and never throws: a failed delivery is logged, the trip stands.
 * Returns the delivery (for tests); callers need not await it.
 */
export function createAlerter(options: AlerterOptions = {}): (alert: Alert) => Promise<void> {
  const logger = options.logger ?? pino({ level: "silent" });
  const send = options.fetch ?? fetch;
  return async (alert) => {
    logger.error(
      { alert },
      alert.type === "kill_switch.tripped" ? `kill switch tripped: ${alert.reason}` : alert.reason,
    );
    if (!options.webhookUrl) return;
    try {
      const res = await send(options.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(alert),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
      if (!res.ok) logger.warn({ status: res.status, tenantId: alert.tenantId }, "alert webhook answered an error");
    } catch (err) {
      logger.warn({ err: (err as Error).message, tenantId: alert.tenantId }, "alert webhook failed");
    }
  };
}

/**
 * Reads `TOLLGATE_ALERT_WEBHOOK_URL` (not in docs/contracts.md#configuration yet); an invalid URL is refused with its
 * name.
 */
export function alertWebhookUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.TOLLGATE_ALERT_WEBHOOK_URL;
  if (raw === undefined || raw === "") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("TOLLGATE_ALERT_WEBHOOK_URL: expected an http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigError("TOLLGATE_ALERT_WEBHOOK_URL: expected an http(s) URL");
  return url.toString();
}
