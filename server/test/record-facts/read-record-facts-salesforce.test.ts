import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSalesforceConnector } from "../../src/crm/salesforce/index.js";
import { attributesFromRecordFacts, loadPolicy, recordFactProperties } from "../../src/policy/index.js";
import { readRecordFacts, targetKey, type FactTarget } from "../../src/record-facts/index.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";

// Salesforce refuses a whole SOQL query naming a field the object lacks (INVALID_FIELD), as the
// sandbox does: the facts of a Contact (no Industry) and of a Lead (no AccountId) must be read
// with the fields each has, or every exception falls back to "unknown" and a person decides.

let org: SalesforceSandbox;
beforeAll(async () => {
  org = await createSalesforceSandbox();
});
afterAll(async () => {
  await org?.close();
});

describe("record facts of a Salesforce org", () => {
  it("reads a Contact's title and its Account's industry, and a Lead's own title and industry", async () => {
    const connector = createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: org.users.token(org.admin.id),
    });
    const [bank] = org.seed("Account", [{ Name: "Initech Bank", Industry: "Banking", Website: "initech.example" }]);
    const [analyst, vp] = org.seed("Contact", [
      { LastName: "Analyst", Title: "Drill analyst", AccountId: bank! },
      { LastName: "Chief", Title: "VP Sales" },
    ]);
    const [lead] = org.seed("Lead", [{ LastName: "Lead", Company: "Acme", Title: "Engineer", Industry: "Retail" }]);
    // The example org policy: no exception_data, so the Salesforce defaults (Title, Industry, AccountId).
    const policy = loadPolicy(readFileSync("manifests/policy.salesforce.yaml", "utf8"));
    const targets: FactTarget[] = [
      { crm: "salesforce", object: "contact", objectType: "Contact", objectId: analyst! },
      { crm: "salesforce", object: "contact", objectType: "Contact", objectId: vp! },
      { crm: "salesforce", object: "lead", objectType: "Lead", objectId: lead! },
    ];
    const facts = await readRecordFacts(
      recordFactProperties(policy, "salesforce"),
      (type, ids, props) => connector.readRecords(type, ids, props),
      targets,
    );
    const of = (t: FactTarget) => attributesFromRecordFacts(policy, facts.get(targetKey(t))!);
    expect(of(targets[0]!)).toMatchObject({ execPersona: false, regulatedIndustry: true });
    expect(of(targets[1]!)).toMatchObject({ execPersona: true, regulatedIndustry: "unknown" });
    expect(of(targets[2]!)).toMatchObject({ execPersona: false, regulatedIndustry: false });
  });
});
