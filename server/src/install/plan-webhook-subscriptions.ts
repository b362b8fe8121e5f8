import { type PolicyObject, HUBSPOT_PROVENANCE_NAMES, hubspotShadowName } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";
import { WebhookSubscriptionCapError } from "./errors.js";
import { listProvisionedObjects } from "./plan-provisioning.js";
import { HUBSPOT_STANDARD_PROPERTIES } from "./standard-properties.js";
import type { GovernedField } from "./types.js";

/**
 * HubSpot allows at most 1,000 webhook subscriptions per app (HubSpot:
 * https://developers.hubspot.com/docs/api/webhooks).
 */
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
  lead: ["hubspot_owner_id"],
};

/** Properties a portal has beyond HubSpot's standard ones, per policy object (`--from-portal`). */
export type PortalProperties = Partial<Record<PolicyObject, readonly string[]>>;

/** A field the policy names that gets no subscription, and why (the generator prints these). */
export interface SkippedField {
  object: PolicyObject;
  field: string;
  reason: "not_on_object";
}

export interface WebhookCoverage {
  subscriptions: CrmObjectSubscription[];
  skipped: SkippedField[];
}

/**
 * The subscriptions the policy needs, and the policy fields left out because the object does
 * not have them (HubSpot refuses a subscription to a property that does not exist: a lead has
 * no `industry`). A property exists when it is one of HubSpot's standard properties of the
 * object, one the portal reports (`portalProperties`), or one Tollgate provisions itself: the
 * provenance properties always, a shadow only beside a canonical field that exists.
 * @throws WebhookSubscriptionCapError above HubSpot's 1,000-subscription cap.
 */
export function planWebhookCoverage(
  governedFields: readonly GovernedField[],
  options: { cap?: number; portalProperties?: PortalProperties } = {},
): WebhookCoverage {
  const out: CrmObjectSubscription[] = [];
  const skipped: SkippedField[] = [];
  const seen = new Set<string>();
  const add = (s: CrmObjectSubscription) => {
    const key = `${s.subscriptionType}\0${s.objectType}\0${s.propertyName ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };

  for (const { object } of listProvisionedObjects(governedFields)) {
    const exists = new Set([
      ...(HUBSPOT_STANDARD_PROPERTIES[object] ?? []),
      ...(options.portalProperties?.[object] ?? []),
    ]);
    for (const subscriptionType of RECORD_SUBSCRIPTION_TYPES)
      add({ subscriptionType, objectType: object, active: true });
    const fields = governedFields.filter((f) => f.object === object);
    const present = fields.filter((f) => exists.has(f.field) || HUBSPOT_PROVENANCE_NAMES.includes(f.field));
    for (const f of fields) {
      if (!present.includes(f) && !skipped.some((s) => s.object === object && s.field === f.field))
        skipped.push({ object, field: f.field, reason: "not_on_object" });
    }
    const properties = [
      ...(REVENUE_CRITICAL_PROPERTIES[object] ?? []).filter((p) => exists.has(p)),
      ...present.map((f) => f.field),
      ...present.filter((f) => f.proposable).map((f) => hubspotShadowName(f.field)),
      ...HUBSPOT_PROVENANCE_NAMES,
    ];
    for (const propertyName of properties)
      add({ subscriptionType: "object.propertyChange", objectType: object, propertyName, active: true });
  }

  const cap = options.cap ?? HUBSPOT_SUBSCRIPTION_CAP;
  if (out.length > cap) throw new WebhookSubscriptionCapError(out.length, cap);
  return { subscriptions: out, skipped };
}

/** {@link planWebhookCoverage}'s subscriptions alone. */
export function planWebhookSubscriptions(
  governedFields: readonly GovernedField[],
  options: { cap?: number; portalProperties?: PortalProperties } = {},
): CrmObjectSubscription[] {
  return planWebhookCoverage(governedFields, options).subscriptions;
}

// `${NAME}` at the start of the URL: a project profile variable (hsprofile.<name>.json).
const PROFILE_VARIABLE = /^\$\{[A-Za-z0-9_]+\}/;

export interface WebhooksHsmetaOptions {
  /** Where HubSpot posts events: `<TOLLGATE_PUBLIC_URL>/webhooks/hubspot`. */
  targetUrl: string;
  /**
   * In-flight requests HubSpot may open per installing account.
   * @defaultValue 10 (HubSpot's default)
   */
  maxConcurrentRequests?: number;
  governedFields: readonly GovernedField[];
  /** Properties the portal has beyond HubSpot's standard ones. */
  portalProperties?: PortalProperties;
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
  // A profile variable (`${TOLLGATE_URL}/webhooks/hubspot`) is filled in by HubSpot's CLI at upload.
  const resolved = options.targetUrl.replace(PROFILE_VARIABLE, "https://profile-variable.invalid");
  let url: URL;
  try {
    url = new URL(resolved);
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
      subscriptions: {
        crmObjects: planWebhookSubscriptions(options.governedFields, { portalProperties: options.portalProperties }),
      },
    },
  };
}
