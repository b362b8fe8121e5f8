import { createWriteStream } from "node:fs";
import { basename } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import type { CliServices } from "../services.js";

/** `tollgate audit verify` and `tollgate audit export`. */
export function registerAuditCommands(program: Command, services: () => Promise<CliServices>): void {
  const audit = program.command("audit").description("verify and export the tamper-evident audit log");

  audit
    .command("verify")
    .option("--tenant <id>", "one tenant (default: every tenant)")
    .description("recompute the hash chain; exits 1 and names the first broken event if any")
    .action(async (o: { tenant?: string }) => {
      const s = await services();
      const result = await s.runtime.services.audit.verify(o.tenant);
      if (result.ok) console.log(`ok: ${result.checked} events verified`);
      else {
        console.log(
          `BROKEN after ${result.checked} events: ${result.firstBroken!.eventId} — ${result.firstBroken!.reason}`,
        );
        process.exitCode = 1;
      }
    });

  audit
    .command("export")
    .requiredOption("--tenant <id>", "tenant to export")
    .option("--from <iso>", "occurred at or after")
    .option("--to <iso>", "occurred before")
    .option("--out <file>", "write JSONL here instead of standard output")
    .option("--checkpoint", "also sign the chain head and print the checkpoint (needs TOLLGATE_ENCRYPTION_KEY)", false)
    .description("stream the events as JSONL (one canonical event per line), oldest first")
    .action(async (o: { tenant: string; from?: string; to?: string; out?: string; checkpoint: boolean }) => {
      const s = await services();
      // Sign the head first: events appended during the export then lie beyond the checkpoint,
      // which verifyExport reports, instead of breaking the signed range.
      // Recorded in the chain, like the scheduled ones (deleting its row is then noticed).
      const cp = o.checkpoint ? await s.runtime.services.audit.checkpoint(o.tenant, { record: true }) : undefined;
      const out: NodeJS.WritableStream = o.out ? createWriteStream(o.out) : process.stdout;
      let n = 0;
      const range = { ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) };
      for await (const line of s.runtime.services.audit.exportJsonl({ tenantId: o.tenant, ...range })) {
        if (!out.write(line)) await new Promise((r) => out.once("drain", r));
        n++;
      }
      if (o.out) await new Promise<void>((r) => out.end(() => r()));
      if (cp) console.error(JSON.stringify({ checkpoint: cp, publicKeyPem: s.runtime.services.audit.publicKeyPem }));
      // Who took the history out, and how much of it, is itself history.
      await s.runtime.services.audit.append({
        tenant_id: o.tenant,
        actor: s.operator,
        action: "audit_export",
        reason: `exported ${n} events${o.out ? ` to ${basename(o.out)}` : ""}`,
        evidence: { events: n, ...range, ...(cp ? { checkpointSeq: cp.seq } : {}) },
      });
      console.error(`exported ${n} events`);
    });

  audit
    .command("retention")
    .option("--tenant <id>", "one tenant (default: every tenant whose policy sets audit.retention_days)")
    .option("--days <n>", "archive events older than this many days, whatever the policy says", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of days, 1 or more");
      return n;
    })
    .option("--dry-run", "say what would be archived; change nothing", false)
    .description("archive old events to signed JSONL files and remove them behind a signed tombstone")
    .action(async (o: { tenant?: string; days?: number; dryRun: boolean }) => {
      const s = await services();
      const results = await s.runtime.services.auditJobs.retention.runOnce({
        ...(o.tenant ? { tenantId: o.tenant } : {}),
        ...(o.days ? { days: o.days } : {}),
        dryRun: o.dryRun,
      });
      if (results.length === 0) console.log("nothing to do: no tenant has audit.retention_days (or pass --days)");
      for (const r of results) {
        if (r.error) {
          console.log(`${r.tenantId}: FAILED — ${r.error}`);
          process.exitCode = 1;
        } else if (r.wouldArchive)
          console.log(`${r.tenantId}: would archive events ${r.wouldArchive.fromSeq}–${r.wouldArchive.throughSeq}`);
        else if (r.tombstone)
          console.log(
            `${r.tenantId}: archived events ${r.tombstone.from_seq}–${r.tombstone.through_seq} to ${r.archivePath}, removed ${r.removed}`,
          );
        else console.log(`${r.tenantId}: nothing old enough`);
      }
    });
}
