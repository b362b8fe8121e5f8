import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent, AuditQuery } from "../../../shared/index.js";
import {
  createAuditLog,
  deriveCheckpointKey,
  REDACTED,
  verifyCheckpoint,
  verifyExport,
  type AuditLog,
} from "../../src/audit/index.js";
import type { Database } from "../../src/db/index.js";
import { ValidationError } from "../../src/errors/index.js";
import { collect, fieldWrite, newTenant, TEST_ENCRYPTION_KEY, type OpenedDatabase } from "./support.js";

/**
 * Reading the log back — queries, paging, export, signed checkpoints — and what never gets in:
 * secrets and invalid events. Run against PostgreSQL and PGlite alike.
 */
export function querySuite(open: () => Promise<OpenedDatabase>): void {
  let opened: OpenedDatabase;
  let db: Database;
  let audit: AuditLog;
  const key = deriveCheckpointKey(TEST_ENCRYPTION_KEY);
  // A spread of events over agents, records, runs, outcomes and days.
  const tenant = newTenant("q");
  let all: AuditEvent[] = [];

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    // A small page size, so exports and verification cross page boundaries.
    audit = await createAuditLog(db, { signingSeed: key.seed, pageSize: 7 });
    for (let i = 0; i < 30; i++) {
      all.push(
        await audit.append(
          fieldWrite(tenant, {
            actor:
              i % 3 === 0
                ? { type: "human", id: "rep@example.com" }
                : { type: "agent", id: i % 2 ? "enrichment-bot" : "routing-bot" },
            object_id: String(100 + (i % 4)),
            run_id: `run-${i % 5}`,
            decision: { outcome: i % 4 === 0 ? "deny" : "allow" },
            occurred_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
          }),
        ),
      );
    }
    await audit.append(fieldWrite(newTenant("other")));
    all = all.reverse(); // newest first, as query() answers
  });
  afterAll(async () => opened?.close());

  async function everyPage(q: AuditQuery): Promise<AuditEvent[][]> {
    const pages: AuditEvent[][] = [];
    let cursor: string | undefined;
    do {
      const page = await audit.query({ ...q, cursor });
      pages.push(page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return pages;
  }

  describe("query()", () => {
    it.each<[string, AuditQuery, (e: AuditEvent) => boolean]>([
      ["objectType and objectId", { objectType: "contact", objectId: "102" }, (e) => e.object_id === "102"],
      [
        "agentId (agents only)",
        { agentId: "enrichment-bot" },
        (e) => e.actor.type === "agent" && e.actor.id === "enrichment-bot",
      ],
      ["runId", { runId: "run-3" }, (e) => e.run_id === "run-3"],
      ["outcome", { outcome: "deny" }, (e) => e.decision?.outcome === "deny"],
      [
        "from (inclusive) and to (exclusive)",
        { from: "2026-01-05T00:00:00Z", to: "2026-01-10T00:00:00Z" },
        (e) => e.occurred_at >= "2026-01-05" && e.occurred_at < "2026-01-10",
      ],
    ])("filters by %s, newest first", async (_name, filter, expected) => {
      const { events, nextCursor } = await audit.query({ tenantId: tenant, limit: 1000, ...filter });
      const want = all.filter(expected);
      expect(want.length).toBeGreaterThan(0);
      expect(events).toEqual(want);
      expect(nextCursor).toBeNull();
    });

    it("pages with an opaque cursor: no duplicates, nothing missing, newest first", async () => {
      const pages = await everyPage({ tenantId: tenant, limit: 4 });
      expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
      expect(pages.flat()).toEqual(all);
      const filtered = await everyPage({ tenantId: tenant, agentId: "routing-bot", limit: 3 });
      expect(filtered.flat()).toEqual(all.filter((e) => e.actor.type === "agent" && e.actor.id === "routing-bot"));
    });

    it("never shows one tenant another's events", async () => {
      const { events } = await audit.query({ tenantId: newTenant("empty") });
      expect(events).toEqual([]);
      expect((await audit.query({ tenantId: tenant, limit: 1000 })).events.every((e) => e.tenant_id === tenant)).toBe(
        true,
      );
    });

    it("refuses a forged cursor and a malformed filter", async () => {
      await expect(audit.query({ tenantId: tenant, cursor: "bm90IGEgY3Vyc29y" })).rejects.toBeInstanceOf(
        ValidationError,
      );
      await expect(audit.query({ tenantId: tenant, from: "yesterday" })).rejects.toBeInstanceOf(ValidationError);
    });
  });

  describe("exportJsonl()", () => {
    it("streams every matching event, oldest first, one JSON line each, across pages", async () => {
      const lines = await collect(audit.exportJsonl({ tenantId: tenant }));
      expect(lines).toHaveLength(30);
      expect(lines.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
      expect(lines.map((l) => JSON.parse(l))).toEqual([...all].reverse());
      const runLines = await collect(audit.exportJsonl({ tenantId: tenant, runId: "run-2", limit: 2 }));
      expect(runLines.map((l) => JSON.parse(l))).toEqual(all.filter((e) => e.run_id === "run-2").reverse());
    });
  });

  describe("signed checkpoints", () => {
    it("verifies with only the public key, and not once altered or under another key", async () => {
      const checkpoint = await audit.checkpoint(tenant);
      expect(checkpoint).toMatchObject({ tenant_id: tenant, seq: 30, hash: all[0]!.hash, key_id: key.keyId });
      expect(await audit.latestCheckpoint(tenant)).toEqual(checkpoint);
      expect(verifyCheckpoint(checkpoint, key.publicKeyPem)).toBe(true);
      expect(verifyCheckpoint({ ...checkpoint, seq: 29 }, key.publicKeyPem)).toBe(false);
      expect(verifyCheckpoint(checkpoint, deriveCheckpointKey("11".repeat(32)).publicKeyPem)).toBe(false);
    });

    it("lets an outside auditor check an export against it, and catches a tampered export", async () => {
      const checkpoint = await audit.checkpoint(tenant);
      const lines = await collect(audit.exportJsonl({ tenantId: tenant }));
      expect(await verifyExport(lines, checkpoint, key.publicKeyPem)).toEqual({
        ok: true,
        checked: 30,
        beyondCheckpoint: 0,
        firstBroken: null,
      });

      const edited = [...lines];
      edited[4] = edited[4]!.replace('"confidence":0.91', '"confidence":0.99');
      expect((await verifyExport(edited, checkpoint, key.publicKeyPem)).firstBroken).toMatchObject({
        line: 5,
        reason: "hash mismatch",
      });

      const dropped = lines.filter((_, i) => i !== 10);
      expect((await verifyExport(dropped, checkpoint, key.publicKeyPem)).firstBroken).toMatchObject({
        line: 11,
        reason: "prev_hash does not match previous event",
      });

      const truncated = lines.slice(0, 29);
      expect((await verifyExport(truncated, checkpoint, key.publicKeyPem)).ok).toBe(false);

      const wrongKey = deriveCheckpointKey("22".repeat(32)).publicKeyPem;
      expect((await verifyExport(lines, checkpoint, wrongKey)).firstBroken).toMatchObject({
        line: 0,
        reason: "checkpoint signature invalid",
      });
    });

    it("vouches only for the signed prefix when events were appended after the checkpoint", async () => {
      const side = newTenant("cp");
      await audit.append(fieldWrite(side));
      const checkpoint = await audit.checkpoint(side);
      await audit.append(fieldWrite(side));
      const lines = await collect(audit.exportJsonl({ tenantId: side }));
      expect(await verifyExport(lines, checkpoint, key.publicKeyPem)).toEqual({
        ok: true,
        checked: 2,
        beyondCheckpoint: 1,
        firstBroken: null,
      });
    });
  });

  describe("what never enters the log", () => {
    const secrets = [
      "s3cr3t-pass",
      "tok-abcdef123456",
      "rt-zyxwvu987654",
      "sk_live_abcdef",
      "hunter2hunter2",
      "ABCDEFGH12345678",
    ];

    it("redacts secrets anywhere in the event, including nested evidence and field diffs", async () => {
      const t = newTenant("secret");
      const event = await audit.append(
        fieldWrite(t, {
          evidence: {
            request: {
              headers: { Authorization: "Bearer ABCDEFGH12345678", "X-Api-Key": "sk_live_abcdef" },
              body: { password: "s3cr3t-pass" },
            },
            oauth: [{ access_token: "tok-abcdef123456", refresh_token: "rt-zyxwvu987654", expires_in: 1800 }],
            prompt_tokens: 812,
          },
          field_diffs: [
            { field: "api_key", before: "hunter2hunter2", after: "sk_live_abcdef" },
            { field: "industry", before: null, after: "Fintech" },
          ],
          error: "HubSpot 401 for request with Authorization: Bearer ABCDEFGH12345678",
        }),
      );
      const { rows } = await db.query<{ raw: string }>(
        "SELECT event::text AS raw FROM audit_events WHERE tenant_id = $1",
        [t],
      );
      for (const secret of secrets) {
        expect(rows[0]!.raw).not.toContain(secret);
        expect(JSON.stringify(event)).not.toContain(secret);
      }
      expect(event.evidence).toEqual({
        request: { headers: { Authorization: REDACTED, "X-Api-Key": REDACTED }, body: { password: REDACTED } },
        oauth: [{ access_token: REDACTED, refresh_token: REDACTED, expires_in: 1800 }],
        prompt_tokens: 812,
      });
      expect(event.field_diffs).toEqual([
        { field: "api_key", before: REDACTED, after: REDACTED },
        { field: "industry", before: null, after: "Fintech" },
      ]);
      expect(event.error).toBe(`HubSpot 401 for request with Authorization: Bearer ${REDACTED}`);
      expect((await audit.verify(t)).ok).toBe(true);
    });

    it.each<[string, unknown]>([
      ["a missing actor", { tenant_id: "x", action: "field_write" }],
      ["an empty tenant", fieldWrite("")],
      ["an unknown actor type", fieldWrite("x", { actor: { type: "robot" as "agent", id: "r" } })],
      ["a confidence above 1", fieldWrite("x", { confidence: 1.5 })],
      ["a malformed occurred_at", fieldWrite("x", { occurred_at: "last tuesday" })],
      ["evidence JSON cannot hold", fieldWrite("x", { evidence: { n: 10n } })],
    ])("refuses %s with a ValidationError and writes nothing", async (_name, input) => {
      const count = async () =>
        (await db.query<{ n: string | number }>("SELECT count(*) AS n FROM audit_events")).rows[0]!.n;
      const heads = async () =>
        (await db.query("SELECT tenant_id, seq, hash FROM audit_heads ORDER BY tenant_id")).rows;
      const [before, headsBefore] = [await count(), await heads()];
      const error = await audit.append(input as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe("validation_failed");
      await expect(audit.appendMany([fieldWrite(newTenant()), input as never])).rejects.toBeInstanceOf(ValidationError);
      expect(await count()).toBe(before);
      expect(await heads()).toEqual(headsBefore);
    });
  });
}
