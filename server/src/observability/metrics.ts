import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Prometheus metrics (prom-client). One registry per process/app instance so tests can create
 * several apps without "metric already registered" errors.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  decisions: Counter<"outcome" | "source">;
  webhookEvents: Counter<"result">;
  crmCalls: Counter<"crm" | "operation" | "status">;
  auditAppends: Counter<"tenant">;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "tollgate_process_" });
  return {
    registry,
    httpRequests: new Counter({
      name: "tollgate_http_requests_total",
      help: "HTTP requests served",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "tollgate_http_request_duration_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    decisions: new Counter({
      name: "tollgate_decisions_total",
      help: "Policy decisions by outcome",
      labelNames: ["outcome", "source"],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: "tollgate_webhook_events_total",
      help: "Webhook events received",
      labelNames: ["result"],
      registers: [registry],
    }),
    crmCalls: new Counter({
      name: "tollgate_crm_calls_total",
      help: "Calls made to CRM APIs",
      labelNames: ["crm", "operation", "status"],
      registers: [registry],
    }),
    auditAppends: new Counter({
      name: "tollgate_audit_events_total",
      help: "Audit events appended",
      labelNames: ["tenant"],
      registers: [registry],
    }),
  };
}
