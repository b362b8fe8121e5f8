import { z } from "zod";
import { ConfigError } from "../errors/index.js";
import { apiKeysSchema, type ApiKeyEntry } from "./api-keys.js";

const hex32 = z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 32 bytes as 64 hex characters");
const url = z.string().url("must be a URL");
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
/** A variable holding JSON (`fallback` when unset), parsed; text that is not JSON is `expected`'s issue. */
const jsonText = (fallback: string, expected: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: expected });
        return z.NEVER;
      }
    });

/**
 * docs/contracts.md#configuration (contract): the environment Tollgate reads. Nothing else configures it.
 * Defaults are the embedded ones a newcomer gets from `npm start` right after `npm ci`.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TOLLGATE_PUBLIC_URL: url.default("http://localhost:3000").transform((u) => u.replace(/\/+$/, "")),
  TOLLGATE_DEV_PROXY_URL: optional(url.transform((u) => u.replace(/\/+$/, ""))),
  REDIS_URL: url.default("redis://127.0.0.1:6379"),
  DATABASE_URL: optional(url),
  TOLLGATE_DATA_DIR: z.string().default("./data"),
  TOLLGATE_POLICY: z.string().default("manifests/policy.yaml"),
  TOLLGATE_ENCRYPTION_KEY: optional(hex32),
  /** Beyond docs/contracts.md: keys rotated out, comma-separated, still trusted to verify and decrypt. */
  TOLLGATE_ENCRYPTION_KEY_PREVIOUS: optional(
    z
      .string()
      .transform((raw) => raw.split(",").map((k) => k.trim()))
      .pipe(z.array(hex32.describe("each previous key")).min(1)),
  ),
  TOLLGATE_API_KEYS: jsonText("[]", "must be a JSON list of {key, role, agentId?, name?}").pipe(apiKeysSchema),
  /**
   * docs/contracts.md#configuration: the client secrets of agent apps installed through Tollgate, as JSON
   * `{"<client id>": "<client secret>"}` (the policy's `agents[].hubspot.appClientId` names the app).
   */
  TOLLGATE_AGENT_APP_SECRETS: jsonText("{}", 'must be a JSON object {"<client id>": "<client secret>"}').pipe(
    z.record(z.string().min(1), z.string().min(1, "each secret must be non-empty")),
  ),
  HUBSPOT_CLIENT_ID: optional(z.string()),
  HUBSPOT_CLIENT_SECRET: optional(z.string()),
  HUBSPOT_APP_ID: optional(z.string().regex(/^\d+$/, "must be a numeric app id")),
  HUBSPOT_ACCESS_TOKEN: optional(z.string()),
  HUBSPOT_PORTAL_ID: optional(z.string().regex(/^\d+$/, "must be a numeric portal id")),
  HUBSPOT_API_BASE_URL: url.default("https://api.hubapi.com").transform((u) => u.replace(/\/+$/, "")),
  SALESFORCE_LOGIN_URL: optional(url),
  SALESFORCE_CLIENT_ID: optional(z.string()),
  SALESFORCE_CLIENT_SECRET: optional(z.string()),
  SALESFORCE_USERNAME: optional(z.string()),
  SALESFORCE_JWT_KEY: optional(z.string()),
  SALESFORCE_INSTANCE_URL: optional(url),
  SALESFORCE_ACCESS_TOKEN: optional(z.string()),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d+\.\d$/, "must look like 62.0")
    .default("62.0"),
  SALESFORCE_CLIENT_NAME: z.string().default("tollgate"),
  SALESFORCE_INTEGRATION_USER_ID: optional(
    z.string().regex(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, "must be a Salesforce user id (005…)"),
  ),
  SALESFORCE_WEBHOOK_SECRET: optional(z.string().min(16, "must be at least 16 characters")),
  /** Beyond docs/contracts.md#configuration: where kill-switch trips are POSTed as JSON alerts (optional). */
  TOLLGATE_ALERT_WEBHOOK_URL: optional(
    z
      .string()
      .url("must be a URL")
      .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
  ),
  /** docs/contracts.md: when set, `/metrics` needs `Authorization: Bearer <token>`. */
  TOLLGATE_METRICS_TOKEN: optional(z.string().min(16, "must be at least 16 characters")),
  /**
   * docs/contracts.md: the role that owns the schema and runs migrations; `DATABASE_URL`'s role then only appends and
   * reads the audit.
   */
  DATABASE_MIGRATION_URL: optional(url),
  /** Beyond docs/contracts.md: seconds between signed audit checkpoints; 0 turns them off. */
  TOLLGATE_CHECKPOINT_INTERVAL_S: z.coerce.number().int().min(0).default(3600),
  /** Beyond docs/contracts.md: where signed checkpoints (and retention archives) are also written as files. */
  TOLLGATE_CHECKPOINT_DIR: optional(z.string().min(1)),
  /** Beyond docs/contracts.md: the SIEM endpoint audit events are streamed to (newline-delimited JSON). */
  TOLLGATE_AUDIT_STREAM_URL: optional(
    z
      .string()
      .url("must be a URL")
      .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
  ),
  /** Sent as `Authorization: <value>` to the audit stream (e.g. `Splunk <HEC token>`). */
  TOLLGATE_AUDIT_STREAM_AUTHORIZATION: optional(z.string().min(1)),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** docs/contracts.md#configuration: seconds between reconciliation sweeps; 0 turns them off. */
  TOLLGATE_RECONCILE_INTERVAL_S: z.coerce.number().int().min(0).default(300),
  /** Beyond docs/contracts.md#configuration (docs/operations.md): first retry delay of webhook jobs and CRM writes. */
  TOLLGATE_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1_000),
  /** Beyond docs/contracts.md#configuration: the longest retry delay (the backoff stops growing there). */
  TOLLGATE_RETRY_MAX_MS: z.coerce.number().int().min(1).default(60_000),
  /** Beyond docs/contracts.md#configuration: how long a protective write (revert, apply, rollback) keeps retrying. */
  TOLLGATE_PROTECTIVE_WRITE_MAX_AGE_S: z.coerce.number().int().min(1).default(86_400),
  /**
   * Beyond docs/contracts.md#configuration: how often pending receipts, due writes and approval timers are re-driven.
   */
  TOLLGATE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(10).default(30_000),
  /**
   * Beyond docs/contracts.md#configuration: lock of a running webhook job or write flush; a crashed process's work runs
   * again after one to two of these.
   */
  TOLLGATE_JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Beyond docs/contracts.md#configuration (MCP section): tool calls one agent may make per minute over MCP. */
  TOLLGATE_MCP_CALLS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Beyond docs/contracts.md#configuration (MCP section): an MCP session with no request for this long is closed. */
  TOLLGATE_MCP_IDLE_TIMEOUT_S: z.coerce.number().int().min(1).default(1800),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  publicUrl: string;
  /**
   * Development only: the local URL `hs project dev`'s proxy forwards card requests to; its
   * signatures over that URL are accepted too (docs/contracts.md#configuration).
   */
  devProxyUrl: string | undefined;
  redisUrl: string;
  /** Unset → embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  policyPath: string;
  /** 32 bytes; absent only when nothing needs encrypting (no OAuth install). */
  encryptionKey: Buffer | undefined;
  /**
   * Keys rotated out (docs/operations.md, rotate keys): what they signed or sealed still verifies
   * and opens — checkpoints, tombstones, permits, stored OAuth tokens — while new ones use `encryptionKey`.
   */
  previousEncryptionKeys: Buffer[];
  apiKeys: ApiKeyEntry[];
  logLevel: Env["LOG_LEVEL"];
  /** Kill-switch alerts are POSTed here when set. */
  alertWebhookUrl: string | undefined;
  /** The governed MCP server (docs/contracts.md, MCP). */
  mcp: { callsPerMinute: number; idleTimeoutS: number };
  /** `/metrics` needs this bearer token when set. */
  metricsToken: string | undefined;
  /** Migrations run as this role when set; the runtime then connects with `databaseUrl`'s narrower role. */
  databaseMigrationUrl: string | undefined;
  audit: {
    /** Seconds between signed checkpoints; 0: none. */
    checkpointIntervalS: number;
    /** Where checkpoint files and retention archives are written. */
    checkpointDir: string;
    streamUrl: string | undefined;
    streamAuthorization: string | undefined;
  };
  /** Agent apps installed through Tollgate (docs/contracts.md, crm_tokens_revoked): client id → client secret. */
  agentAppSecrets: Record<string, string>;
  hubspot: {
    clientId: string | undefined;
    clientSecret: string | undefined;
    appId: string | undefined;
    accessToken: string | undefined;
    portalId: string | undefined;
    apiBaseUrl: string;
    /** private-app: one portal, static token; oauth: marketplace installs; none: HubSpot not configured. */
    mode: "private_app" | "oauth" | "none";
  };
  /** Retries, sweeps and reconciliation (docs/operations.md). */
  reliability: {
    /** 0 = off. */
    reconcileIntervalS: number;
    retryBaseMs: number;
    retryMaxMs: number;
    protectiveWriteMaxAgeMs: number;
    sweepIntervalMs: number;
    /** Lock of a running webhook job or CRM write flush, and the stalled-job check's period. */
    jobLockMs: number;
  };
  salesforce: {
    loginUrl: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    username: string | undefined;
    jwtKey: string | undefined;
    instanceUrl: string | undefined;
    accessToken: string | undefined;
    apiVersion: string;
    clientName: string;
    integrationUserId: string | undefined;
    webhookSecret: string | undefined;
  };
}

/**
 * Reads the configuration from `env` once, at start-up (Probot's `createProbot({ env })`).
 * @throws ConfigError whose message is one line naming the first bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [variable, ...rest] = issue.path;
    const where = rest.length ? ` (entry ${rest.join(".")})` : "";
    throw new ConfigError(`${String(variable)}${where}: ${issue.message}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }
  const e = parsed.data;
  const requireTogether = (names: (keyof Env)[]) => {
    const set = names.filter((n) => e[n] !== undefined);
    if (set.length > 0 && set.length < names.length) {
      const missing = names.find((n) => e[n] === undefined)!;
      throw new ConfigError(`${missing}: required when ${set.join(" and ")} ${set.length > 1 ? "are" : "is"} set`);
    }
  };
  requireTogether(["HUBSPOT_ACCESS_TOKEN", "HUBSPOT_PORTAL_ID"]);
  // OAuth needs both; a private app has only a client secret, which signs its webhooks.
  if (e.HUBSPOT_CLIENT_ID !== undefined && e.HUBSPOT_CLIENT_SECRET === undefined) {
    throw new ConfigError("HUBSPOT_CLIENT_SECRET: required when HUBSPOT_CLIENT_ID is set");
  }
  const oauth = e.HUBSPOT_CLIENT_ID !== undefined;
  if (e.TOLLGATE_ENCRYPTION_KEY_PREVIOUS && e.TOLLGATE_ENCRYPTION_KEY === undefined)
    throw new ConfigError(
      "TOLLGATE_ENCRYPTION_KEY_PREVIOUS: set TOLLGATE_ENCRYPTION_KEY too (the key that replaced it)",
    );
  if (oauth && e.TOLLGATE_ENCRYPTION_KEY === undefined && e.HUBSPOT_ACCESS_TOKEN === undefined) {
    throw new ConfigError("TOLLGATE_ENCRYPTION_KEY: required for OAuth installs, whose tokens are stored encrypted");
  }
  if (Object.keys(e.TOLLGATE_AGENT_APP_SECRETS).length > 0 && e.TOLLGATE_ENCRYPTION_KEY === undefined)
    throw new ConfigError(
      "TOLLGATE_ENCRYPTION_KEY: required with TOLLGATE_AGENT_APP_SECRETS (agent apps' tokens are stored encrypted)",
    );
  const seen = new Set<string>();
  for (const k of e.TOLLGATE_API_KEYS) {
    if (seen.has(k.key)) throw new ConfigError("TOLLGATE_API_KEYS: the same key is listed twice");
    seen.add(k.key);
  }
  // With OAuth many portals share one deployment: a key bound to none would act on whichever
  // it named, so every key names its tenant, or is an owner key marked "*".
  if (oauth && e.HUBSPOT_ACCESS_TOKEN === undefined) {
    const index = e.TOLLGATE_API_KEYS.findIndex((k) => k.tenantId === undefined);
    if (index >= 0)
      throw new ConfigError(
        `TOLLGATE_API_KEYS (entry ${index}): with OAuth every key needs a tenantId (an owner key may use "*")`,
      );
  }
  return {
    port: e.PORT,
    publicUrl: e.TOLLGATE_PUBLIC_URL,
    devProxyUrl: e.TOLLGATE_DEV_PROXY_URL,
    redisUrl: e.REDIS_URL,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.TOLLGATE_DATA_DIR,
    policyPath: e.TOLLGATE_POLICY,
    encryptionKey: e.TOLLGATE_ENCRYPTION_KEY ? Buffer.from(e.TOLLGATE_ENCRYPTION_KEY, "hex") : undefined,
    previousEncryptionKeys: (e.TOLLGATE_ENCRYPTION_KEY_PREVIOUS ?? []).map((k) => Buffer.from(k, "hex")),
    apiKeys: e.TOLLGATE_API_KEYS,
    logLevel: e.LOG_LEVEL,
    alertWebhookUrl: e.TOLLGATE_ALERT_WEBHOOK_URL,
    mcp: { callsPerMinute: e.TOLLGATE_MCP_CALLS_PER_MINUTE, idleTimeoutS: e.TOLLGATE_MCP_IDLE_TIMEOUT_S },
    metricsToken: e.TOLLGATE_METRICS_TOKEN,
    databaseMigrationUrl: e.DATABASE_MIGRATION_URL,
    audit: {
      checkpointIntervalS: e.TOLLGATE_CHECKPOINT_INTERVAL_S,
      checkpointDir: e.TOLLGATE_CHECKPOINT_DIR ?? `${e.TOLLGATE_DATA_DIR.replace(/\/+$/, "")}/audit`,
      streamUrl: e.TOLLGATE_AUDIT_STREAM_URL,
      streamAuthorization: e.TOLLGATE_AUDIT_STREAM_AUTHORIZATION,
    },
    agentAppSecrets: e.TOLLGATE_AGENT_APP_SECRETS,
    hubspot: {
      clientId: e.HUBSPOT_CLIENT_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      appId: e.HUBSPOT_APP_ID,
      accessToken: e.HUBSPOT_ACCESS_TOKEN,
      portalId: e.HUBSPOT_PORTAL_ID,
      apiBaseUrl: e.HUBSPOT_API_BASE_URL,
      mode: e.HUBSPOT_ACCESS_TOKEN ? "private_app" : oauth ? "oauth" : "none",
    },
    reliability: {
      reconcileIntervalS: e.TOLLGATE_RECONCILE_INTERVAL_S,
      retryBaseMs: e.TOLLGATE_RETRY_BASE_MS,
      retryMaxMs: Math.max(e.TOLLGATE_RETRY_BASE_MS, e.TOLLGATE_RETRY_MAX_MS),
      protectiveWriteMaxAgeMs: e.TOLLGATE_PROTECTIVE_WRITE_MAX_AGE_S * 1000,
      sweepIntervalMs: e.TOLLGATE_SWEEP_INTERVAL_MS,
      jobLockMs: e.TOLLGATE_JOB_LOCK_MS,
    },
    salesforce: {
      loginUrl: e.SALESFORCE_LOGIN_URL,
      clientId: e.SALESFORCE_CLIENT_ID,
      clientSecret: e.SALESFORCE_CLIENT_SECRET,
      username: e.SALESFORCE_USERNAME,
      jwtKey: e.SALESFORCE_JWT_KEY,
      instanceUrl: e.SALESFORCE_INSTANCE_URL,
      accessToken: e.SALESFORCE_ACCESS_TOKEN,
      apiVersion: e.SALESFORCE_API_VERSION,
      clientName: e.SALESFORCE_CLIENT_NAME,
      integrationUserId: e.SALESFORCE_INTEGRATION_USER_ID,
      webhookSecret: e.SALESFORCE_WEBHOOK_SECRET,
    },
  };
}
