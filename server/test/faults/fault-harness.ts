import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { freePort } from "../../sandbox/demo/start-local-stack.js";

/**
 * Real services of the fault suite's own, on free loopback ports in a temp dir: a redis-server
 * and a PostgreSQL cluster (initdb) it may kill, flush and restart without touching the shared
 * ones, and Tollgate itself as a separate process it can kill -9. Everything is bounded in time
 * and removed by `stop()`.
 */

export const PG_BIN = process.env.TOLLGATE_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export { freePort };

export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${(last as Error).message})` : ""}`);
}

function kill(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

export interface OwnRedis {
  url: string;
  port: number;
  /** A client of the test's own (never the shared Redis). */
  client: Redis;
  /** Loses every key: what a failover to a replica that had not caught up does. */
  flushAll(): Promise<void>;
  /** kill -9: Redis is down until `start()`. */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-fault-redis-"));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => undefined);
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await until(async () => ((await client.ping()) === "PONG" ? true : undefined), 10_000, "redis-server start");
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    async flushAll() {
      await client.flushall();
    },
    crash: () => kill(child),
    start,
    async stop() {
      client.disconnect();
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OwnPostgres {
  url: string;
  /**
   * An immediate shutdown (SIGQUIT): every connection and open transaction is gone, nothing is
   * checkpointed, and the next start runs crash recovery — a crash, minus the orphaned backends
   * a kill -9 of the postmaster would leave holding its shared memory.
   */
  crash(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  query<R extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<R[]>;
}

/** initdb refuses to run as root; the cluster then belongs to the `postgres` user. */
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? { cmd: "runuser", args: ["-u", "postgres", "--", cmd, ...args] } : { cmd, args };

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-fault-pg-"));
  const data = join(dir, "data");
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o755);
    const { uid, gid } = pgUser();
    chownSync(dir, uid, gid);
  }
  const init = asPostgres(join(PG_BIN, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
  const r = spawnSync(init.cmd, init.args, { stdio: "pipe", timeout: 60_000 });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr?.toString()}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const start = async () => {
    const p = asPostgres(join(PG_BIN, "postgres"), [
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "max_connections=60",
    ]);
    child = spawn(p.cmd, p.args, { stdio: "ignore" });
    await until(
      async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.end();
        return true;
      },
      20_000,
      "postgres start",
    );
  };
  await start();
  // The postmaster itself: as root, `child` is runuser, which does not pass SIGQUIT on.
  const crash = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
    try {
      process.kill(Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]), "SIGQUIT");
    } catch {
      child.kill("SIGQUIT");
    }
    await exited;
  };
  return {
    url,
    crash,
    start,
    async stop() {
      await crash();
      rmSync(dir, { recursive: true, force: true });
    },
    async query(text, params) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(text, params)).rows;
      } finally {
        await c.end();
      }
    },
  };
}

function pgUser(): { uid: number; gid: number } {
  const out = spawnSync("id", ["-u", "postgres"]).stdout.toString().trim();
  const gid = spawnSync("id", ["-g", "postgres"]).stdout.toString().trim();
  return { uid: Number(out), gid: Number(gid) };
}

export interface TollgateProcess {
  url: string;
  child: ChildProcess;
  /** kill -9: no shutdown hook runs. */
  crash(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/** `npm start`'s entry point as its own process, configured only by the environment. */
export async function spawnTollgate(env: Record<string, string>): Promise<TollgateProcess> {
  const port = env["PORT"] ?? String(await freePort());
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts"], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  child.stderr?.on("data", (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`tollgate exited ${child.exitCode}: ${log}`);
      const res = await fetch(`${url}/healthz`);
      return res.status === 200 ? true : undefined;
    },
    40_000,
    "tollgate start",
  );
  return {
    url,
    child,
    crash: () => kill(child),
    stop: () => kill(child, "SIGTERM"),
    output: () => log,
  };
}
