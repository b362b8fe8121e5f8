import { signWebhook } from "./sign-webhook.js";
import type { SandboxWebhookEvent } from "./types.js";

export interface WebhookDispatcherOptions {
  targetUrl: string;
  clientSecret: string;
  batchSize: number;
  delayMs: number;
  retryDelayMs: (retry: number) => number;
  maxAttempts: number;
  timeoutMs: number;
  duplicateRate: number;
  failFirstDelivery: boolean;
  random: () => number;
  /** HubSpot's default: 10 requests in flight per installing account. */
  maxConcurrent?: number;
}

export interface WebhookCounters {
  requests: number;
  events: number;
  failures: number;
}

/**
 * Gathers events for `delayMs`, POSTs them in batches of at most `batchSize`, signed as HubSpot
 * signs them, and resends a failed batch (non-2xx, no connection, or slower than `timeoutMs`)
 * with `attemptNumber` raised, up to `maxAttempts` times.
 */
export class WebhookDispatcher {
  readonly counters: WebhookCounters = { requests: 0, events: 0, failures: 0 };
  private queue: SandboxWebhookEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  /** Later POSTs (retries included) go here. */
  retarget(url: string): void {
    this.options.targetUrl = url;
  }

  enqueue(events: readonly SandboxWebhookEvent[]): void {
    if (this.closed || events.length === 0) return;
    this.queue.push(...events);
    if (this.queue.length >= this.options.batchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.delayMs);
  }

  /** Resolves when nothing is queued, in flight or waiting to be retried. */
  async idle(): Promise<void> {
    while (this.timer !== undefined || this.queue.length > 0 || this.pending.size > 0) {
      if (this.timer !== undefined) this.flush();
      await Promise.all([...this.pending]);
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
    this.queue = [];
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      this.track(this.deliver(batch, 0));
    }
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async deliver(batch: SandboxWebhookEvent[], attempt: number): Promise<void> {
    if (this.closed) return;
    const events = batch.map((e) => ({ ...e, attemptNumber: attempt }));
    const body = JSON.stringify(events);
    let ok = await this.post(body, events.length);
    if (ok && this.options.random() < this.options.duplicateRate) await this.post(body, events.length);
    if (this.options.failFirstDelivery && attempt === 0) ok = false;
    if (ok || attempt + 1 >= this.options.maxAttempts || this.closed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(
        () => {
          this.retryTimers.delete(t);
          resolve();
        },
        this.options.retryDelayMs(attempt + 1),
      );
      this.retryTimers.add(t);
    });
    return this.deliver(batch, attempt + 1);
  }

  /** One signed POST; signed at send time, so a retry carries a fresh timestamp. */
  private async post(body: string, eventCount: number): Promise<boolean> {
    await this.slot();
    this.counters.requests += 1;
    this.counters.events += eventCount;
    try {
      const headers = {
        "Content-Type": "application/json",
        "User-Agent": "HubSpot Connect 2.0 (sandbox) - WebhooksExecutorDaemon",
        ...signWebhook(this.options.clientSecret, this.options.targetUrl, body, Date.now()),
      };
      const response = await fetch(this.options.targetUrl, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return true;
    } catch {
      // No connection or too slow: HubSpot counts both as a failed delivery and retries.
    } finally {
      this.release();
    }
    this.counters.failures += 1;
    return false;
  }

  private async slot(): Promise<void> {
    if (this.inFlight < (this.options.maxConcurrent ?? 10)) {
      this.inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiter, so no newcomer slips past the limit meanwhile. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight -= 1;
  }
}
