/**
 * Options of `createSalesforceConnector`, and the raw JSON shapes Salesforce's REST API sends
 * (jsforce's own types describe records loosely; these are what the connector reads).
 */

/** JWT bearer flow (docs/salesforce.md "Connecting an org"): a connected app with a certificate. */
export interface SalesforceJwtAuth {
  /** `https://login.salesforce.com`, `https://test.salesforce.com`, or My Domain. */
  loginUrl: string;
  /** The connected app's consumer key (the JWT's `iss`). */
  clientId: string;
  /** The integration user's username (the JWT's `sub`). */
  username: string;
  /** PEM (PKCS#8) private key whose certificate is on the connected app. */
  privateKey: string;
}

export interface SalesforceConnectorOptions {
  /** The org id (`00D…`): the connector's `tenantId`. */
  orgId: string;
  /** `https://<my-domain>.my.salesforce.com`, or the sandbox's URL. */
  instanceUrl: string;
  /** A static access token (session id). Give this, `jwt`, or both (the token is used until it expires). */
  accessToken?: string | undefined;
  jwt?: SalesforceJwtAuth | undefined;
  /**
   * REST and SOAP API version. jsforce would otherwise use 50.0.
   * @defaultValue "62.0"
   */
  apiVersion?: string | undefined;
  /**
   * Sent as `Sforce-Call-Options: client=<name>` on every call, so Tollgate's own writes come
   * back with `;client=<name>` in a Change Data Capture event's `changeOrigin`.
   * @defaultValue "tollgate"
   */
  clientName?: string | undefined;
  /**
   * Called once each time Salesforce answers `REQUEST_LIMIT_EXCEEDED` (the org's daily API
   * allocation is spent): writes pause and are retried, never dropped; someone should know.
   */
  onAllocationExhausted?: ((info: { orgId: string; used?: number; limit?: number }) => void) | undefined;
  /**
   * Calls the daily allocation keeps for people and other integrations: when no more than this
   * many remain, the connector reports a spent budget and the write queue pauses.
   * @defaultValue 0
   */
  reserveCalls?: number | undefined;
  /** Clock for limit observations. @defaultValue `Date.now` */
  now?: (() => number) | undefined;
}

/** One error of a REST error body (`[{message, errorCode, fields}]`) or a Collections result. */
export interface SalesforceError {
  message: string;
  errorCode?: string;
  statusCode?: string;
  fields?: string[];
}

/** One element of a `composite/sobjects` answer, in request order. */
export interface SalesforceSaveResult {
  id?: string | null;
  success: boolean;
  errors: SalesforceError[];
}

export interface SalesforceQueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** A row of `<Object>History` / `OpportunityFieldHistory`. */
export interface SalesforceHistoryRow {
  Id: string;
  Field: string;
  OldValue: unknown;
  NewValue: unknown;
  CreatedDate: string;
  CreatedById?: string;
  [parentIdField: string]: unknown;
}

/** A field of `GET /sobjects/<Object>/describe`. */
export interface SalesforceDescribeField {
  name: string;
  label: string;
  type: string;
  custom?: boolean;
  updateable?: boolean;
  calculated?: boolean;
  length?: number;
  inlineHelpText?: string | null;
  picklistValues?: { label: string; value: string; active: boolean }[];
}
