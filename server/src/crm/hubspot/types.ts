/**
 * Options of `createHubSpotConnector`, and the raw JSON shapes HubSpot's CRM v3 API sends.
 * The SDK's generated models describe *deserialised* objects (with `Date`s); we read the raw
 * `Response` (to see rate-limit headers), so the wire shapes are typed here.
 */

/** A `fetch`-compatible function; only what the connector uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface HubSpotConnectorOptions {
  /** A private-app token or an OAuth access token that never changes. Give this or `getAccessToken`. */
  accessToken?: string | undefined;
  /**
   * Called before every request; returns a valid OAuth access token (the caller caches and
   * refreshes it). Give this or `accessToken`.
   */
  getAccessToken?: (() => Promise<string>) | undefined;
  /** The HubSpot account (portal) id; the connector's `tenantId`. */
  portalId: string | number;
  /**
   * Base URL of a HubSpot-compatible API (`HUBSPOT_API_BASE_URL`).
   * @defaultValue `https://api.hubapi.com`
   */
  baseUrl?: string | undefined;
  /**
   * Sends requests with this instead of the SDK's HTTP stack (node-fetch). For proxies and tests;
   * by default requests go through `@hubspot/api-client`'s `apiRequest`.
   */
  fetch?: FetchLike | undefined;
  /**
   * A call that has not answered by then fails as `network` (retryable). The SDK's `apiRequest`
   * takes no abort signal, so the request is abandoned rather than aborted.
   * @defaultValue 30000
   */
  timeoutMs?: number | undefined;
  /** Clock for rate-limit observations. @defaultValue `Date.now` */
  now?: (() => number) | undefined;
  /**
   * Awaited before each history read and search: the tenant's budget shared by every process
   * (crm/create-crm-rate-budget.ts). Writes are paced by the write queue instead.
   */
  budget?: ((call: "read" | "search") => Promise<void>) | undefined;
}

/** `StandardError` / `Error` as HubSpot sends them in error bodies and 207 `errors[]`. */
export interface HubSpotErrorBody {
  status?: string;
  message?: string;
  category?: string;
  subCategory?: unknown;
  correlationId?: string;
  /** For batch errors, `ids` names the inputs the error is about. */
  context?: Record<string, unknown>;
  errors?: { message: string; code?: string; context?: Record<string, unknown> }[];
  /** Rate-limit bodies: `TEN_SECONDLY_ROLLING` or `DAILY`. */
  policyName?: string;
  errorType?: string;
}

export interface HubSpotValueWithTimestamp {
  value: string;
  timestamp: string;
  sourceType: string;
  sourceId?: string;
  sourceLabel?: string;
  updatedByUserId?: number;
}

export interface HubSpotSimplePublicObject {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, HubSpotValueWithTimestamp[]>;
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
}

export interface HubSpotBatchResponse<T> {
  status: string;
  results: T[];
  errors?: HubSpotErrorBody[];
  numErrors?: number;
  startedAt?: string;
  completedAt?: string;
}

export interface HubSpotProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: { label: string; value: string; hidden?: boolean; displayOrder?: number; description?: string }[];
  calculated?: boolean;
  hubspotDefined?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean; readOnlyDefinition?: boolean; archivable?: boolean };
  /** Sensitive Data (Enterprise): `non_sensitive`, `sensitive` or `highly_sensitive`. */
  dataSensitivity?: string;
}
