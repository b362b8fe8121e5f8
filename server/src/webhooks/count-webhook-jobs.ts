import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { tenantQueueName } from "./webhook-keys.js";

/** A tenant's webhook jobs waiting or running (any state in which a job will still run). */
export async function countWebhookJobs(redis: Redis, prefix: string, tenantId: string): Promise<number> {
  const queue = new Queue(tenantQueueName(tenantId), { connection: redis, prefix });
  try {
    const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized", "waiting-children");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  } finally {
    await queue.close();
  }
}
