import { Router } from "express";
import { provenanceQuerySchema } from "../../../../shared/index.js";
import { listRecordProvenance } from "../../approvals/index.js";
import type { Sql } from "../../db/index.js";
import { HUMAN_ROLES, type Principal } from "../authenticate.js";
import { authorizeCardOrKey, type CardAuthOptions } from "../card-auth.js";
import { withFieldLabels, type FieldLabelLookup } from "../create-field-labels.js";
import { parseWith } from "../parse-with.js";
import { recordOf, requestTenant } from "./approval-routes.js";

export interface ProvenanceRoutesOptions {
  /** Reads `audit_events` and `approvals`. */
  db: Sql;
  authenticate: (header: string | undefined) => Principal | undefined;
  /** Accept signed card requests; without it only API keys work. */
  card?: CardAuthOptions | undefined;
  defaultTenant: string;
  /** The CRM's property labels, added to changes as `fieldLabel`. */
  fieldLabels?: FieldLabelLookup | undefined;
}

/**
 * docs/contracts.md#http-api: `GET /v1/records/:crm/:objectType/:objectId/provenance?limit&cursor` → the
 * record's governed changes with evidence, newest first: `{changes: […], nextCursor}`. Cards
 * (signed) and any human role.
 */
export function createProvenanceRouter(options: ProvenanceRoutesOptions): Router {
  const { db, authenticate, card, defaultTenant, fieldLabels } = options;
  const router = Router();
  const readers = authorizeCardOrKey({ authenticate, card, roles: HUMAN_ROLES });

  router.get("/v1/records/:crm/:objectType/:objectId/provenance", readers, async (req, res) => {
    const { objectType, objectId } = recordOf(req);
    const q = parseWith(
      provenanceQuerySchema,
      { limit: req.query.limit, cursor: req.query.cursor },
      "provenance query",
    );
    const tenantId = requestTenant(req, defaultTenant);
    const page = await listRecordProvenance(db, { tenantId, objectType, objectId, limit: q.limit, cursor: q.cursor });
    res.json({ ...page, changes: await withFieldLabels(fieldLabels, tenantId, page.changes, () => objectType) });
  });

  return router;
}
