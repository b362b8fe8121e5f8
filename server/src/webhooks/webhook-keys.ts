import { ValidationError } from "../errors/index.js";

export const DEFAULT_PREFIX = "tollgate";

// Tenant ids become part of queue names and keys; HubSpot portal ids are digits, and a
// Salesforce org id or "default" fits too. Anything else could break out of its namespace.
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidTenantId(tenantId: string): boolean {
  return TENANT_ID.test(tenantId);
}

/**
 * The BullMQ queue holding one tenant's HubSpot webhook jobs. BullMQ forbids `:` in queue
 * names (it separates key parts), hence dots: `webhooks.hubspot.62515`.
 */
export function tenantQueueName(tenantId: string): string {
  if (!isValidTenantId(tenantId))
    throw new ValidationError(`tenant id ${JSON.stringify(tenantId)} is not usable in a queue name`);
  return `webhooks.hubspot.${tenantId}`;
}

/** Redis keys of the webhook capability, all under `prefix` and scoped by tenant where they hold data. */
export function getWebhookKeys(prefix: string) {
  return {
    /** Set of tenant ids that have a queue. */
    tenants: `${prefix}:webhooks:hubspot:tenants`,
    /** Pub/sub channel announcing a tenant's first batch, so workers start without waiting. */
    tenantsChannel: `${prefix}:webhooks:hubspot:tenants:new`,
  };
}
