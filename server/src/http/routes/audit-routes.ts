import { Router } from "express";
import { auditQuerySchema } from "../../../../shared/index.js";
import type { AuditLog } from "../../audit/index.js";
import { HUMAN_ROLES, requireRole, type Principal } from "../authenticate.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

export interface AuditRoutesOptions {
  audit: AuditLog;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

/** docs/contracts.md#http-api: `GET /v1/audit`, `/v1/audit/verify`, `/v1/audit/export` — auditors and up. */
export function createAuditRouter({ audit, authenticate, defaultTenant }: AuditRoutesOptions): Router {
  const router = Router();
  const readers = requireRole(authenticate, HUMAN_ROLES);

  router.get("/v1/audit", readers, async (req, res) => {
    const { tenantId: _ignored, ...rest } = req.query;
    const q = parseWith(auditQuerySchema, { ...rest, tenantId: tenantOf(req, defaultTenant) }, "audit query");
    res.json(await audit.query(q));
  });

  router.get("/v1/audit/verify", readers, async (req, res) => {
    res.json(await audit.verify(tenantOf(req, defaultTenant)));
  });

  router.get("/v1/audit/export", readers, async (req, res) => {
    const { tenantId: _ignored, limit: _limit, cursor: _cursor, ...rest } = req.query;
    const q = parseWith(auditQuerySchema, { ...rest, tenantId: tenantOf(req, defaultTenant) }, "audit export query");
    res.status(200).setHeader("content-type", "application/x-ndjson; charset=utf-8");
    // Streamed a page at a time: an export of millions of events never sits in memory.
    for await (const line of audit.exportJsonl(q)) {
      if (!res.write(line.endsWith("\n") ? line : `${line}\n`)) await new Promise((r) => res.once("drain", r));
    }
    res.end();
  });

  return router;
}
