/** The HubSpot sandbox's records as the shared MCP scenarios use them (manifests/policy.yaml, demo data). */
export const ENRICHMENT_TOOLS = [
  "crm_get_record",
  "crm_propose_change",
  "crm_search_records",
  "crm_update_field",
  "get_decision",
];

export const HUBSPOT_SCENARIO = {
  /** hs_lead_status is read-only (tier 1) for enrichment. */
  deniedWrite: {
    objectType: "contacts",
    objectId: "101",
    field: "hs_lead_status",
    value: "CONNECTED",
    confidence: 0.99,
    source: "clearbit",
    reason: "it looked connected",
  },
  deniedReason: /read-only/i,
  /** email is tier 3: an approval. */
  proposal: {
    objectType: "contacts",
    objectId: "103",
    field: "email",
    value: "alan.turing@globex.example",
    confidence: 0.4,
    source: "apollo",
    reason: "newer address on the company site",
  },
  cardObjectType: "contacts",
  /** industry is tier 2: allowed, unless a switch is on. */
  killWrite: {
    objectType: "companies",
    objectId: "5001",
    field: "industry",
    value: "Wholesale",
    confidence: 0.95,
    source: "clearbit",
    reason: "provider says so",
  },
  read: { objectType: "company", objectId: "5001" },
  otherTenantRead: { objectType: "contacts", objectId: "103" },
  /** A value of the tenant's that another tenant's agent must never see. */
  secret: "alan@globex.example",
};
