/**
 * The BullMQ queue of one tenant's CRM writes. One queue per tenant gives each tenant its own
 * rate limiter and keeps tenants from delaying each other. BullMQ forbids `:` in queue names;
 * encoding keeps the mapping one-to-one for any tenant id.
 */
export function tenantQueueName(tenantId: string): string {
  return `crm-writes.${encodeURIComponent(tenantId)}`;
}
