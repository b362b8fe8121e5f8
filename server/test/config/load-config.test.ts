import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors/index.js";

const KEY = "a".repeat(64);

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error("expected loadConfig to throw");
}

describe("loadConfig", () => {
  it("gives the embedded defaults a newcomer gets from npm start", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBe("redis://127.0.0.1:6379");
    expect(c.policyPath).toBe("manifests/policy.yaml");
    expect(c.salesforce.apiVersion).toBe("62.0");
    expect(c.salesforce.clientName).toBe("tollgate");
    expect(c.hubspot.apiBaseUrl).toBe("https://api.hubapi.com");
    expect(c.hubspot.mode).toBe("none");
  });

  it("reads private-app mode and trims trailing slashes from URLs", () => {
    const c = loadConfig({
      HUBSPOT_ACCESS_TOKEN: "pat-1",
      HUBSPOT_PORTAL_ID: "123",
      TOLLGATE_PUBLIC_URL: "https://t.example.com/",
      HUBSPOT_API_BASE_URL: "http://127.0.0.1:4010/",
    });
    expect(c.hubspot.mode).toBe("private_app");
    expect(c.publicUrl).toBe("https://t.example.com");
    expect(c.hubspot.apiBaseUrl).toBe("http://127.0.0.1:4010");
  });

  it.each([
    [{ PORT: "not-a-port" }, /^PORT: /],
    [{ TOLLGATE_ENCRYPTION_KEY: "abc" }, /^TOLLGATE_ENCRYPTION_KEY: must be 32 bytes as 64 hex characters$/],
    [{ TOLLGATE_API_KEYS: "{oops" }, /^TOLLGATE_API_KEYS: must be a JSON list/],
    [
      { TOLLGATE_API_KEYS: '[{"key":"short","role":"auditor"}]' },
      /^TOLLGATE_API_KEYS \(entry 0\.key\): an API key must be at least 16 characters$/,
    ],
    [
      { TOLLGATE_API_KEYS: '[{"key":"0123456789abcdef","role":"agent"}]' },
      /^TOLLGATE_API_KEYS \(entry 0\.agentId\): an agent key needs agentId$/,
    ],
    [{ TOLLGATE_API_KEYS: '[{"key":"0123456789abcdef","role":"king"}]' }, /^TOLLGATE_API_KEYS \(entry 0\.role\): /],
    [{ HUBSPOT_ACCESS_TOKEN: "pat" }, /^HUBSPOT_PORTAL_ID: required when HUBSPOT_ACCESS_TOKEN is set$/],
    [{ HUBSPOT_CLIENT_ID: "id", HUBSPOT_CLIENT_SECRET: "s" }, /^TOLLGATE_ENCRYPTION_KEY: required for OAuth installs/],
    [{ HUBSPOT_CLIENT_ID: "id" }, /^HUBSPOT_CLIENT_SECRET: required when HUBSPOT_CLIENT_ID is set$/],
    [{ SALESFORCE_API_VERSION: "62" }, /^SALESFORCE_API_VERSION: must look like 62\.0$/],
    [{ REDIS_URL: "not a url" }, /^REDIS_URL: must be a URL$/],
  ])("refuses %o with one line naming the variable", (env, message) => {
    const err = errorOf(env);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("\n");
  });

  it("refuses a person's key without a name, two keys with one name, and a tenantless key under OAuth", () => {
    const keys = (list: unknown[]) => ({ TOLLGATE_API_KEYS: JSON.stringify(list) });
    expect(errorOf(keys([{ key: "0123456789abcdef", role: "approver" }])).message).toMatch(
      /^TOLLGATE_API_KEYS \(entry 0\.name\): a person's key needs a name/,
    );
    expect(
      errorOf(
        keys([
          { key: "0123456789abcdef", role: "approver", name: "Ada" },
          { key: "fedcba9876543210", role: "owner", name: "ada" },
        ]),
      ).message,
    ).toMatch(/names are unique/);
    expect(errorOf(keys([{ key: "0123456789abcdef", role: "auditor", name: "A", tenantId: "*" }])).message).toMatch(
      /only an owner key may act on every tenant/,
    );
    const oauth = {
      HUBSPOT_CLIENT_ID: "id",
      HUBSPOT_CLIENT_SECRET: "secret",
      TOLLGATE_ENCRYPTION_KEY: "a".repeat(64),
    };
    expect(errorOf({ ...oauth, ...keys([{ key: "0123456789abcdef", role: "owner", name: "O" }]) }).message).toBe(
      'TOLLGATE_API_KEYS (entry 0): with OAuth every key needs a tenantId (an owner key may use "*")',
    );
    const ok = loadConfig({
      ...oauth,
      ...keys([
        { key: "0123456789abcdef", role: "owner", name: "O", tenantId: "*" },
        { key: "fedcba9876543210", role: "agent", agentId: "bot", tenantId: "62515" },
      ]),
    });
    expect(ok.apiKeys).toHaveLength(2);
  });

  it("refuses the same API key listed twice", () => {
    const dup = JSON.stringify([
      { key: "0123456789abcdef", role: "auditor", name: "Ann" },
      { key: "0123456789abcdef", role: "owner", name: "Olive" },
    ]);
    expect(errorOf({ TOLLGATE_API_KEYS: dup }).message).toBe("TOLLGATE_API_KEYS: the same key is listed twice");
  });

  it("accepts a client secret alone: a private app signs its webhooks with it", () => {
    const c = loadConfig({ HUBSPOT_ACCESS_TOKEN: "pat", HUBSPOT_PORTAL_ID: "1", HUBSPOT_CLIENT_SECRET: "secret" });
    expect(c.hubspot.mode).toBe("private_app");
    expect(c.hubspot.clientSecret).toBe("secret");
  });

  it("decodes the encryption key to 32 bytes", () => {
    expect(loadConfig({ TOLLGATE_ENCRYPTION_KEY: KEY }).encryptionKey?.length).toBe(32);
  });

  it("reads agent apps' client secrets, refusing bad JSON, an empty secret and a missing encryption key", () => {
    const secrets = JSON.stringify({ "agent-app": "s3cret" });
    expect(loadConfig({ TOLLGATE_AGENT_APP_SECRETS: secrets, TOLLGATE_ENCRYPTION_KEY: KEY }).agentAppSecrets).toEqual({
      "agent-app": "s3cret",
    });
    expect(loadConfig({}).agentAppSecrets).toEqual({});
    expect(errorOf({ TOLLGATE_AGENT_APP_SECRETS: "{", TOLLGATE_ENCRYPTION_KEY: KEY }).message).toMatch(
      /^TOLLGATE_AGENT_APP_SECRETS: must be a JSON object/,
    );
    expect(
      errorOf({ TOLLGATE_AGENT_APP_SECRETS: JSON.stringify({ a: "" }), TOLLGATE_ENCRYPTION_KEY: KEY }).message,
    ).toMatch(/^TOLLGATE_AGENT_APP_SECRETS \(entry a\)/);
    expect(errorOf({ TOLLGATE_AGENT_APP_SECRETS: secrets }).message).toMatch(
      /^TOLLGATE_ENCRYPTION_KEY: required with TOLLGATE_AGENT_APP_SECRETS/,
    );
  });
});
