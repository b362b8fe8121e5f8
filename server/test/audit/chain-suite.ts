import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../../shared/index.js";
import {
  computeEventHash,
  createAuditLog,
  deriveCheckpointKey,
  GENESIS_HASH,
  type AuditLog,
} from "../../src/audit/index.js";
import type { Database } from "../../src/db/index.js";
import { fieldWrite, newTenant, tamper, TEST_ENCRYPTION_KEY, type OpenedDatabase } from "./support.js";

/**
 * The chain's contract, run against PostgreSQL and PGlite alike: links, append-only storage,
 * and verify() finding every kind of tampering.
 */
export function chainSuite(open: () => Promise<OpenedDatabase>): void {
  let opened: OpenedDatabase;
  let db: Database;
  let audit: AuditLog;

  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    audit = await createAuditLog(db, { signingSeed: deriveCheckpointKey(TEST_ENCRYPTION_KEY).seed });
  });
  afterAll(async () => opened?.close());

  /** A tenant with `n` events appended one by one. */
  async function chainOf(n: number) {
    const tenant = newTenant();
    const events = [];
    for (let i = 0; i < n; i++) events.push(await audit.append(fieldWrite(tenant, { object_id: String(i) })));
    return { tenant, events };
  }

  describe("hash chain", () => {
    it("links each event to the previous one by sha256(prev_hash || canonical_json(event without hash))", async () => {
      const { events } = await chainOf(3);
      expect(events[0]!.prev_hash).toBe(GENESIS_HASH);
      for (const [i, e] of events.entries()) {
        const { hash, ...covered } = e;
        expect(hash).toBe(sha256Hex(e.prev_hash + canonicalJson(covered)));
        expect(hash).toBe(computeEventHash(e.prev_hash, e));
        if (i > 0) expect(e.prev_hash).toBe(events[i - 1]!.hash);
      }
    });

    it("stores exactly the event it returns, with the copy columns filled from it", async () => {
      const { tenant, events } = await chainOf(2);
      const { rows } = await db.query<{
        event: unknown;
        seq: string | number;
        agent_id: string;
        outcome: string;
        hash: string;
      }>("SELECT event, seq, agent_id, outcome, hash FROM audit_events WHERE tenant_id = $1 ORDER BY seq", [tenant]);
      expect(rows.map((r) => r.event)).toEqual(events);
      expect(rows.map((r) => Number(r.seq))).toEqual([1, 2]);
      expect(rows[0]).toMatchObject({ agent_id: "enrichment-bot", outcome: "allow", hash: events[0]!.hash });
    });

    it("keeps two tenants' chains independent, each from genesis", async () => {
      const [a, b] = [newTenant("a"), newTenant("b")];
      const appended = [];
      for (let i = 0; i < 3; i++) appended.push(await audit.append(fieldWrite(a)), await audit.append(fieldWrite(b)));
      for (const tenant of [a, b]) {
        const own = appended.filter((e) => e.tenant_id === tenant);
        expect(own[0]!.prev_hash).toBe(GENESIS_HASH);
        expect(own[1]!.prev_hash).toBe(own[0]!.hash);
        expect(own[2]!.prev_hash).toBe(own[1]!.hash);
        expect(await audit.verify(tenant)).toEqual({ ok: true, checked: 3, firstBroken: null });
      }
    });

    it("appends several events of several tenants in one transaction, in order", async () => {
      const [a, b] = [newTenant("a"), newTenant("b")];
      const events = await audit.appendMany([
        fieldWrite(a, { action: "one" }),
        fieldWrite(b),
        fieldWrite(a, { action: "two" }),
      ]);
      expect(events.map((e) => [e.tenant_id, e.action])).toEqual([
        [a, "one"],
        [b, "field_write"],
        [a, "two"],
      ]);
      expect(events[2]!.prev_hash).toBe(events[0]!.hash);
      expect((await audit.verify(a)).checked).toBe(2);
    });

    it("has the database refuse, in the one-event and the batch function, an event of another tenant", async () => {
      const { tenant, events } = await chainOf(1);
      const { hash: _hash, prev_hash: _prev, ...body } = events[0]!;
      const json = canonicalJson({
        ...body,
        event_id: `${body.event_id}-x`,
        tenant_id: "someone-else",
        prev_hash: "P",
      });
      const [head, tail] = json.split("P") as [string, string];
      const headBefore = (await db.query("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1", [tenant])).rows;
      await expect(db.query("SELECT audit_append_one($1, $2, $3)", [tenant, head, tail])).rejects.toThrow(
        /does not belong/,
      );
      await expect(
        db.query("SELECT audit_append($1, $2::text[], $3::text[])", [tenant, [head], [tail]]),
      ).rejects.toThrow(/does not belong/);
      expect((await db.query("SELECT seq, hash FROM audit_heads WHERE tenant_id = $1", [tenant])).rows).toEqual(
        headBefore,
      );
      expect(await audit.verify(tenant)).toEqual({ ok: true, checked: 1, firstBroken: null });
    });

    it("chains a batch of one tenant's events in one statement, each hashed as if appended alone", async () => {
      const tenant = newTenant();
      const first = await audit.append(fieldWrite(tenant));
      const batch = await audit.appendMany([1, 2, 3].map((i) => fieldWrite(tenant, { object_id: String(i) })));
      let prev = first.hash;
      for (const e of batch) {
        expect(e.prev_hash).toBe(prev);
        expect(e.hash).toBe(computeEventHash(prev, e));
        prev = e.hash;
      }
      const head = (
        await db.query<{ seq: string | number; hash: string }>(
          "SELECT seq, hash FROM audit_heads WHERE tenant_id = $1",
          [tenant],
        )
      ).rows[0]!;
      expect([Number(head.seq), head.hash]).toEqual([4, batch[2]!.hash]);
      expect(await audit.verify(tenant)).toEqual({ ok: true, checked: 4, firstBroken: null });
    });

    it("writes with the caller's transaction and leaves no trace when it rolls back", async () => {
      const tenant = newTenant();
      await db.exec("CREATE TABLE IF NOT EXISTS audit_test_intents (id text PRIMARY KEY)");
      await expect(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO audit_test_intents (id) VALUES ($1)", [`${tenant}-1`]);
          await audit.append(fieldWrite(tenant, { action: "intent" }), { tx });
          throw new Error("the caller fails after writing its intent");
        }),
      ).rejects.toThrow(/caller fails/);
      const committed = await db.transaction(async (tx) => {
        await tx.query("INSERT INTO audit_test_intents (id) VALUES ($1)", [`${tenant}-2`]);
        return audit.append(fieldWrite(tenant, { action: "intent" }), { tx });
      });
      expect(committed.prev_hash).toBe(GENESIS_HASH);
      const intents = await db.query("SELECT id FROM audit_test_intents WHERE id LIKE $1", [`${tenant}-%`]);
      expect(intents.rows).toEqual([{ id: `${tenant}-2` }]);
      expect(await audit.verify(tenant)).toEqual({ ok: true, checked: 1, firstBroken: null });
    });
  });

  describe("append-only, enforced by the database", () => {
    it.each([
      ["UPDATE", 'UPDATE audit_events SET event = event || \'{"reason":"edited"}\'::jsonb WHERE tenant_id = $1'],
      ["DELETE", "DELETE FROM audit_events WHERE tenant_id = $1"],
    ])("refuses %s of audit_events, even with no row matched", async (_op, sql) => {
      const { tenant, events } = await chainOf(1);
      await expect(db.query(sql, [tenant])).rejects.toThrow(/append-only/);
      await expect(db.query(sql, ["no-such-tenant"])).rejects.toThrow(/append-only/);
      const { rows } = await db.query<{ event: unknown }>("SELECT event FROM audit_events WHERE tenant_id = $1", [
        tenant,
      ]);
      expect(rows.map((r) => r.event)).toEqual(events);
    });

    it("refuses TRUNCATE of audit_events and any change to checkpoints", async () => {
      const { tenant } = await chainOf(1);
      await audit.checkpoint(tenant);
      await expect(db.query("TRUNCATE audit_events")).rejects.toThrow(/append-only/);
      await expect(db.query("DELETE FROM audit_checkpoints WHERE tenant_id = $1", [tenant])).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query("UPDATE audit_checkpoints SET seq = 0 WHERE tenant_id = $1", [tenant])).rejects.toThrow(
        /append-only/,
      );
      expect((await audit.verify(tenant)).ok).toBe(true);
    });
  });

  describe("verify() finds tampering behind the log's back", () => {
    it("names an event whose JSON was edited", async () => {
      const { tenant, events } = await chainOf(4);
      const victim = events[2]!;
      await tamper(
        db,
        "UPDATE audit_events SET event = jsonb_set(event, '{reason}', '\"looked fine to me\"') WHERE event_id = $1",
        [victim.event_id],
      );
      expect(await audit.verify(tenant)).toEqual({
        ok: false,
        checked: 3,
        firstBroken: { eventId: victim.event_id, reason: "hash mismatch" },
      });
    });

    it("names an event whose hash was rewritten in the JSON, and one whose hash column was", async () => {
      const first = await chainOf(3);
      await tamper(
        db,
        "UPDATE audit_events SET event = jsonb_set(event, '{hash}', to_jsonb(repeat('a', 64))) WHERE event_id = $1",
        [first.events[1]!.event_id],
      );
      expect((await audit.verify(first.tenant)).firstBroken).toEqual({
        eventId: first.events[1]!.event_id,
        reason: "hash mismatch",
      });

      const second = await chainOf(3);
      await tamper(db, "UPDATE audit_events SET hash = repeat('b', 64) WHERE event_id = $1", [
        second.events[0]!.event_id,
      ]);
      expect((await audit.verify(second.tenant)).firstBroken).toEqual({
        eventId: second.events[0]!.event_id,
        reason: "hash column does not match the event",
      });
    });

    it("finds a deleted event by the gap it leaves before the next one", async () => {
      const { tenant, events } = await chainOf(4);
      await tamper(db, "DELETE FROM audit_events WHERE event_id = $1", [events[1]!.event_id]);
      expect((await audit.verify(tenant)).firstBroken).toEqual({
        eventId: events[2]!.event_id,
        reason: "sequence gap before this event",
      });
    });

    it("finds a deletion hidden by renumbering, and reordered events, by the broken prev_hash link", async () => {
      const renumbered = await chainOf(3);
      await tamper(db, "DELETE FROM audit_events WHERE event_id = $1", [renumbered.events[1]!.event_id]);
      await tamper(db, "UPDATE audit_events SET seq = 2 WHERE event_id = $1", [renumbered.events[2]!.event_id]);
      await tamper(db, "UPDATE audit_heads SET seq = 2 WHERE tenant_id = $1", [renumbered.tenant]);
      expect((await audit.verify(renumbered.tenant)).firstBroken).toEqual({
        eventId: renumbered.events[2]!.event_id,
        reason: "prev_hash does not match previous event",
      });

      const swapped = await chainOf(3);
      const [, second, third] = swapped.events;
      await tamper(db, "UPDATE audit_events SET seq = -1 WHERE event_id = $1", [second!.event_id]);
      await tamper(db, "UPDATE audit_events SET seq = 2 WHERE event_id = $1", [third!.event_id]);
      await tamper(db, "UPDATE audit_events SET seq = 3 WHERE event_id = $1", [second!.event_id]);
      expect((await audit.verify(swapped.tenant)).firstBroken).toEqual({
        eventId: third!.event_id,
        reason: "prev_hash does not match previous event",
      });
    });

    it("finds events deleted from the end, which leave the chain itself intact", async () => {
      const { tenant, events } = await chainOf(3);
      await tamper(db, "DELETE FROM audit_events WHERE event_id = $1", [events[2]!.event_id]);
      const result = await audit.verify(tenant);
      expect(result.ok).toBe(false);
      expect(result.firstBroken?.eventId).toBe(events[1]!.event_id);
      expect(result.firstBroken?.reason).toMatch(/events missing after this event/);
    });

    it("finds a chain rewritten with recomputed hashes, through the signed checkpoint", async () => {
      const { tenant, events } = await chainOf(2);
      await audit.checkpoint(tenant);
      // A forger with database access recomputes the edited event's hash and the head: every
      // hash checks out, but the signed checkpoint no longer matches.
      const { hash: _old, ...forged } = { ...events[1]!, reason: "forged" };
      const forgedHash = computeEventHash(forged.prev_hash, forged);
      await tamper(db, "UPDATE audit_events SET event = $2::jsonb, hash = $3 WHERE event_id = $1", [
        forged.event_id,
        { ...forged, hash: forgedHash },
        forgedHash,
      ]);
      await tamper(db, "UPDATE audit_heads SET hash = $2 WHERE tenant_id = $1", [tenant, forgedHash]);
      expect((await audit.verify(tenant)).firstBroken).toEqual({
        eventId: events[1]!.event_id,
        reason: "event differs from the signed checkpoint at seq 2",
      });
    });

    it("finds a query column edited to hide an event from filters", async () => {
      const { tenant, events } = await chainOf(2);
      await tamper(db, "UPDATE audit_events SET agent_id = 'someone-else' WHERE event_id = $1", [events[0]!.event_id]);
      expect((await audit.verify(tenant)).firstBroken).toEqual({
        eventId: events[0]!.event_id,
        reason: "query columns do not match the event",
      });
    });

    it("checks every tenant when none is named", async () => {
      const clean = await chainOf(2);
      const broken = await chainOf(2);
      await tamper(
        db,
        "UPDATE audit_events SET event = jsonb_set(event, '{action}', '\"nothing\"') WHERE event_id = $1",
        [broken.events[0]!.event_id],
      );
      expect((await audit.verify(clean.tenant)).ok).toBe(true);
      const all = await audit.verify();
      expect(all.ok).toBe(false);
      expect(all.checked).toBeGreaterThanOrEqual(1);
    });
  });
}
