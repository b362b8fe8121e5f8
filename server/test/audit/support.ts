import { randomBytes } from "node:crypto";
import type { AuditEventInput } from "../../../shared/index.js";
import type { Database } from "../../src/db/index.js";

/** A database for one suite, and how to get rid of it. */
export interface OpenedDatabase {
  db: Database;
  close(): Promise<void>;
}

/** A fresh tenant id, so each test owns its chain. */
export function newTenant(name = "t"): string {
  return `${name}-${randomBytes(4).toString("hex")}`;
}

/** A governed field write by an agent, as the enforcement worker would log it. */
export function fieldWrite(tenantId: string, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    tenant_id: tenantId,
    actor: { type: "agent", id: "enrichment-bot", role: "enrichment", via: "hubspot:app:123456" },
    action: "field_write",
    crm: "hubspot",
    object_type: "contact",
    object_id: "101",
    field_diffs: [{ field: "industry", before: "Software", after: "Fintech" }],
    decision: {
      outcome: "allow",
      tier: 2,
      rule_id: "roles.enrichment.objects.contact.fields.industry",
      policy_version: "ab".repeat(32),
    },
    reason: "website and Clearbit agree",
    confidence: 0.91,
    evidence: { sources: ["https://example.com/about"], facts: { sector: "payments", employees: 240 } },
    run_id: "run-1",
    ...overrides,
  };
}

/**
 * Runs SQL behind the log's back, as a superuser who switches the append-only triggers off for
 * one transaction (`session_replication_role = replica` skips ordinary triggers) — the attack
 * verify() exists to catch.
 */
export async function tamper(db: Database, sql: string, params: unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    await tx.query(sql, params);
  });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A test encryption key (TOLLGATE_ENCRYPTION_KEY shape: 64 hex characters). */
export const TEST_ENCRYPTION_KEY = "5e".repeat(32);
