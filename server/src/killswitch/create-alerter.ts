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

export type Alert = KillSwitchAlert | FailingWorkAlert;

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
 * Raises an alert (a kill switch tripped, work failing): a structured log line always, and a POST to the alert webhook when one is
 * configured. Never blocks and never throws: a failed delivery is logged, the trip stands.
 * Returns the delivery (for tests); callers need not await it.
 */
export function createAlerter(options: AlerterOptions = {}): (alert: Alert) => Promise<void> {
  const logger = options.logger ?? pino({ level: "silent" });
  const send = options.fetch ?? fetch;
  return async (alert) => {
    logger.error(
      { alert },
      alert.type === "kill_switch.tripped"
        ? `kill switch tripped: ${alert.reason}`
        : `work keeps failing: ${alert.reason}`,
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

/** Reads `TOLLGATE_ALERT_WEBHOOK_URL` (not in docs/contracts.md#configuration yet); an invalid URL is refused with its name. */
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
