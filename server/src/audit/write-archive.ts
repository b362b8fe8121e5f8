import { createHash } from "node:crypto";
import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { canonicalJson } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { checkChainLink } from "./check-chain-link.js";

// Parameters: $1 tenant id, $2 last seq written, $3 last seq to write, $4 page size.
const RANGE_SQL = `SELECT seq, event FROM audit_events WHERE tenant_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`;
const SAFE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const isSafeFolderName = (tenantId: string): boolean => SAFE_NAME.test(tenantId);

/** The folder of one tenant's checkpoint files and archives, or an error for a name unfit for a path. */
export function tenantFolder(dir: string, tenantId: string): string {
  if (!SAFE_NAME.test(tenantId)) throw new Error(`tenant id ${JSON.stringify(tenantId)} cannot name a folder`);
  return join(dir, tenantId);
}

export interface WrittenArchive {
  path: string;
  name: string;
  sha256: string;
  events: number;
  prevHash: string;
  lastHash: string;
}

/**
 * Writes one tenant's events `fromSeq..throughSeq` as canonical-JSON lines (as `exportJsonl`
 * does), a page at a time, checking every link on the way: a broken chain is never archived
 * and removed, since that would destroy the evidence. The file is flushed to disk before this
 * returns. `prevHash` is the hash the first event chains from.
 */
export async function writeArchive(
  sql: Sql,
  dir: string,
  range: { tenantId: string; fromSeq: number; throughSeq: number; prevHash: string },
  pageSize: number,
): Promise<WrittenArchive> {
  const folder = tenantFolder(dir, range.tenantId);
  await mkdir(folder, { recursive: true });
  const pad = (n: number) => String(n).padStart(12, "0");
  const name = `${pad(range.fromSeq)}-${pad(range.throughSeq)}.audit.jsonl`;
  const path = join(folder, name);
  const file = await open(path, "w");
  const digest = createHash("sha256");
  let seq = range.fromSeq - 1;
  let hash = range.prevHash;
  try {
    while (seq < range.throughSeq) {
      const { rows } = await sql.query<{ seq: string | number; event: Record<string, unknown> }>(RANGE_SQL, [
        range.tenantId,
        seq,
        range.throughSeq,
        pageSize,
      ]);
      if (rows.length === 0) break;
      let text = "";
      for (const row of rows) {
        const broken = Number(row.seq) !== seq + 1 ? "sequence gap" : checkChainLink(hash, row.event);
        if (broken)
          throw new Error(`audit chain of ${range.tenantId} is broken at seq ${seq + 1} (${broken}): not archived`);
        seq += 1;
        hash = row.event.hash as string;
        text += `${canonicalJson(row.event)}\n`;
      }
      digest.update(text, "utf8");
      await file.write(text);
    }
    if (seq !== range.throughSeq) throw new Error(`audit chain of ${range.tenantId} ends at seq ${seq}: not archived`);
    await file.sync();
  } finally {
    await file.close();
  }
  return {
    path,
    name,
    sha256: digest.digest("hex"),
    events: range.throughSeq - range.fromSeq + 1,
    prevHash: range.prevHash,
    lastHash: hash,
  };
}
