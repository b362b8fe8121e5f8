import { expect } from "vitest";
import type { FaultFigures } from "./fault-stack.js";

/**
 * What every fault must leave: each disallowed write decided once and reverted exactly once, no
 * event lost, no protective write given up, no receipt left open, and an audit chain that verifies.
 */
export function expectRecovered(f: FaultFigures, writes: number): void {
  expect(f).toMatchObject({
    disallowedWrites: writes,
    eventsLost: 0,
    reverted: writes,
    revertedTwice: 0,
    decidedTwice: 0,
    protectiveWritesLost: 0,
    auditChainOk: true,
    receiptsOpen: 0,
  });
}
