import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVENANCE_FIELDS } from "../../../shared/index.js";
import {
  LONG_TEXT_FIELD_LENGTH,
  TEXT_FIELD_LENGTH,
  TRUNCATION_MARKER,
  createSalesforceConnector,
  fitFieldLength,
  type SalesforceConnector,
} from "../../src/crm/salesforce/index.js";
import { planSalesforceInstall } from "../../src/install/index.js";
import { createSalesforceSandbox, type SalesforceSandbox } from "../../sandbox/salesforce/index.js";

const REASON = PROVENANCE_FIELDS.reason.salesforce;
const EVIDENCE = PROVENANCE_FIELDS.evidence.salesforce;

// Tollgate's own Text(255) fields against values longer than that: the sandbox refuses what
// Salesforce refuses (STRING_TOO_LONG), so a write that would fail a record fails here too.
describe("Salesforce field lengths of Tollgate's own fields", () => {
  let org: SalesforceSandbox;
  let connector: SalesforceConnector;
  let leadId: string;
  beforeAll(async () => {
    org = await createSalesforceSandbox();
    connector = createSalesforceConnector({
      orgId: org.orgId,
      instanceUrl: org.url,
      accessToken: org.users.token(org.users.create("Tollgate Integration").id),
    });
    const plan = planSalesforceInstall({
      governedFields: [{ object: "lead", field: "Title", proposable: true }],
      existing: { Lead: await connector.listProperties("Lead") },
    });
    for (const o of plan.objects) if (o.create.length) await connector.createProperties(o.objectType, o.create);
    [leadId] = org.seed("Lead", [{ LastName: "Long", Company: "Acme" }]) as [string];
  });
  afterAll(() => org.close());

  it("the org refuses a reason longer than its Text(255) field, as Salesforce does", async () => {
    const res = await fetch(`${org.url}/services/data/v62.0/sobjects/Lead/${leadId}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${org.users.token(org.admin.id)}`, "content-type": "application/json" },
      body: JSON.stringify({ [REASON]: "r".repeat(256) }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe("STRING_TOO_LONG");
  });

  it("cuts a provenance or shadow value to its field with a marker, and the write succeeds", async () => {
    const reason = "The agent found a press release naming a new VP of Sales; ".repeat(10);
    const evidence = JSON.stringify({ sources: ["x".repeat(40_000)] });
    const proposed = "p".repeat(300);
    const [result] = await connector.writeRecords([
      {
        objectType: "Lead",
        objectId: leadId,
        properties: { [REASON]: reason, [EVIDENCE]: evidence, AI_Proposed_Title__c: proposed, Title: "CFO" },
      },
    ]);
    expect(result).toEqual(expect.objectContaining({ ok: true }));
    const row = org.getRecord("Lead", leadId)!;
    expect(row[REASON]).toHaveLength(TEXT_FIELD_LENGTH);
    expect(String(row[REASON])).toBe(reason.slice(0, TEXT_FIELD_LENGTH - TRUNCATION_MARKER.length) + TRUNCATION_MARKER);
    expect(String(row[EVIDENCE])).toHaveLength(LONG_TEXT_FIELD_LENGTH);
    expect(String(row[EVIDENCE]).endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(String(row["AI_Proposed_Title__c"]).endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(row["Title"]).toBe("CFO");
  });

  it("leaves values that fit, and the org's own fields, as they are; never splits a character", () => {
    expect(fitFieldLength(REASON, "short")).toBe("short");
    expect(fitFieldLength("Description", "d".repeat(1000))).toBe("d".repeat(1000));
    const emoji = "😀".repeat(300);
    const cut = fitFieldLength(REASON, emoji);
    expect([...cut]).toHaveLength(TEXT_FIELD_LENGTH);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
