import { type PolicyObject, HUBSPOT_PROVENANCE_NAMES, hubspotShadowName } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";
import { WebhookSubscriptionCapError } from "./errors.js";
import { listProvisionedObjects } from "./plan-provisioning.js";
import type { GovernedField } from "./types.js";

/** HubSpot allows at most 1,000 webhook subscriptions per app (HubSpot: https://developers.hubspot.com/docs/api/webhooks). */
export const HUBSPOT_SUBSCRIPTION_CAP = 1000;

/** Record-level events Tollgate watches on every governed object. */
export const RECORD_SUBSCRIPTION_TYPES = ["object.creation", "object.deletion", "object.merge"] as const;
export const CRM_OBJECT_SUBSCRIPTION_TYPES = [...RECORD_SUBSCRIPTION_TYPES, "object.propertyChange"] as const;
export type CrmObjectSubscriptionType = (typeof CRM_OBJECT_SUBSCRIPTION_TYPES)[number];

/** One entry of `subscriptions.crmObjects` in `webhooks-hsmeta.json` (platform 2025.2). */
export interface CrmObjectSubscription {
  subscriptionType: CrmObjectSubscriptionType;
  /** HubSpot's singular object name (`contact`), as the hsmeta examples write it. */
  objectType: string;
  /** Only for `object.propertyChange`. */
  propertyName?: string;
  active: true;
}

/**
 * Revenue-critical properties watched whatever the policy says (docs/architecture.md#the-flow): owner, lifecycle
 * stage, lead status, deal stage, amount, close date, email opt-out (DNC). Listed only on the
 * objects that have them: HubSpot refuses a subscription to a property that does not exist.
 */
export const REVENUE_CRITICAL_PROPERTIES: Partial<Record<PolicyObject, readonly string[]>> = {
  contact: ["hubspot_owner_id", "lifecyclestage", "hs_lead_status", "hs_email_optout"],
  company: ["hubspot_owner_id", "lifecyclestage"],
  deal: ["hubspot_owner_id", "dealstage", "amount", "closedate"],
};

/**
 * The `crmObjects` subscriptions the policy needs (docs/architecture.md#the-flow: generated, never hand-written):
 * per governed object, creation/deletion/merge, and a property change for every field the
 * policy names at any tier, the shadow of every proposable field, the provenance properties
 * and the revenue-critical defaults. Deduplicated, in a stable order.
 * @throws WebhookSubscriptionCapError above HubSpot's 1,000-subscription cap.
 */
export function planWebhookSubscriptions(
  governedFields: readonly GovernedField[],
  options: { cap?: number } = {},
): CrmObjectSubscription[] {
  const out: CrmObjectSubscription[] = [];
  const seen = new Set<string>();
  const add = (s: CrmObjectSubscription) => {
    const key = `${s.subscriptionType}\0${s.objectType}\0${s.propertyName ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };

  for (const { object } of listProvisionedObjects(governedFields)) {
    for (const subscriptionType of RECORD_SUBSCRIPTION_TYPES)
      add({ subscriptionType, objectType: object, active: true });
    const fields = governedFields.filter((f) => f.object === object);
    const properties = [
      ...(REVENUE_CRITICAL_PROPERTIES[object] ?? []),
      ...fields.map((f) => f.field),
      ...fields.filter((f) => f.proposable).map((f) => hubspotShadowName(f.field)),
      ...HUBSPOT_PROVENANCE_NAMES,
    ];
    for (const propertyName of properties)
      add({ subscriptionType: "object.propertyChange", objectType: object, propertyName, active: true });
  }

  const cap = options.cap ?? HUBSPOT_SUBSCRIPTION_CAP;
  if (out.length > cap) throw new WebhookSubscriptionCapError(out.length, cap);
  return out;
}

export interface WebhooksHsmetaOptions {
  /** Where HubSpot posts events: `<TOLLGATE_PUBLIC_URL>/webhooks/hubspot`. */
  targetUrl: string;
  /**
   * In-flight requests HubSpot may open per installing account.
   * @defaultValue 10 (HubSpot's default)
   */
  maxConcurrentRequests?: number;
  governedFields: readonly GovernedField[];
}

/** The whole `src/app/webhooks/webhooks-hsmeta.json` component (platform 2025.2). */
export interface WebhooksHsmeta {
  uid: "webhooks";
  type: "webhooks";
  config: {
    settings: { targetUrl: string; maxConcurrentRequests: number };
    subscriptions: { crmObjects: CrmObjectSubscription[] };
  };
}

/**
 * Builds `webhooks-hsmeta.json` from the policy, for the command that writes it into the
 * HubSpot project (the file is generated, never edited by hand).
 * @throws ValidationError for a bad target URL or concurrency; WebhookSubscriptionCapError.
 */
export function renderWebhooksHsmeta(options: WebhooksHsmetaOptions): WebhooksHsmeta {
  let url: URL;
  try {
    url = new URL(options.targetUrl);
  } catch {
    throw new ValidationError(`targetUrl must be an absolute URL, got "${options.targetUrl}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ValidationError(`targetUrl must be http(s), got "${options.targetUrl}"`);
  const maxConcurrentRequests = options.maxConcurrentRequests ?? 10;
  if (!Number.isInteger(maxConcurrentRequests) || maxConcurrentRequests < 1) {
    throw new ValidationError(`maxConcurrentRequests must be a positive integer, got ${maxConcurrentRequests}`);
  }
  return {
    uid: "webhooks",
    type: "webhooks",
    config: {
      settings: { targetUrl: options.targetUrl, maxConcurrentRequests },
      subscriptions: { crmObjects: planWebhookSubscriptions(options.governedFields) },
    },
  };
}
