import { salesforceChangeEventSchema } from "../../../shared/index.js";
import {
  CHANGE_EVENTS_CHANNEL,
  subscribeChangeEvents,
  type ChangeEventSubscription,
  type SalesforceConnector,
} from "../crm/salesforce/index.js";
import type { CrmChange } from "../enforce/index.js";
import type { ReplayPositionStore } from "./replay-positions.js";
import { toCrmChanges, type ReconcileRequest } from "./to-crm-changes.js";

/** CDC keeps events 72 hours: the furthest back a reconciliation with no known position reads. */
export const CDC_RETENTION_MS = 72 * 3600_000;

export interface CdcIngestorOptions {
  tenantId: string;
  connector: SalesforceConnector;
  positions: ReplayPositionStore;
  /** Enforces a batch of changes (durably, deduplicated by event key). Throws to have it retried. */
  enforce(tenantId: string, changes: CrmChange[]): Promise<void>;
  /** Reads back what events could not say (gaps, overflow, a position out of retention) and enforces it. */
  reconcile(tenantId: string, request: ReconcileRequest): Promise<void>;
  /**
   * Told once each time the saved position has left Salesforce's retention, before the gap is read
   * back: the audit and alert of it (docs/salesforce.md). A failure here is logged, never blocks recovery.
   */
  onPositionLost?: ((lost: LostPosition) => Promise<void>) | undefined;
  /** The governed object types (`Lead`, `Contact`…), read back when the whole stream's gap must be reconciled. */
  objectTypes(): string[];
  logger: { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void };
  /** @defaultValue CHANGE_EVENTS_CHANNEL */
  channel?: string | undefined;
  /** Events enforced together. @defaultValue 500 */
  batchSize?: number | undefined;
  /** Wait before retrying a failed batch or building a new client. @defaultValue 1000 */
  retryDelayMs?: number | undefined;
  now?: (() => number) | undefined;
}

/** A saved replay id Salesforce no longer retains, and what Tollgate reads back instead. */
export interface LostPosition {
  tenantId: string;
  channel: string;
  replayId: number;
  /** The gap read back starts here: the last processed event's commit time (else retention's start). */
  since: Date;
  /** Salesforce's refusal (`400::The replayId {…} you provided was invalid…`). */
  message: string;
}

export interface CdcIngestor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every event received so far is processed and its position saved. */
  idle(): Promise<void>;
  /** The replay id of the last processed event (what a restart resumes after). */
  position(): number;
}

/**
 * The Change Data Capture path of one org (docs/salesforce.md): jsforce streaming on one channel,
 * events enforced in order, in batches, and the replay id of the last one saved in PostgreSQL
 * right after — that saved id is the receipt: a restart resumes after it (`-2`, every retained
 * event, on the first start). A failed batch is retried, never skipped. A refused session builds
 * a new client with a fresh token; a position outside retention, and gap or overflow events,
 * become reconciliation reads (SOQL on `LastModifiedDate`, then field history).
 */
export function createCdcIngestor(options: CdcIngestorOptions): CdcIngestor {
  const { tenantId, connector, positions, logger } = options;
  const channel = options.channel ?? CHANGE_EVENTS_CHANNEL;
  const batchSize = options.batchSize ?? 500;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const now = options.now ?? Date.now;
  let position = -2;
  let lastEventAt: Date | undefined;
  let queue: unknown[] = [];
  let subscription: ChangeEventSubscription | undefined;
  let stopped = true;
  let draining: Promise<void> = Promise.resolve();
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function subscribe(): Promise<void> {
    if (stopped) return;
    subscription = await subscribeChangeEvents(connector.transport, {
      channel,
      replayFrom: () => position,
      onEvent: (data) => {
        queue.push(data);
        kick();
      },
      onAuthFailure: (reason) => {
        logger.warn({ tenantId, reason }, "salesforce cdc: session refused; building a new client");
        restart(true);
      },
      onTransportDown: () => {
        logger.warn({ tenantId, replayFrom: position }, "salesforce cdc: stream request failed; resubscribing");
        restart(false);
      },
      onSubscribeError: (error) => {
        if (error.replayInvalid) void recoverFromLostPosition(error.message);
        else {
          logger.error({ tenantId, error: error.message }, "salesforce cdc: subscribe failed; retrying");
          restart(false);
        }
      },
      onSubscribed: () => logger.info({ tenantId, channel, replayFrom: position }, "salesforce cdc subscribed"),
    });
  }

  function restart(renewSession: boolean): void {
    subscription?.cancel();
    subscription = undefined;
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void (async () => {
        try {
          if (renewSession) await connector.transport.renewSession();
          // What the old client delivered is processed first: the new one resumes right after it.
          await draining;
          await subscribe();
        } catch (err) {
          logger.error({ tenantId, err: (err as Error).message }, "salesforce cdc: reconnect failed");
          restart(renewSession);
        }
      })();
    }, retryDelayMs);
  }

  /** The saved position is older than what Salesforce retains: read back the gap, then take every retained event. */
  async function recoverFromLostPosition(message: string): Promise<void> {
    subscription?.cancel();
    subscription = undefined;
    const since = lastEventAt ?? new Date(now() - CDC_RETENTION_MS);
    logger.warn({ tenantId, position, since, message }, "salesforce cdc: replay id outside retention; reconciling");
    await options
      .onPositionLost?.({ tenantId, channel, replayId: position, since, message })
      .catch((err: unknown) =>
        logger.error({ tenantId, err: (err as Error).message }, "salesforce cdc: lost position not recorded"),
      );
    for (;;) {
      try {
        await draining;
        await reconcileAll(since, "replay id outside retention");
        position = -2;
        await positions.save(tenantId, channel, { replayId: position, lastEventAt });
        break;
      } catch (err) {
        logger.error({ tenantId, err: (err as Error).message }, "salesforce cdc: reconciliation failed; retrying");
        if (stopped) return;
        await sleep(retryDelayMs);
      }
    }
    restart(false);
  }

  async function reconcileAll(since: Date, reason: string): Promise<void> {
    for (const objectType of options.objectTypes()) await options.reconcile(tenantId, { objectType, since, reason });
  }

  function kick(): void {
    draining = draining.then(drain);
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && !stopped) {
      const batch = queue.slice(0, batchSize);
      try {
        await processBatch(batch);
        queue = queue.slice(batch.length);
      } catch (err) {
        logger.error(
          { tenantId, err: (err as Error).message, events: batch.length },
          "salesforce cdc: batch failed; retrying",
        );
        await sleep(retryDelayMs);
      }
    }
  }

  async function processBatch(batch: unknown[]): Promise<void> {
    const changes: CrmChange[] = [];
    const reconciles: ReconcileRequest[] = [];
    let last: { replayId: number; at: Date } | undefined;
    for (const data of batch) {
      const parsed = salesforceChangeEventSchema.safeParse(data);
      if (!parsed.success) {
        logger.error(
          { tenantId, issues: parsed.error.issues.slice(0, 3) },
          "salesforce cdc: event set aside, not a change event",
        );
        continue;
      }
      const out = toCrmChanges(tenantId, parsed.data);
      changes.push(...out.changes);
      if (out.reconcile) reconciles.push(out.reconcile);
      if (parsed.data.event && parsed.data.event.replayId > (last?.replayId ?? -Infinity))
        last = {
          replayId: parsed.data.event.replayId,
          at: new Date(parsed.data.payload.ChangeEventHeader.commitTimestamp),
        };
    }
    if (changes.length > 0) await options.enforce(tenantId, changes);
    for (const r of reconciles) await options.reconcile(tenantId, r);
    if (last) {
      await positions.save(tenantId, channel, { replayId: last.replayId, lastEventAt: last.at });
      position = last.replayId;
      lastEventAt = last.at;
    }
  }

  return {
    async start() {
      stopped = false;
      const saved = await positions.get(tenantId, channel);
      position = saved?.replayId ?? -2;
      lastEventAt = saved?.lastEventAt;
      await subscribe();
    },
    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      subscription?.cancel();
      subscription = undefined;
      await draining;
    },
    async idle() {
      await draining;
    },
    position: () => position,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
