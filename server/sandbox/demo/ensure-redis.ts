import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Redis is not running and cannot be started here; the message says, in one line, what to do. */
export class RedisNotAvailableError extends Error {}

export interface EnsuredRedis {
  /** The `redis-server` this call started, or `undefined` when one already answered. */
  child: ChildProcess | undefined;
  /** Stops the server this call started (and removes its directory); nothing otherwise. */
  stop(): Promise<void>;
}

/** Whether a Redis answers PING at `url` within about a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * The demo's Redis: when nothing answers at a loopback `url` and `redis-server` is installed, a
 * local one is started on that port — loopback only, no persistence, its own temp directory, a
 * child of this process, stopped by `stop()` or when this process exits. When none is
 * installed, a {@link RedisNotAvailableError} says what to do.
 */
export async function ensureRedis(
  url = "redis://127.0.0.1:6379",
  options: { redisServer?: string; timeoutMs?: number } = {},
): Promise<EnsuredRedis> {
  const none: EnsuredRedis = { child: undefined, stop: async () => undefined };
  if (await redisAnswers(url)) return none;
  const { hostname, port } = new URL(url);
  const todo = "install Redis ≥ 6.2 (e.g. `apt install redis-server`) or run `docker compose up -d redis`";
  if (!LOOPBACK.has(hostname))
    throw new RedisNotAvailableError(`Redis does not answer at ${url}: start it, or ${todo}`);
  const bin = options.redisServer ?? "redis-server";
  if (spawnSync(bin, ["--version"], { stdio: "ignore" }).error)
    throw new RedisNotAvailableError(`Redis does not answer at ${url} and redis-server is not installed: ${todo}`);
  const dir = mkdtempSync(join(tmpdir(), "tollgate-demo-redis-"));
  const args = ["--port", port || "6379", "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"];
  const child = spawn(bin, args, { stdio: "ignore" });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const stop = async () => {
    process.removeListener("exit", kill);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (Date.now() < deadline && child.exitCode === null) {
    if (await redisAnswers(url)) return { child, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new RedisNotAvailableError(
    `redis-server did not start on port ${port || "6379"}: start Redis yourself, or ${todo}`,
  );
}
