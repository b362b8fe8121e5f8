import { describe, expect, it } from "vitest";
import { attributeChange, type CrmChange, type PolicyPort } from "../../src/enforce/index.js";
import { findAgent, loadPolicy } from "../../src/policy/index.js";

// Who made a Salesforce change (docs/salesforce.md, attribution): commitUser and the client tag
// of changeOrigin name a declared agent, Tollgate itself, a person, or nobody Tollgate knows.

const manifest = loadPolicy(`version: 1
agents:
  - { id: enrichment-bot, role: r, salesforce: { userIds: ["0055g00000EnRcHAAV"], clients: [enrichment-bot] } }
roles: { r: {} }
`);
const policy = { findAgent: (identity) => findAgent(manifest, identity) } as Pick<
  PolicyPort,
  "findAgent"
> as PolicyPort;
const self = { salesforceUserId: "0055g00000ToLlGAAV", salesforceClient: "tollgate" };
const change = (source: CrmChange["source"]): CrmChange => ({
  tenantId: "00D5g000004XyZaEAK",
  crm: "salesforce",
  objectType: "Lead",
  policyObject: "lead",
  objectId: "00Q5g0000000001EAA",
  kind: "property_change",
  property: "Status",
  value: "Closed - Converted",
  occurredAt: new Date("2026-12-04T10:00:00Z"),
  eventKey: "sf:tk:1:Lead:00Q5g0000000001EAA:Status",
  source,
});
const actor = (source: CrmChange["source"]) => attributeChange(change(source), policy, self);
const api = "com/salesforce/api/rest/62.0";

describe("Salesforce attribution", () => {
  it("names a declared agent by its integration user (15 or 18 characters) or by the client tag it sends", () => {
    expect(actor({ userId: "0055g00000EnRcHAAV", changeSource: api })).toMatchObject({
      type: "agent",
      agentId: "enrichment-bot",
    });
    expect(actor({ userId: "0055g00000EnRcH", changeSource: api })).toMatchObject({ agentId: "enrichment-bot" });
    // A shared user (a middleware) whose calls carry the agent's client tag.
    expect(
      actor({ userId: "0055g00000MiDdLAAV", client: "enrichment-bot", changeSource: `${api};client=enrichment-bot` }),
    ).toMatchObject({ type: "agent", agentId: "enrichment-bot", via: "salesforce:client:enrichment-bot" });
  });

  it("recognises Tollgate's own writes by its integration user, tagged or not, and by the tag where no user is known", () => {
    expect(
      actor({ userId: "0055g00000ToLlGAAV", client: "tollgate", changeSource: `${api};client=tollgate` }).type,
    ).toBe("tollgate");
    // sObject Collections writes may not carry ;client= (unconfirmed): the user still says it was Tollgate.
    expect(actor({ userId: "0055g00000ToLlG", changeSource: api }).type).toBe("tollgate");
    expect(actor({ client: "tollgate", changeSource: `${api};client=tollgate` }).type).toBe("tollgate");
  });

  it("attack: an agent sending Sforce-Call-Options client=tollgate is still the agent, and a person still a person", () => {
    const spoofed = `${api};client=tollgate`;
    expect(actor({ userId: "0055g00000EnRcHAAV", client: "tollgate", changeSource: spoofed })).toMatchObject({
      type: "agent",
      agentId: "enrichment-bot",
    });
    expect(actor({ userId: "0055g00000RePsAAAV", client: "tollgate", changeSource: spoofed }).type).toBe("human");
  });

  it("takes any other user for a person, and a change with no user for unattributed", () => {
    expect(actor({ userId: "0055g00000RePsAAAV", changeSource: "com/salesforce/ui" })).toEqual({
      type: "human",
      id: "salesforce:user:0055g00000RePsAAAV",
      via: "salesforce:user:0055g00000RePsAAAV",
    });
    expect(actor({ changeSource: "com/salesforce/api/soap/62.0" })).toMatchObject({
      type: "unattributed",
      id: "salesforce:com/salesforce/api/soap/62.0",
    });
  });
});
