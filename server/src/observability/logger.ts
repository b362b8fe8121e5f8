import { pino, type Logger, type LevelWithSilent, type DestinationStream } from "pino";
import { isSecretKey, REDACTED } from "../audit/index.js";

export type { Logger };

/** Deeper than this, a logged object is cut: logs are for people, not for whole payloads. */
const MAX_LOG_DEPTH = 8;

/**
 * A copy of a log line's fields with every secret-named key redacted at any depth — the one
 * rule the audit uses (`isSecretKey`: token, secret, password, authorization, cookie, api key…).
 * pino's `redact` paths reach fixed depths only; this reaches all of them.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value;
  if (depth >= MAX_LOG_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = v !== null && v !== undefined && isSecretKey(k) ? REDACTED : redactDeep(v, depth + 1);
  return out;
}

/**
 * Structured JSON logs (pino). Secrets are redacted at any depth by key name, and the request
 * headers that carry credentials or signatures by path, so a token that slips into a log call
 * never reaches the output.
 */
export function createLogger(options: { level?: LevelWithSilent; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "tollgate" },
      formatters: { log: (obj) => redactDeep(obj) as Record<string, unknown> },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          'res.headers["set-cookie"]',
          'req.headers["x-hubspot-signature-v3"]',
          'req.headers["x-hubspot-signature"]',
          'req.headers["x-tollgate-signature"]',
          "*.key",
        ],
        censor: REDACTED,
      },
    },
    options.destination,
  );
}
