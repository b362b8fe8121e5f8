/**
 * `npm run bench faults`: each fault of the fault-injection suite (server/test/faults/), run on
 * the suite's own redis-server and a fresh PostgreSQL schema with Tollgate as a real process,
 * printing per fault: events lost, disallowed writes reverted, seconds to recover once the fault
 * ended. The tests assert the same scenarios' figures; this only prints them.
 */
import { pathToFileURL } from "node:url";
import type { FaultFigures } from "../server/test/faults/fault-stack.js";
import { forgedWebhooks, type ForgedFigures } from "../server/test/faults/forged-webhooks.js";
import { FAULT_SCENARIOS } from "../server/test/faults/scenarios.js";

export async function run(log: (line: string) => void = console.log): Promise<(FaultFigures | ForgedFigures)[]> {
  const all: (FaultFigures | ForgedFigures)[] = [];
  log(
    "fault | events lost | reverted / disallowed | reverted twice | decided twice | protective writes lost | seconds to recover | audit chain | receipts open",
  );
  for (const scenario of FAULT_SCENARIOS) {
    const f = await scenario();
    all.push(f);
    log(
      `${f.fault} | ${f.eventsLost} | ${f.reverted} / ${f.disallowedWrites} | ${f.revertedTwice} | ${f.decidedTwice} | ${f.protectiveWritesLost} | ${f.secondsToRecover} | ${f.auditChainOk ? "verifies" : "BROKEN"} | ${f.receiptsOpen}`,
    );
  }
  const forged = await forgedWebhooks();
  all.push(forged);
  log(
    `${forged.fault}: ${forged.accepted} accepted, ${forged.serverErrors} server errors, ${forged.crashed ? "CRASHED" : "0 crashes"}, ${forged.traces} traces left, audit chain ${forged.auditChainOk ? "verifies" : "BROKEN"}; statuses ${JSON.stringify(forged.statuses)}`,
  );
  return all;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
