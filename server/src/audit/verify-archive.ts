import { createHash, createPublicKey } from "node:crypto";
import { checkChainLink } from "./check-chain-link.js";
import { verifyTombstone, type AuditTombstone } from "./tombstone.js";

export interface ArchiveVerifyResult {
  ok: boolean;
  checked: number;
  /** Why it does not hold, or null. */
  problem: string | null;
}

/**
 * What an outside auditor runs on a retention archive with ONLY the public key: the tombstone's
 * signature, the file's SHA-256 against the signed one, then every event's hash and link from
 * the tombstone's `prev_hash` to its `through_hash`. Together with `verifyExport` of what is
 * left, the whole chain is accounted for.
 *
 * @example
 * const { tombstone, publicKeyPem } = JSON.parse(readFileSync("…audit.json", "utf8"));
 * verifyArchive(readFileSync("…audit.jsonl", "utf8"), tombstone, publicKeyPem);
 */
export function verifyArchive(text: string, tombstone: AuditTombstone, publicKeyPem: string): ArchiveVerifyResult {
  let checked = 0;
  const fail = (problem: string): ArchiveVerifyResult => ({ ok: false, checked, problem });
  if (!verifyTombstone(tombstone, createPublicKey(publicKeyPem))) return fail("tombstone signature invalid");
  if (createHash("sha256").update(text, "utf8").digest("hex") !== tombstone.archive_sha256)
    return fail("archive does not match the signed SHA-256");
  let prevHash = tombstone.prev_hash;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    const broken =
      event.tenant_id !== tombstone.tenant_id ? "event of another tenant" : checkChainLink(prevHash, event);
    if (broken) return fail(`line ${checked + 1}: ${broken}`);
    checked += 1;
    prevHash = event.hash as string;
  }
  if (checked !== tombstone.events)
    return fail(`archive holds ${checked} events, the tombstone names ${tombstone.events}`);
  if (prevHash !== tombstone.through_hash) return fail("archive does not end at the tombstone's hash");
  return { ok: true, checked, problem: null };
}
