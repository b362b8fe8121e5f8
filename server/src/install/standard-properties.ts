import type { PolicyObject } from "../../../shared/index.js";

/**
 * Properties every HubSpot portal has on each object Tollgate governs: HubSpot refuses a webhook
 * subscription to a property that does not exist, so the generated subscriptions name only
 * these, Tollgate's own properties, and what a portal adds (`npm run hubspot:webhooks --
 * --from-portal` reads them from the portal's property definitions).
 *
 * Leads are not contacts: a lead has its own small set of properties (the leads guide lists
 * `hs_lead_name`, `hs_lead_type`, `hs_lead_label`; owner and pipeline stage), and no
 * `industry`, `city` or `annualrevenue` of its own. See docs/hubspot-app.md.
 */
// Contacts and companies both carry an address and firmographics.
const ADDRESS_AND_FIRMOGRAPHICS = [
  "address",
  "city",
  "state",
  "zip",
  "country",
  "industry",
  "annualrevenue",
  "numberofemployees",
] as const;

export const HUBSPOT_STANDARD_PROPERTIES: Partial<Record<PolicyObject, readonly string[]>> = {
  contact: [
    "email",
    "firstname",
    "lastname",
    "phone",
    "mobilephone",
    "jobtitle",
    "company",
    "website",
    ...ADDRESS_AND_FIRMOGRAPHICS,
    "lifecyclestage",
    "hs_lead_status",
    "hubspot_owner_id",
    "hs_email_optout",
    "hs_persona",
    "hs_language",
  ],
  company: [
    "name",
    "domain",
    "website",
    "phone",
    ...ADDRESS_AND_FIRMOGRAPHICS,
    "description",
    "type",
    "lifecyclestage",
    "hubspot_owner_id",
    "linkedin_company_page",
    "timezone",
  ],
  deal: [
    "dealname",
    "amount",
    "closedate",
    "dealstage",
    "pipeline",
    "dealtype",
    "description",
    "hubspot_owner_id",
    "hs_priority",
    "hs_forecast_probability",
    "hs_next_step",
  ],
  lead: ["hs_lead_name", "hs_lead_type", "hs_lead_label", "hs_pipeline", "hs_pipeline_stage", "hubspot_owner_id"],
};
