import { z } from "zod";
import { canonicalJson, sha256Hex } from "./canonical-json.js";

/**
 * docs/contracts.md (contract): permits for actions Tollgate cannot perform itself, and
 * `POST /v1/permits/verify`, by which the sending system checks one before it sends.
 *
 * A permit is bound to the action's digest: the SHA-256 (hex) of the canonical JSON
 * (keys sorted, no white space, absent members left out) of
 * `{action, to, subject, bodySha256, template, sequenceId, meetingAt}` — `to` lower-cased,
 * `bodySha256` the SHA-256 hex of the body's UTF-8 bytes, `meetingAt` as ISO-8601 UTC. The
 * sending system computes it from what it is about to send, so a permit for one message never
 * sends another. docs/contracts.md shows a worked example.
 */
export interface PermitSubject {
  action: string;
  to?: string | undefined;
  subject?: string | undefined;
  body?: string | undefined;
  template?: string | undefined;
  sequenceId?: string | undefined;
  meetingAt?: string | undefined;
}

/** The digest a permit is bound to (see above). */
export function permitDigest(s: PermitSubject): string {
  return sha256Hex(
    canonicalJson({
      action: s.action,
      to: s.to?.toLowerCase(),
      subject: s.subject,
      bodySha256: s.body === undefined ? undefined : sha256Hex(s.body),
      template: s.template,
      sequenceId: s.sequenceId,
      meetingAt: s.meetingAt === undefined ? undefined : new Date(s.meetingAt).toISOString(),
    }),
  );
}

export const permitVerifyRequestSchema = z.strictObject({
  token: z.string().min(1).max(4000),
  digest: z.string().regex(/^[0-9a-f]{64}$/, "expected the SHA-256 hex digest of the action"),
});
export type PermitVerifyRequest = z.infer<typeof permitVerifyRequestSchema>;

/** Why a permit was refused. */
export const PERMIT_REFUSALS = ["invalid", "expired", "used", "killed", "digest_mismatch", "other_tenant"] as const;

export const permitVerifyResponseSchema = z.object({
  /** True once: the permit is consumed by this answer. */
  valid: z.boolean(),
  reason: z.enum(PERMIT_REFUSALS).optional(),
  message: z.string().optional(),
  /** The audited decision the permit was issued under. */
  eventId: z.string().optional(),
  action: z.string().optional(),
  agentId: z.string().optional(),
  expiresAt: z.string().optional(),
});
export type PermitVerifyResponse = z.infer<typeof permitVerifyResponseSchema>;
