import { Router, type Request } from "express";
import {
  approvalBatchBodySchema,
  approveBodySchema,
  rejectBodySchema,
  CRMS,
  toStoredHubSpotObjectType,
  type CrmName,
} from "../../../../shared/index.js";
import type { ApiKeyRole } from "../../config/index.js";
import type { ApprovalService, Approver } from "../../approvals/index.js";
import { ForbiddenError, ValidationError } from "../../errors/index.js";
import { HUMAN_ROLES, principalOf, type Principal } from "../authenticate.js";
import { withFieldLabels, type FieldLabelLookup } from "../create-field-labels.js";
import { authorizeCardOrKey, jsonWithRawBody, type CardAuthOptions } from "../card-auth.js";
import { parseWith } from "../parse-with.js";
import { tenantOf } from "../tenant-of.js";

/** Who may decide: people with an approving role; agents and auditors may not. */
export const APPROVAL_DECIDERS = [
  "approver",
  "owner",
  "revops_admin",
  "operator",
] as const satisfies readonly ApiKeyRole[];

export interface ApprovalRoutesOptions {
  service: ApprovalService;
  authenticate: (header: string | undefined) => Principal | undefined;
  /** Accept signed card requests (HubSpot `hubspot.fetch`); without it only API keys work. */
  card?: CardAuthOptions | undefined;
  /** The tenant of a deployment-wide API key that names none. */
  defaultTenant: string;
  /** The CRM's property labels, added to approvals as `fieldLabel`; without it the cards show internal names. */
  fieldLabels?: FieldLabelLookup | undefined;
}

/**
 * docs/contracts.md#http-api approvals API, for the cards (signed `hubspot.fetch` requests) and for API keys:
 * `GET /v1/records/:crm/:objectType/:objectId/approvals`, `POST /v1/approvals/:id/approve`,
 * `POST /v1/approvals/:id/reject`, `POST /v1/approvals/batch`.
 *
 * Mount it among the app's raw routers (ahead of its JSON parser) so card signatures are
 * checked over the exact bytes; mounted after the parser it still works, re-serialising.
 */
export function createApprovalRouter(options: ApprovalRoutesOptions): Router {
  const { service, authenticate, card, defaultTenant, fieldLabels } = options;
  const labelled = async <T extends { objectType: string; field: string }>(tenantId: string, items: readonly T[]) =>
    withFieldLabels(fieldLabels, tenantId, items, (a) => a.objectType);
  const router = Router();
  // Agents read too — the fate of their own proposals only (a rejection's reason is for them).
  const readers = authorizeCardOrKey({ authenticate, card, roles: [...HUMAN_ROLES, "agent"] });
  // Deciding reads the CRM's own record of a card user: approver groups are checked against it.
  const deciders = authorizeCardOrKey({ authenticate, card, roles: APPROVAL_DECIDERS, withUser: true });

  router.get("/v1/records/:crm/:objectType/:objectId/approvals", readers, async (req, res) => {
    const { crm, objectType, objectId } = recordOf(req);
    const tenantId = requestTenant(req, defaultTenant);
    const approvals = await service.listForRecord(tenantId, objectType, objectId, { crm });
    const agentId = req.principal?.role === "agent" ? req.principal.agentId : undefined;
    const shown = agentId === undefined ? approvals : approvals.filter((a) => a.agentId === agentId);
    res.json({ approvals: await labelled(tenantId, shown) });
  });

  router.post("/v1/approvals/batch", jsonWithRawBody, deciders, async (req, res) => {
    const body = parseWith(approvalBatchBodySchema, req.body ?? {}, "batch");
    const tenantId = requestTenant(req, defaultTenant);
    const { results } = await service.batch(tenantId, approverOf(req), body.items);
    // Each result names its field as the portal labels it, as the single decisions do.
    const approvals = await labelled(
      tenantId,
      results.flatMap((r) => (r.approval ? [r.approval] : [])),
    );
    const byId = new Map(approvals.map((a) => [a.id, a]));
    res.json({
      results: results.map((r) => {
        const approval = r.approval && byId.get(r.approval.id);
        if (!approval) return r;
        return { ...r, ...(approval.fieldLabel ? { fieldLabel: approval.fieldLabel } : {}), approval };
      }),
    });
  });

  router.post("/v1/approvals/:id/approve", jsonWithRawBody, deciders, async (req, res) => {
    const body = parseWith(approveBodySchema, req.body ?? {}, "approve body");
    const tenantId = requestTenant(req, defaultTenant);
    const [approval] = await labelled(tenantId, [
      await service.approve(tenantId, String(req.params.id), approverOf(req), body),
    ]);
    res.json(approval);
  });

  router.post("/v1/approvals/:id/reject", jsonWithRawBody, deciders, async (req, res) => {
    const body = parseWith(rejectBodySchema, req.body ?? {}, "reject body");
    const tenantId = requestTenant(req, defaultTenant);
    const [approval] = await labelled(tenantId, [
      await service.reject(tenantId, String(req.params.id), approverOf(req), body),
    ]);
    res.json(approval);
  });

  return router;
}

/**
 * The tenant a request acts on. A card acts for the portal HubSpot signed for, and nothing
 * else; an API key as `tenantOf` says.
 */
export function requestTenant(req: Request, defaultTenant: string): string {
  if (!req.card) return tenantOf(req, defaultTenant);
  const asked = req.query.tenantId;
  if (asked !== undefined && asked !== req.card.portalId)
    throw new ForbiddenError(`this card acts for portal ${req.card.portalId} only`);
  return req.card.portalId;
}

/**
 * The approver a request identifies: the CRM user of a signed card (with the CRM's record of
 * them), or the API key's holder. Either carries the person's email when known, so one person
 * with a key and a card session counts once.
 */
export function approverOf(req: Request): Approver {
  const p = principalOf(req);
  if (req.card)
    return {
      id: `${req.card.crm ?? "hubspot"}:user:${req.card.userId}`,
      name: p.name,
      email: req.card.userEmail ?? req.card.user?.email,
      via: `${req.card.crm ?? "hubspot"}_card`,
      role: p.role,
      objectId: req.card.objectId,
      crmUser: req.card.user,
    };
  return {
    id: `api_key:${p.name}`,
    name: p.name,
    email: p.email,
    via: "api_key",
    role: p.role,
    agentId: p.agentId,
  };
}

/**
 * The record a path names, with the object type as Tollgate stores it: HubSpot's `0-1` and
 * `contact` become `contacts` (the webhook path normalises the same way); Salesforce names
 * stay as they are. A card may only look at the record it is shown on.
 */
export function recordOf(req: Request): { crm: CrmName; objectType: string; objectId: string } {
  const crm = String(req.params.crm);
  if (!(CRMS as readonly string[]).includes(crm))
    throw new ValidationError(`unknown CRM ${JSON.stringify(crm)}: use ${CRMS.join(" or ")}`);
  const raw = String(req.params.objectType);
  const objectId = String(req.params.objectId);
  const objectType = crm === "hubspot" ? toStoredHubSpotObjectType(raw) : raw;
  if (req.card && crm !== (req.card.crm ?? "hubspot"))
    throw new ForbiddenError(`a ${req.card.crm ?? "hubspot"} card acts on its own CRM's records only`);
  if (req.card?.objectId && req.card.objectId !== objectId)
    throw new ForbiddenError(`this card is on record ${req.card.objectId}, not ${objectId}`);
  return { crm: crm as CrmName, objectType, objectId };
}
