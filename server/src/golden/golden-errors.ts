import type { GoldenBreak } from "../../../shared/index.js";
import { TollgateError } from "../errors/index.js";
import { describeBreaks } from "./check-golden.js";

/**
 * 409 `golden_records_changed`: the change would alter golden records' decisions; `details.broken`
 * names each with what it must be and what it would be. An owner may go ahead with `goldenOverride`.
 */
export class GoldenRecordsChangedError extends TollgateError {
  constructor(what: string, broken: readonly GoldenBreak[]) {
    super(
      "golden_records_changed",
      `${what} refused: it changes ${broken.length} golden record(s) — an owner may override with a reason:\n${describeBreaks(broken)}`,
      { httpStatus: 409, details: { broken } },
    );
  }
}
