import { pino, type Logger, type LevelWithSilent, type DestinationStream } from "pino";

export type { Logger };

/**
 * Structured JSON logs (pino). Secrets are redacted by path so a token that slips into a log
 * call never reaches the output.
 */
export function createLogger(options: { level?: LevelWithSilent; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { service: "tollgate" },
      redact: {
        paths: [
          "req.headers.authorization",
          'req.headers["x-hubspot-signature-v3"]',
          "*.accessToken",
          "*.refreshToken",
          "*.access_token",
          "*.refresh_token",
          "*.clientSecret",
          "*.key",
        ],
        censor: "[redacted]",
      },
    },
    options.destination,
  );
}
