import { describe, expect, it } from "vitest";
import { findAgent, loadPolicy } from "../../src/policy/index.js";

const policy = loadPolicy(`version: 1
agents:
  - { id: enrich, role: r, hubspot: { appIds: [111], userIds: [222] }, salesforce: { userIds: ["005AAAAAAAAAAAABBB"], clients: [enrich-client] } }
  - { id: route, role: r, salesforce: { userIds: ["005CCCCCCCCCCCC"], clients: [route-client] } }
roles: { r: {} }
`);

describe("findAgent", () => {
  it("finds agents by HubSpot app id or user id, as numbers or strings", () => {
    expect(findAgent(policy, { crm: "hubspot", appId: 111 })?.id).toBe("enrich");
    expect(findAgent(policy, { crm: "hubspot", appId: "111" })?.id).toBe("enrich");
    expect(findAgent(policy, { crm: "hubspot", userId: "222" })?.id).toBe("enrich");
    expect(findAgent(policy, { crm: "hubspot", appId: "999" })).toBeUndefined();
    expect(findAgent(policy, { crm: "hubspot" })).toBeUndefined();
  });

  it("finds Salesforce agents by client name first, then by user id in 15 or 18 characters", () => {
    expect(findAgent(policy, { crm: "salesforce", client: "route-client", userId: "005AAAAAAAAAAAA" })?.id).toBe(
      "route",
    );
    expect(findAgent(policy, { crm: "salesforce", userId: "005AAAAAAAAAAAA" })?.id).toBe("enrich");
    expect(findAgent(policy, { crm: "salesforce", userId: "005CCCCCCCCCCCCXYZ" })?.id).toBe("route");
    expect(findAgent(policy, { crm: "salesforce", client: "unknown" })).toBeUndefined();
    // A HubSpot id means nothing on Salesforce.
    expect(findAgent(policy, { crm: "salesforce", userId: "222" })).toBeUndefined();
  });
});
