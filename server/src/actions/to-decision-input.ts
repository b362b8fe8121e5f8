import type { ActionRequest } from "../../../shared/index.js";
import type { DecisionAttributes, DecisionInput } from "../policy/index.js";

const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();

/**
 * The request as `decide` sees it. The payload fills in what the attributes leave out: the
 * sending domain (`payload.domain`, else the sender's) counts against the per-domain cap and
 * meets `domain` kill switches; the template meets `auto_if.templates` and `template` switches.
 */
export function toDecisionInput(agentId: string, r: ActionRequest, at: Date): DecisionInput {
  const attributes: DecisionAttributes = { ...r.attributes };
  const p = r.payload;
  const domain = sendingDomainOf(r);
  if (attributes.domain === undefined && domain !== undefined) attributes.domain = domain;
  if (attributes.template === undefined && p?.template !== undefined) attributes.template = p.template;
  const field = r.action === "update_field";
  return {
    agentId,
    object: r.object,
    kind: field ? "field_write" : "action",
    ...(field ? { field: r.field! } : { action: r.action }),
    ...(r.confidence === undefined ? {} : { confidence: r.confidence }),
    ...(r.source === undefined ? {} : { source: r.source }),
    ...(r.icpMatch === undefined ? {} : { icpMatch: r.icpMatch }),
    attributes,
    at,
    ...(r.prospectTimeZone === undefined ? {} : { prospectTimeZone: r.prospectTimeZone }),
    ...(r.objectId === undefined ? {} : { recordId: r.objectId }),
    ...(r.accountId === undefined ? {} : { accountId: r.accountId }),
  };
}

/** The domain a send goes out from: `payload.domain`, else the sender's. */
export function sendingDomainOf(r: ActionRequest): string | undefined {
  const p = r.payload;
  return p?.domain?.toLowerCase() ?? (p?.from ? domainOf(p.from) : undefined);
}
