import { z } from "zod";

/** Each scorecard line: a 1–5 score, pass/fail, or n/a where it does not apply (no message in a field write). */
const lineSchema = z.union([z.number().int().min(1).max(5), z.enum(["pass", "fail", "n/a"])], {
  error: "expected 1–5, pass, fail or n/a",
});

/** Requirements R9: the QA scorecard. */
export const SCORECARD_LINES = [
  "data_correctness",
  "persona",
  "dedupe_frequency",
  "message_integrity",
  "crm_hygiene",
] as const;

export const scorecardSchema = z
  .strictObject({
    data_correctness: lineSchema.optional(),
    persona: lineSchema.optional(),
    dedupe_frequency: lineSchema.optional(),
    message_integrity: lineSchema.optional(),
    crm_hygiene: lineSchema.optional(),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), "score at least one line");

export const qaReviewSchema = z.strictObject({
  verdict: z.enum(["pass", "fail"]),
  scorecard: scorecardSchema,
  notes: z.string().max(5000).optional(),
});

export type Scorecard = z.infer<typeof scorecardSchema>;
export type QaReview = z.input<typeof qaReviewSchema>;
