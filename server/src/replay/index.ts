export { createReplayService } from "./create-replay-service.js";
export type { ReplayService, ReplayServiceOptions } from "./create-replay-service.js";
export { redecide, replayDecisions, sameDecision } from "./replay-decisions.js";
export type { ReplayChange, ReplayDecision, ReplayResult } from "./replay-decisions.js";
export { toReplayInput } from "./to-replay-input.js";
