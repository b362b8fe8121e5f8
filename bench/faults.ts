/**
 * `npm run bench faults`: each fault of the fault-injection suite (server/test/faults/), run on
 * the suite's own redis-server and a fresh PostgreSQL schema with Tollgate as a real process,
 * printing per fault: events lost, disallowed writes reverted, seconds to recover once the fault
 * ended. The tests assert the same scenarios' figures; this only prints them.
 */
import { pathToFileURL } from "node:url";
import type { FaultFigures } from "../server/test/faults/fault-stack.js";
import { FAULT_SCENARIOS } from "../server/test/faults/scenarios.js";

export async function run(log: (line: string) => void = console.log): Promise<FaultFigures[]> {
  const all: FaultFigures[] = [];
  log(
    "fault | events lost | reverted / disallowed | reverted twice | seconds to recover | audit chain | receipts open",
  );
  for (const scenario of FAULT_SCENARIOS) {
    const f = await scenario();
    all.push(f);
    log(
      `${f.fault} | ${f.eventsLost} | ${f.reverted} / ${f.disallowedWrites} | ${f.revertedTwice} | ${f.secondsToRecover} | ${f.auditChainOk ? "verifies" : "BROKEN"} | ${f.receiptsOpen}`,
    );
  }
  return all;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
