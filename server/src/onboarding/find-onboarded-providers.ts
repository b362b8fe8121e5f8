import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";

/**
 * Which of `providers` are onboarded for the tenant: a person approved a change an agent made
 * from that provider (a proposal, a held direct write, a gate request carrying it as `source`).
 * Tollgate's own approvals decide it, never the agent (docs/policy.md "Onboarding").
 */
export async function findOnboardedProviders(
  db: Pick<Sql, "query">,
  tenantId: string,
  providers: Iterable<string>,
): Promise<Set<string>> {
  const asked = [...new Set([...providers].map((p) => p.toLowerCase()))];
  if (asked.length === 0) return new Set();
  const { rows } = await db.query<{ provider: string }>(loadSql("select-approved-providers"), [tenantId, asked]);
  return new Set(rows.map((r) => r.provider));
}
