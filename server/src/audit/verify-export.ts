import { checkChainLink } from "./check-chain-link.js";
import { GENESIS_HASH } from "./compute-event-hash.js";
import type { AuditCheckpoint, ExportVerifyResult } from "./types.js";
import { verifyCheckpoint } from "./verify-checkpoint.js";

/**
 * What an outside auditor runs with ONLY the public key: checks the checkpoint's signature,
 * then recomputes the chain from an export of one tenant's whole chain (exportJsonl with only
 * tenantId: oldest first, from genesis), and checks that the event at the checkpoint's seq
 * carries the signed hash. Take the checkpoint first and export after: events appended since
 * are chained and counted in `beyondCheckpoint`, but only the signed prefix is vouched for.
 *
 * `lines` may yield single lines or chunks of several; blank lines are skipped.
 *
 * @example
 * const result = await verifyExport(readFileSync("audit.jsonl", "utf8").split("\n"), checkpoint, pem);
 */
export async function verifyExport(
  lines: Iterable<string> | AsyncIterable<string>,
  checkpoint: AuditCheckpoint,
  publicKeyPem: string,
): Promise<ExportVerifyResult> {
  let checked = 0;
  const broken = (line: number, eventId: string | null, reason: string): ExportVerifyResult => ({
    ok: false,
    checked,
    beyondCheckpoint: Math.max(0, checked - checkpoint.seq),
    firstBroken: { line, eventId, reason },
  });
  if (!verifyCheckpoint(checkpoint, publicKeyPem)) return broken(0, null, "checkpoint signature invalid");
  if (checkpoint.seq === 0 && checkpoint.hash !== GENESIS_HASH)
    return broken(0, null, "checkpoint of an empty chain must carry the genesis hash");

  let prevHash = GENESIS_HASH;
  let lastId: string | null = null;
  for await (const chunk of lines) {
    for (const text of chunk.split("\n")) {
      if (text.trim() === "") continue;
      const line = checked + 1;
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return broken(line, null, "line is not JSON");
      }
      const eventId = typeof event.event_id === "string" ? event.event_id : null;
      if (event.tenant_id !== checkpoint.tenant_id)
        return broken(line, eventId, "event belongs to another tenant than the checkpoint");
      const reason = checkChainLink(prevHash, event);
      if (reason)
        return broken(
          line,
          eventId,
          line === 1 && reason.startsWith("prev_hash") ? "export does not start at the genesis of the chain" : reason,
        );
      checked = line;
      if (line === checkpoint.seq && event.hash !== checkpoint.hash)
        return broken(line, eventId, "event at the checkpoint's seq differs from the signed head");
      prevHash = event.hash as string;
      lastId = eventId;
    }
  }
  if (checked < checkpoint.seq)
    return broken(checked, lastId, `export ends at event ${checked}, before the checkpoint's seq ${checkpoint.seq}`);
  return { ok: true, checked, beyondCheckpoint: checked - checkpoint.seq, firstBroken: null };
}
