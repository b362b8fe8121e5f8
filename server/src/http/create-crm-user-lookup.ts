import { LRUCache } from "lru-cache";
import type { CrmConnector, CrmUser } from "../crm/index.js";

export interface CrmUserLookupOptions {
  connectorFor: (tenantId: string) => Promise<CrmConnector>;
  /**
   * How long the CRM's answer is trusted: a user removed from a team loses approval within it. @defaultValue 300_000
   */
  ttlMs?: number;
  /** @defaultValue 10_000 */
  max?: number;
}

/**
 * The CRM's own record of a user, cached (at most 5 minutes by default) so a card session does
 * not cost a CRM call per click. Errors are never cached and propagate: callers fail closed.
 * A connector that cannot read users answers `undefined` (no one is admitted).
 */
export function createCrmUserLookup(
  options: CrmUserLookupOptions,
): (tenantId: string, userId: string) => Promise<CrmUser | undefined> {
  const cache = new LRUCache<string, { user: CrmUser | undefined }>({
    max: options.max ?? 10_000,
    ttl: Math.min(options.ttlMs ?? 300_000, 300_000),
  });
  return async (tenantId, userId) => {
    const key = `${tenantId}\u0000${userId}`;
    const hit = cache.get(key);
    if (hit) return hit.user;
    const connector = await options.connectorFor(tenantId);
    const user = connector.getUser ? await connector.getUser(userId) : undefined;
    cache.set(key, { user });
    return user;
  };
}
