import { it } from "vitest";
import {
  killAndFlushRedisAfterAck,
  killMidBatch,
  postgresRestartedMidTransaction,
  redisDownDuringBurst,
} from "./scenarios.js";
import { expectRecovered } from "./expect-recovered.js";
import { describeFaults } from "./describe-faults.js";

describeFaults("faults of Tollgate's own processes and stores", () => {
  it("Tollgate killed -9 mid-batch: a new process finishes every batch, each once", async () => {
    expectRecovered(await killMidBatch(40), 40);
  }, 120_000);

  it("killed -9 with batches unfinished, then Redis FLUSHALL after the 200: no acknowledged event is lost", async () => {
    expectRecovered(await killAndFlushRedisAfterAck(20), 20);
  }, 120_000);

  it("Redis down during a burst (and back empty): nothing acknowledged or refused is lost", async () => {
    expectRecovered(await redisDownDuringBurst(30), 30);
  }, 120_000);

  it("PostgreSQL crashed mid-transaction and away longer than every retry: nothing is lost", async () => {
    expectRecovered(await postgresRestartedMidTransaction(30), 30);
  }, 120_000);
});
