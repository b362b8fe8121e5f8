import { describe, expect, it } from "vitest";
import { createApiKeyAuthenticator } from "../../src/http/index.js";

const authenticate = createApiKeyAuthenticator([
  { key: "agent-key-0123456789", role: "agent", agentId: "enrichment-bot" },
  { key: "auditor-key-0123456789", role: "auditor", name: "Ada (audit)" },
  { key: "tenant-key-0123456789", role: "approver", name: "Tom", email: "tom@example.com", tenantId: "62515" },
]);

describe("createApiKeyAuthenticator", () => {
  it("resolves a known key to its role and identity", () => {
    expect(authenticate("Bearer agent-key-0123456789")).toMatchObject({
      role: "agent",
      agentId: "enrichment-bot",
      name: "enrichment-bot",
      via: "api_key",
    });
    expect(authenticate("bearer auditor-key-0123456789")).toMatchObject({ role: "auditor", name: "Ada (audit)" });
    expect(authenticate("Bearer tenant-key-0123456789")).toMatchObject({
      role: "approver",
      tenantId: "62515",
      name: "Tom",
      email: "tom@example.com",
    });
  });

  it.each([
    undefined,
    "",
    "Bearer",
    "Basic agent-key-0123456789",
    "Bearer agent-key-012345678",
    "Bearer agent-key-0123456789x",
  ])("refuses %o", (header) => {
    expect(authenticate(header)).toBeUndefined();
  });
});
