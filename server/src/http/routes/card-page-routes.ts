import { Router } from "express";
import { inboxQuerySchema } from "../../../../shared/index.js";
import type { ApprovalService } from "../../approvals/index.js";
import type { SettingsViewReader } from "../../settings/index.js";
import { HUMAN_ROLES, principalOf, type Principal } from "../authenticate.js";
import { authorizeCardOrKey, CARD_IDENTITY_PARAMS, type CardAuthOptions } from "../card-auth.js";
import { withFieldLabels, type FieldLabelLookup } from "../create-field-labels.js";
import { parseWith } from "../parse-with.js";
import { approverOf, requestTenant } from "./approval-routes.js";

const SCOPING_PARAMS = [...CARD_IDENTITY_PARAMS, "objectId", "tenantId"] as const;

export interface CardPageRoutesOptions {
  approvals: Pick<ApprovalService, "inbox">;
  settings: SettingsViewReader;
  authenticate: (header: string | undefined) => Principal | undefined;
  card?: CardAuthOptions | undefined;
  defaultTenant: string;
  /** The CRM's property labels, added to the inbox's approvals as `fieldLabel`. */
  fieldLabels?: FieldLabelLookup | undefined;
}

/**
 * docs/contracts.md#http-api, the HubSpot app's pages: `GET /v1/inbox?view&objectType&agentId&field&limit`
 * (the approval inbox across records) and `GET /v1/settings` (the RevOps settings page), for
 * signed card requests and human API keys alike. A card user is read from the CRM (approver
 * groups decide `mine` and `team`; the policy's role groups decide their role).
 */
export function createCardPageRouter(options: CardPageRoutesOptions): Router {
  const { authenticate, card, defaultTenant } = options;
  const router = Router();
  const people = authorizeCardOrKey({ authenticate, card, roles: HUMAN_ROLES, withUser: true });

  router.get("/v1/inbox", people, async (req, res) => {
    // The identity HubSpot appends (and a card's own objectId) is not a filter.
    const filters = Object.fromEntries(
      Object.entries(req.query).filter(([k]) => !(SCOPING_PARAMS as readonly string[]).includes(k)),
    );
    const query = parseWith(inboxQuerySchema, filters, "inbox query");
    const tenantId = requestTenant(req, defaultTenant);
    const inbox = await options.approvals.inbox(tenantId, approverOf(req), query);
    const approvals = await withFieldLabels(options.fieldLabels, tenantId, inbox.approvals, (a) => a.objectType);
    res.json({ ...inbox, approvals });
  });

  router.get("/v1/settings", people, async (req, res) => {
    res.json(await options.settings(requestTenant(req, defaultTenant), principalOf(req).role));
  });

  return router;
}
