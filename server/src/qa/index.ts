export { createQaSampler } from "./create-qa-sampler.js";
export { shouldSample, isRestricted, QA_DEFAULTS } from "./should-sample.js";
export { factsOfEvent, isQaCandidate } from "./facts-of-event.js";
export { withQaSampling } from "./with-qa-sampling.js";
export { qaReviewSchema, scorecardSchema, SCORECARD_LINES } from "./scorecard.js";
export type { QaReview, Scorecard } from "./scorecard.js";
export { QA_REASONS } from "./types.js";
export type { QaAction, QaFacts, QaItem, QaReason, QaSampler, QaSamplerOptions, SampleDecision } from "./types.js";
