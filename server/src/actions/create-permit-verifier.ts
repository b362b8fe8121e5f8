import { timingSafeEqual } from "node:crypto";
import type { AuditEventInput } from "../../../shared/index.js";
import type { PermitVerifyRequest, PermitVerifyResponse } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import { readPermitSignedByAny, type PermitClaims } from "./permit.js";

export interface PermitVerifierOptions {
  db: Sql;
  audit: { append(input: AuditEventInput): Promise<{ event_id: string }> };
  /** The permit signing key (`derivePermitSecret`). */
  secret: Uint8Array;
  /** Signing keys rotated out: permits they signed before the rotation still verify. @defaultValue none */
  previousSecrets?: readonly Uint8Array[];
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

export interface PermitVerifier {
  /**
   * docs/contracts.md `POST /v1/permits/verify`: valid ONCE for that exact action; refused when the
   * token is forged, expired, already used, revoked by a kill switch turned on over the action
   * since, for another digest, or for a tenant the caller does not act for. Every answer is
   * audited in the permit's tenant (a forged token has none, and is only answered).
   * @param callerTenant the tenant the verifying key acts for
   * @param verifier who verifies (the key's name), recorded as `used_by`
   */
  verify(callerTenant: string, request: PermitVerifyRequest, verifier: string): Promise<PermitVerifyResponse>;
}

const sameDigest = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** The sending system's check of a permit (docs/contracts.md, permits). */
export function createPermitVerifier(options: PermitVerifierOptions): PermitVerifier {
  const now = options.now ?? (() => new Date());

  async function refuse(
    claims: PermitClaims,
    reason: NonNullable<PermitVerifyResponse["reason"]>,
    message: string,
    verifier: string,
  ): Promise<PermitVerifyResponse> {
    await options.audit.append(permitEvent(claims, verifier, now(), { reason, message }));
    return { valid: false, reason, message, eventId: claims.eventId, action: claims.action, agentId: claims.agentId };
  }

  return {
    async verify(callerTenant, request, verifier) {
      const claims = readPermitSignedByAny([options.secret, ...(options.previousSecrets ?? [])], request.token);
      if (!claims) return { valid: false, reason: "invalid", message: "not a permit Tollgate signed" };
      if (claims.tenantId !== callerTenant)
        return { valid: false, reason: "other_tenant", message: "this permit is for another tenant" };
      if (!sameDigest(claims.digest, request.digest))
        return refuse(
          claims,
          "digest_mismatch",
          "the permit is for another action (recipient, subject, body or template differ)",
          verifier,
        );
      const at = now();
      const used = await options.db.query(loadSql("consume-permit"), [claims.tenantId, claims.permitId, at, verifier]);
      if (used.rows.length === 0) {
        const { rows } = await options.db.query<{ used_at: Date | null; expires_at: Date; killed_by: string | null }>(
          loadSql("select-permit"),
          [claims.tenantId, claims.permitId],
        );
        const row = rows[0];
        if (!row) return refuse(claims, "invalid", "no such permit was issued", verifier);
        if (row.killed_by) return refuse(claims, "killed", `revoked by kill switch ${row.killed_by}`, verifier);
        if (row.used_at)
          return refuse(claims, "used", `already used at ${new Date(row.used_at).toISOString()}`, verifier);
        return refuse(claims, "expired", `expired at ${new Date(row.expires_at).toISOString()}`, verifier);
      }
      await options.audit.append(permitEvent(claims, verifier, at));
      return {
        valid: true,
        eventId: claims.eventId,
        action: claims.action,
        agentId: claims.agentId,
        expiresAt: claims.expiresAt,
      };
    },
  };
}

function permitEvent(
  claims: PermitClaims,
  verifier: string,
  at: Date,
  refusal?: { reason: string; message: string },
): AuditEventInput {
  return {
    tenant_id: claims.tenantId,
    occurred_at: at.toISOString(),
    actor: { type: "system", id: verifier, role: "operator", via: "permit_verify" },
    action: "permit_verify",
    object_type: claims.objectType,
    object_id: claims.objectId,
    caused_by: claims.eventId,
    reason: refusal ? refusal.message : `permit for ${claims.action} by ${claims.agentId} used`,
    result: refusal ? "failed" : "ok",
    error: refusal?.reason ?? null,
    risk_flags: refusal ? [`permit_${refusal.reason}`] : [],
    evidence: { permitId: claims.permitId, agentId: claims.agentId, action: claims.action, digest: claims.digest },
  };
}
