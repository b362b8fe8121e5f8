import type { Redis } from "ioredis";

/** What a broadcast keeps in step across processes: a registry that can re-read and tells of changes. */
export interface Refreshable {
  /** Re-reads from the system of record (PostgreSQL). */
  refresh(): Promise<void>;
  /** Called with a tenant whenever its state changed in this process. */
  onChange(listener: (tenantId: string) => void): void;
}

export interface ChangeBroadcast {
  /** Subscribes; from now on changes here are published and changes elsewhere re-read at once. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keeps one kind of state (policies) in step across every Tollgate process: a change made in one
 * process is published on a Redis channel, and every other process re-reads PostgreSQL as soon
 * as it hears of it, instead of at its next periodic refresh. Pub/sub delivers nothing to a
 * process that was disconnected, so the periodic refresh stays as the backstop
 * (docs/operations.md, "Several processes").
 *
 * @example
 * const broadcast = createChangeBroadcast({ redis, channel: "tollgate:policy:changed", registry: policies });
 * await broadcast.start();
 */
export function createChangeBroadcast(options: {
  redis: Redis;
  channel: string;
  registry: Refreshable;
  logger?: { warn(obj: object, msg: string): void };
}): ChangeBroadcast {
  const { redis, channel, registry, logger } = options;
  let subscriber: Redis | undefined;
  // Changes a refresh of ours finds were published by whoever made them: not published again.
  let echoing = 0;
  let started = false;

  registry.onChange((tenantId) => {
    if (!started || echoing > 0) return;
    redis
      .publish(channel, tenantId)
      .catch((err: unknown) => logger?.warn({ err: (err as Error).message }, "could not publish a change"));
  });

  return {
    async start() {
      subscriber = redis.duplicate();
      subscriber.on("error", (err) => logger?.warn({ err: err.message }, "change broadcast subscriber error"));
      subscriber.on("message", (from: string) => {
        if (from !== channel) return;
        echoing++;
        registry
          .refresh()
          .catch((err: unknown) => logger?.warn({ err: (err as Error).message }, "refresh after a broadcast failed"))
          .finally(() => echoing--);
      });
      await subscriber.subscribe(channel);
      started = true;
    },
    async close() {
      started = false;
      await subscriber?.quit().catch(() => subscriber?.disconnect());
    },
  };
}
