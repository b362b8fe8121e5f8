import { z } from "zod";

const isoSchema = z
  .string()
  .datetime({ offset: true, error: "expected an ISO-8601 date-time with offset, e.g. 2026-03-02T10:00:00Z" });

/**
 * docs/contracts.md#http-api (contract): the body of `POST /v1/rollback`. At least one selector (`eventIds`,
 * `runId`, `agentId`, `from`/`to`, `last`) is required: a rollback of "everything" is never
 * what a person meant.
 */
export const rollbackRequestSchema = z
  .strictObject({
    eventIds: z.array(z.string().min(1)).min(1, "expected at least one event id").max(10_000).optional(),
    runId: z.string().min(1).optional(),
    agentId: z.string().min(1).optional(),
    from: isoSchema.optional(),
    to: isoSchema.optional(),
    /** The agent's last N changes (after the other selectors). */
    last: z
      .number()
      .int("expected a whole number")
      .min(1, "expected 1 to 10000")
      .max(10_000, "expected 1 to 10000")
      .optional(),
    dryRun: z.boolean().default(false),
    /** Restore even where someone changed the field since (owners only; checked by the route). */
    force: z.boolean().default(false),
  })
  .refine(
    (r) =>
      r.eventIds !== undefined ||
      r.runId !== undefined ||
      r.agentId !== undefined ||
      r.from !== undefined ||
      r.to !== undefined ||
      r.last !== undefined,
    {
      error: "name what to roll back: eventIds, runId, agentId, from/to or last",
    },
  )
  .refine((r) => r.from === undefined || r.to === undefined || Date.parse(r.from) < Date.parse(r.to), {
    error: "from must be before to",
    path: ["to"],
  });

export type RollbackRequest = z.output<typeof rollbackRequestSchema>;
export type RollbackRequestInput = z.input<typeof rollbackRequestSchema>;
