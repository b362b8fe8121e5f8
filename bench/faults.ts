/**
 * `npm run bench faults`: each fault of the fault-injection suite (server/test/faults/), run on
 * the suite's own redis-server and a fresh PostgreSQL schema with Tollgate as a real process,
 * printing per fault: events lost, disallowed writes reverted, seconds to recover once the fault
 * ended. The tests assert the same scenarios' figures; this only prints them.
 *
 * Every fault prints a row, whatever the others did: a scenario that throws (a precondition the
 * loaded machine did not give it, such as batches still unfinished at the kill) is run once more,
 * and one that still fails, or outlasts its bound, prints why in its row instead of ending the run.
 */
import { pathToFileURL } from "node:url";
import type { FaultFigures } from "../server/test/faults/fault-stack.js";
import { forgedWebhooks, type ForgedFigures } from "../server/test/faults/forged-webhooks.js";
import { FAULT_SCENARIOS } from "../server/test/faults/scenarios.js";

/**
 * A scenario's own waits are bounded (45 s to recover at most, plus its outage and start-up);
 * this is the backstop for one that hangs anyway, so the run always ends.
 */
const SCENARIO_BOUND_MS = Number(process.env.TOLLGATE_FAULT_BOUND_MS ?? 240_000);
const ATTEMPTS = 2;

/** A fault that printed no figures: its position in the suite and why. */
export interface FaultFailure {
  fault: string;
  error: string;
}

function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no figures within ${ms / 1000} s`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one scenario up to ATTEMPTS times; the last error when none gave figures. */
async function attempt<T>(scenario: () => Promise<T>, log: (line: string) => void, name: string): Promise<T | Error> {
  let last = new Error("not run");
  for (let n = 1; n <= ATTEMPTS; n++) {
    try {
      return await bounded(scenario(), SCENARIO_BOUND_MS);
    } catch (err) {
      last = err instanceof Error ? err : new Error(String(err));
      const reason = last.message.split("\n")[0];
      if (n < ATTEMPTS) log(`  (${name}, attempt ${n}: ${reason} — running it again)`);
    }
  }
  return last;
}

export async function run(
  log: (line: string) => void = console.log,
): Promise<(FaultFigures | ForgedFigures | FaultFailure)[]> {
  const all: (FaultFigures | ForgedFigures | FaultFailure)[] = [];
  const started = Date.now();
  log(
    "fault | events lost | reverted / disallowed | reverted twice | decided twice | protective writes lost | seconds to recover | audit chain | receipts open",
  );
  for (const [i, scenario] of FAULT_SCENARIOS.entries()) {
    const name = `fault ${i + 1} of ${FAULT_SCENARIOS.length}`;
    const f = await attempt(scenario, log, name);
    if (f instanceof Error) {
      all.push({ fault: name, error: f.message });
      log(`${name} | FAILED: ${f.message.split("\n")[0]}`);
      continue;
    }
    all.push(f);
    log(
      `${f.fault} | ${f.eventsLost} | ${f.reverted} / ${f.disallowedWrites} | ${f.revertedTwice} | ${f.decidedTwice} | ${f.protectiveWritesLost} | ${f.secondsToRecover} | ${f.auditChainOk ? "verifies" : "BROKEN"} | ${f.receiptsOpen}`,
    );
  }
  const forged = await attempt(() => forgedWebhooks(), log, "forged webhooks");
  if (forged instanceof Error) {
    all.push({ fault: "forged webhooks", error: forged.message });
    log(`forged webhooks | FAILED: ${forged.message.split("\n")[0]}`);
  } else {
    all.push(forged);
    log(
      `${forged.fault}: ${forged.accepted} accepted, ${forged.serverErrors} server errors, ${forged.crashed ? "CRASHED" : "0 crashes"}, ${forged.traces} traces left, audit chain ${forged.auditChainOk ? "verifies" : "BROKEN"}; statuses ${JSON.stringify(forged.statuses)}`,
    );
  }
  const failed = all.filter((f) => "error" in f).length;
  log(
    `${all.length - failed} of ${all.length} faults gave figures in ${Math.round((Date.now() - started) / 1000)} s${failed ? `; ${failed} FAILED` : ""}`,
  );
  if (failed) process.exitCode = 1;
  return all;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
