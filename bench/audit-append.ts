/**
 * Audit appends per second with the hash chain, against plain INSERTs of the same rows into a
 * table with identical columns and indexes in the same PostgreSQL — sequentially and with
 * several writers on one tenant. Goal: the chain costs at most 1.5× a plain insert.
 *
 *     npx tsx bench/audit-append.ts            # DATABASE_URL, else the test database
 *     AUDIT_BENCH_EVENTS=4000 npx tsx bench/audit-append.ts
 *
 * Works in a schema of its own and drops it afterwards.
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import type { AuditEvent, AuditEventInput } from "../shared/index.js";
import { createAuditLog } from "../server/src/audit/index.js";
import { createDatabase, migrate, type Database } from "../server/src/db/index.js";

export interface AuditAppendFigures {
  events: number;
  writers: number;
  /** `ratio` is plain rate / audit rate over the whole run; `medianRatio` the median over blocks. */
  sequential: { auditPerSec: number; plainPerSec: number; ratio: number; medianRatio: number };
  concurrent: { auditPerSec: number; plainPerSec: number; ratio: number; medianRatio: number };
}

const WARMUP = 400;

const PLAIN_INSERT = `INSERT INTO plain_events (event_id, tenant_id, seq, occurred_at, recorded_at, object_type, object_id,
  agent_id, run_id, outcome, event, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;

export async function run(
  options: { url?: string; events?: number; writers?: number } = {},
): Promise<AuditAppendFigures> {
  const url =
    options.url ??
    process.env.DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const events = options.events ?? Number(process.env.AUDIT_BENCH_EVENTS ?? 3000);
  const writers = options.writers ?? 8;
  const schema = `bench_audit_${randomBytes(4).toString("hex")}`;
  const db = await createDatabase({ url, schema, poolSize: writers + 2 });
  try {
    await migrate(db);
    // Same columns, identity, constraints and indexes; triggers are not copied, and no chain.
    await db.exec("CREATE TABLE plain_events (LIKE audit_events INCLUDING ALL)");
    const audit = await createAuditLog(db);
    await audit.append(sampleInput("warmup", 0)); // plans and caches warm

    // Audit and plain runs alternate in blocks, so load from anything else on the same server
    // falls on both alike rather than on whichever ran second.
    const rows = (await audit.query({ tenantId: "warmup", limit: 1 })).events;
    const sample = rows[0]!;
    let auditN = 0;
    let plainN = 0;
    const append = (tenantId: string) => () => audit.append(sampleInput(tenantId, auditN++));
    const plain = (tenantId: string) => () => plainInsert(db, sample, tenantId, plainN++);
    // Both sides warm alike (JIT, plan caches, pool connections, table and index pages) before
    // anything is timed; the first few hundred appends otherwise count the JIT against the chain.
    await timed(WARMUP, writers, append("warm-audit"));
    await timed(WARMUP, writers, plain("warm-plain"));
    const seq = await alternate(events, 1, append("seq"), plain("plain-seq"));
    const con = await alternate(events, writers, append("con"), plain("plain-con"));

    const verified = await audit.verify("con");
    if (!verified.ok || verified.checked !== events)
      throw new Error(`concurrent chain did not verify: ${JSON.stringify(verified)}`);
    const figures: AuditAppendFigures = {
      events,
      writers,
      sequential: { ...seq, ratio: seq.plainPerSec / seq.auditPerSec },
      concurrent: { ...con, ratio: con.plainPerSec / con.auditPerSec },
    };
    print(figures);
    return figures;
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

/**
 * `count` of each operation in alternating blocks of 25 × writers (which goes first alternates
 * too). Returns each one's rate, and the median of the per-block cost ratios: on a shared
 * machine a burst of someone else's load lands on a few blocks, and the median shrugs it off
 * where the totals cannot.
 */
async function alternate(count: number, writers: number, audit: () => Promise<unknown>, plain: () => Promise<unknown>) {
  const block = 25 * writers;
  let auditSeconds = 0;
  let plainSeconds = 0;
  const ratios: number[] = [];
  for (let done = 0, i = 0; done < count; done += block, i++) {
    const n = Math.min(block, count - done);
    // Which side goes first alternates too, so neither always runs right after the other.
    const first = i % 2 === 0 ? audit : plain;
    const second = first === audit ? plain : audit;
    const t1 = await timed(n, writers, first);
    const t2 = await timed(n, writers, second);
    const [a, p] = first === audit ? [t1, t2] : [t2, t1];
    auditSeconds += a;
    plainSeconds += p;
    ratios.push(a / p);
  }
  ratios.sort((x, y) => x - y);
  return {
    auditPerSec: count / auditSeconds,
    plainPerSec: count / plainSeconds,
    medianRatio: ratios[ratios.length >> 1]!,
  };
}

/** Runs `count` operations with `writers` in parallel; returns the seconds taken. */
async function timed(count: number, writers: number, op: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (started < count) {
        started += 1;
        await op();
      }
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** The same row an append stores, inserted as it is: no validation, no chain, no head. */
function plainInsert(db: Database, e: AuditEvent, tenantId: string, seq: number) {
  const eventId = `${e.event_id.slice(0, 24)}${String(seq).padStart(12, "0")}`;
  const agentId = e.actor.type === "agent" ? e.actor.id : null;
  const { object_id, run_id } = sampleInput(tenantId, seq);
  return db.query(PLAIN_INSERT, [
    eventId,
    tenantId,
    seq + 1,
    e.occurred_at,
    e.recorded_at,
    e.object_type,
    object_id,
    agentId,
    run_id,
    e.decision?.outcome ?? null,
    { ...e, event_id: eventId, tenant_id: tenantId, object_id, run_id },
    e.prev_hash,
    e.hash,
  ]);
}

/** A realistic governed field write: diffs, decision, evidence, provenance. */
function sampleInput(tenantId: string, i: number): AuditEventInput {
  return {
    tenant_id: tenantId,
    actor: { type: "agent", id: "enrichment-bot", role: "enrichment", via: "hubspot:app:123456" },
    action: "field_write",
    crm: "hubspot",
    object_type: "contact",
    object_id: String(1000 + (i % 97)),
    field_diffs: [{ field: "industry", before: "Software", after: "Fintech" }],
    decision: {
      outcome: "allow",
      tier: 2,
      rule_id: "roles.enrichment.objects.contact.fields.industry",
      policy_version: "9f2c".repeat(16),
    },
    reason: "Company website and Clearbit agree on fintech",
    source_signal: "clearbit",
    confidence: 0.92,
    evidence: {
      sources: ["https://example.com/about", "clearbit:company/123"],
      facts: { sector: "payments", employees: 240 },
    },
    model_version: "gpt-4.1-2025-04-14",
    prompt_version: "enrich-v7",
    tool_name: "hubspot.update_contact",
    connector: "hubspot",
    run_id: `run-${Math.floor(i / 50)}`,
  };
}

function print(f: AuditAppendFigures): void {
  const rate = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;
  console.log(`audit append vs plain INSERT (${f.events} events each, PostgreSQL)`);
  const line = (label: string, r: AuditAppendFigures["sequential"]) =>
    `  ${label.padEnd(18)} audit ${rate(r.auditPerSec)}  plain ${rate(r.plainPerSec)}  cost ${r.ratio.toFixed(2)}× (median block ${r.medianRatio.toFixed(2)}×)`;
  console.log(line("sequential", f.sequential));
  console.log(line(`${f.writers} writers, 1 tenant`, f.concurrent));
  const met = Math.max(f.sequential.medianRatio, f.concurrent.medianRatio) <= 1.5;
  console.log(`  goal ≤ 1.50× (median block): ${met ? "met" : "missed"}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
