/**
 * Options and public shapes of the HubSpot-compatible sandbox: a local stand-in for HubSpot's
 * CRM v3 API, OAuth and webhooks, for the demo and end-to-end tests.
 */

/** Who makes a change, as HubSpot records it: an app's token, a user in the CRM UI, or an import. */
export type SandboxActor = { kind: "app"; appId: string } | { kind: "user"; userId: string } | { kind: "import" };

/** Change sources the sandbox produces (a subset of HubSpot's history `sourceType`s). */
export const SANDBOX_CHANGE_SOURCES = ["INTEGRATION", "CRM_UI", "IMPORT"] as const;
export type SandboxChangeSource = (typeof SANDBOX_CHANGE_SOURCES)[number];

export const LEGACY_OBJECTS = ["contact", "company", "deal"] as const;
export type LegacyObject = (typeof LEGACY_OBJECTS)[number];
export type SandboxSubscriptionType =
  "object.propertyChange" | "object.creation" | `${LegacyObject}.propertyChange` | `${LegacyObject}.creation`;

export interface SandboxSubscription {
  subscriptionType: SandboxSubscriptionType;
  /** For `object.*`: `contacts`, `0-1` or `contact`. Implied by legacy types. */
  objectType?: string;
  /** For `*.propertyChange`: the one property; omitted = every property. */
  propertyName?: string;
  /** Reported as `subscriptionId`. @defaultValue assigned from 1000 up */
  id?: number;
}

/** A webhook event exactly as HubSpot sends it (one element of the POSTed array). */
export interface SandboxWebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: SandboxSubscriptionType;
  attemptNumber: number;
  objectId: number;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  changeSource: SandboxChangeSource;
  sourceId?: string;
  changeFlag?: "NEW" | "CREATED";
  isSensitive?: boolean;
}

export interface HubSpotSandboxOptions {
  /** @defaultValue 0 (a free port) */
  port?: number;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** Signs webhooks (v1 and v3) and checks OAuth token requests. */
  clientSecret: string;
  /** @defaultValue `sandbox-client-id` */
  clientId?: string;
  /** The subscribing app (Tollgate): `appId` of every webhook event and of OAuth tokens. */
  appId: number;
  /** @defaultValue 62515 */
  portalId?: number;
  /** The installing user of OAuth tokens. @defaultValue 1 */
  installingUserId?: number;
  /** Where webhooks go; none are sent without it. */
  webhookTargetUrl?: string;
  /**
   * `all`: `object.creation` and `object.propertyChange` (every property) for each object type.
   * `all-legacy`: the same with `contact.*`/`company.*`/`deal.*` types where they exist.
   * @defaultValue `all`
   */
  subscriptions?: "all" | "all-legacy" | SandboxSubscription[];
  /**
   * Requests per rolling window, per token holder (app or user): `max` defaults to 190 (a
   * Professional private app), `daily` to 1,000,000, `intervalMs` to HubSpot's 10,000 (shorten it
   * only to test pacing quickly).
   */
  rateLimit?: { max?: number; daily?: number; intervalMs?: number };
  /** Events per webhook POST; HubSpot sends at most 100. @defaultValue 100 */
  webhookBatchSize?: number;
  /** How long events gather before a POST. @defaultValue 20 */
  webhookDelayMs?: number;
  /**
   * Delay before retry n (1-based) of a failed POST; HubSpot spreads 10 over 24 h. @defaultValue `n => 25 * 2 ** (n -
   * 1)`
   */
  webhookRetryDelayMs?: (retry: number) => number;
  /** @defaultValue 10 (HubSpot's "up to 10 times") */
  webhookMaxAttempts?: number;
  /** HubSpot counts a batch failed after 5 s. @defaultValue 5000 */
  webhookTimeoutMs?: number;
  /** Chance (0–1) that a delivered batch is delivered once more, as HubSpot may. @defaultValue 0 */
  duplicateRate?: number;
  /**
   * Treat the first attempt of every batch as failed even when it was answered 2xx (a lost ack), so it comes again with
   * `attemptNumber` 1.
   */
  failFirstDelivery?: boolean;
  /** Writes to unknown properties or invalid values get HubSpot's 400. @defaultValue true */
  strictProperties?: boolean;
  /** Source of randomness for `duplicateRate`. @defaultValue Math.random */
  random?: () => number;
  /** The account's users, as `GET /settings/v3/users/{id}` answers them (approver groups). */
  accountUsers?: SandboxUser[];
}

/** A user of the account (HubSpot Settings Users API `PublicUser`). */
export interface SandboxUser {
  id: string;
  email: string;
  roleIds?: string[];
  primaryTeamId?: string;
  secondaryTeamIds?: string[];
  superAdmin?: boolean;
  /** The user's owner record (what `hubspot_owner_id` holds). @defaultValue `1000` + `id` */
  ownerId?: string;
}

export interface SandboxRecord {
  objectType: string;
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface SandboxHistoryEntry {
  value: string;
  timestamp: string;
  sourceType: SandboxChangeSource;
  sourceId?: string;
  updatedByUserId?: number;
}

export interface SandboxStats {
  /** Served requests by `METHOD /route`. */
  calls: Record<string, number>;
  /** 429s answered. */
  rateLimited: number;
  /** Reads that asked for property history (`propertiesWithHistory`). */
  historyReads: number;
  /** Webhook POSTs made (retries and duplicates included). */
  webhookRequests: number;
  /** Events in those POSTs. */
  webhookEvents: number;
  /** POSTs answered non-2xx, failed or timed out. */
  webhookFailures: number;
}

export interface HubSpotSandbox {
  /** `http://127.0.0.1:<port>`: pass as `HUBSPOT_API_BASE_URL`. */
  url: string;
  portalId: number;
  appId: number;
  close(): Promise<void>;
  /** Creates records without webhooks (source `IMPORT`). Properties it has no definition for are added as text. */
  seed(objectType: string, records: { id?: string; properties: Record<string, string> }[]): SandboxRecord[];
  /** Changes a record as `actor` would through the API, webhooks included. */
  write(objectType: string, id: string, properties: Record<string, string>, actor: SandboxActor): SandboxRecord;
  getRecord(objectType: string, id: string): SandboxRecord | undefined;
  /** One property's history, newest first. */
  history(objectType: string, id: string, property: string): SandboxHistoryEntry[];
  stats(): SandboxStats;
  /**
   * Fault injection: every CRM route answers `status` (a 429 with `Retry-After: 1`) until cleared with `undefined`;
   * with `routes: "oauth"` only the OAuth token and refresh-token routes do (the CRM routes answer as usual).
   */
  setFault(fault: { status: 429 | 500 | 502 | 503; routes?: "crm" | "oauth" } | undefined): void;
  /** Records of `toType` associated with a record (`PUT /crm/v4/…/associations/default/…`), either direction. */
  associated(objectType: string, id: string, toType: string): string[];
  /** Adds or replaces a user of the account. */
  putUser(user: SandboxUser): void;
  /** Points webhooks somewhere else (or nowhere), e.g. once the backend under test knows its port. */
  setWebhookTargetUrl(url: string | undefined): void;
  /** Resolves once every queued webhook was delivered or gave up (retries included). */
  webhooksIdle(): Promise<void>;
  tokens: {
    /** A token that writes as this app (`INTEGRATION`, sourceId = app id) or user (`CRM_UI`, `userId:<id>`). */
    issue(
      who: { appId: number | string } | { userId: number | string },
      options?: { expiresInSeconds?: number; scopes?: string[] },
    ): string;
  };
}
