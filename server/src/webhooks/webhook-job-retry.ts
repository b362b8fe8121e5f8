import type { BackoffStrategy, JobsOptions } from "bullmq";

/** How webhook jobs retry: without limit, with an exponential backoff that stops growing. */
export interface WebhookRetryOptions {
  /** First retry delay. @defaultValue 1000 */
  baseDelayMs?: number;
  /** The backoff never grows past this. @defaultValue 60_000 */
  maxDelayMs?: number;
}

/** The name of the capped backoff, registered on every webhook worker. */
export const CAPPED_BACKOFF = "capped-exponential";

/**
 * Job options: infrastructure errors (PostgreSQL down, a CRM outage) are retried without a
 * limit — the job stays until it succeeds, and only input that can never succeed is given up
 * (`UnrecoverableError`, then the receipt is set aside). `attempts` has to be a number in
 * BullMQ, so "no limit" is a billion: at the 60 s cap, some 1,900 years of retrying (and it
 * survives Redis's Lua, which reads numbers as doubles, exactly).
 */
export function webhookJobRetry(options: WebhookRetryOptions = {}): Pick<JobsOptions, "attempts" | "backoff"> {
  return {
    attempts: 1_000_000_000,
    backoff: { type: CAPPED_BACKOFF, delay: options.baseDelayMs ?? 1000 },
  };
}

/** The name of every webhook job, added by the receiver or by the receipt sweep. */
export const WEBHOOK_JOB_NAME = "hubspot.batch";

/**
 * A webhook job's options, whoever adds it: retried without limit, and kept a while after it
 * ends so a delivery or sweep racing it finds the job id and adds nothing.
 */
export function webhookJobOptions(options: WebhookRetryOptions = {}): JobsOptions {
  return {
    ...webhookJobRetry(options),
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}

/** The worker side of `CAPPED_BACKOFF`: base × 2^(attempt − 1), never above the cap. */
export function cappedBackoff(options: WebhookRetryOptions = {}): BackoffStrategy {
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 60_000;
  return (attemptsMade) => Math.min(max, base * 2 ** Math.max(0, Math.min(30, attemptsMade - 1)));
}
