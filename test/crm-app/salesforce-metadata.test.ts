/**
 * The Salesforce package's fields and permission sets are generated from the policy
 * (`npm run salesforce:metadata`, crm-app/salesforce/scripts/generate-metadata.ts). A policy change
 * without regenerating would leave agents with no shadow field to propose through, or approvers
 * unable to read one; this suite makes CI fail instead.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY_PATH,
  findStaleFiles,
  generateSalesforceMetadata,
} from "../../crm-app/salesforce/scripts/generate-metadata.js";
import { SALESFORCE_PROVENANCE_NAMES, salesforceShadowName, toCrmObjectType } from "../../shared/index.js";
import { SALESFORCE_CARD_OBJECTS } from "../../crm-app/salesforce/scripts/plan-package-fields.js";
import { listGovernedFields, loadPolicyFile } from "../../server/src/policy/index.js";
import { toCustomField } from "../../server/src/crm/salesforce/index.js";
import { getSalesforceProvenanceProperties } from "../../server/src/install/index.js";

describe("crm-app/salesforce generated metadata", () => {
  it("is exactly what the generator writes from manifests/policy.salesforce-default.yaml now", async () => {
    const { files, skipped } = await generateSalesforceMetadata();
    expect(await findStaleFiles(files)).toEqual([]);
    expect(skipped).toEqual([]);
  });

  it("has the six provenance fields on every card object and one shadow per proposable field, nothing else", async () => {
    const { files } = await generateSalesforceMetadata();
    const fieldFiles = [...files.keys()].filter((p) => p.startsWith("objects/"));
    const expected = new Set<string>();
    for (const object of SALESFORCE_CARD_OBJECTS) {
      for (const name of SALESFORCE_PROVENANCE_NAMES) expected.add(`objects/${object}/fields/${name}.field-meta.xml`);
    }
    const governed = listGovernedFields(await loadPolicyFile(DEFAULT_POLICY_PATH));
    for (const f of governed.filter((g) => g.proposable)) {
      expected.add(
        `objects/${toCrmObjectType("salesforce", f.object)}/fields/${salesforceShadowName(f.field)}.field-meta.xml`,
      );
    }
    expect(new Set(fieldFiles)).toEqual(expected);
    // Read-only and humans-only fields get no shadow: agents cannot propose them.
    expect(fieldFiles).not.toContain("objects/Lead/fields/AI_Proposed_Status__c.field-meta.xml");
    expect(fieldFiles).not.toContain("objects/Opportunity/fields/AI_Proposed_Amount__c.field-meta.xml");
    expect(fieldFiles).toContain("objects/Opportunity/fields/AI_Proposed_StageName__c.field-meta.xml");
  });

  it("defines each field exactly as the Salesforce connector's Metadata API install would", async () => {
    const { files } = await generateSalesforceMetadata();
    const typeOf = (path: string) => /<type>(.*)<\/type>/.exec(files.get(path) ?? "")?.[1];
    // Provenance: the install's own property definitions through the connector's toCustomField.
    for (const p of getSalesforceProvenanceProperties()) {
      const expected = toCustomField("Lead", p);
      const xml = files.get(`objects/Lead/fields/${p.name}.field-meta.xml`) ?? "";
      expect(typeOf(`objects/Lead/fields/${p.name}.field-meta.xml`)).toBe(expected.type);
      expect(xml).toContain(`<label>${expected.label}</label>`);
      if (expected.length !== undefined) expect(xml).toContain(`<length>${expected.length}</length>`);
    }
    expect(typeOf("objects/Lead/fields/AI_SDR_Last_Action_At__c.field-meta.xml")).toBe("DateTime");
    expect(typeOf("objects/Lead/fields/AI_SDR_Evidence__c.field-meta.xml")).toBe("LongTextArea");
    // Shadows hold numbers for numeric fields, text for the rest (picklists included).
    expect(typeOf("objects/Lead/fields/AI_Proposed_NumberOfEmployees__c.field-meta.xml")).toBe("Number");
    expect(typeOf("objects/Lead/fields/AI_Proposed_Industry__c.field-meta.xml")).toBe("Text");
    expect(typeOf("objects/Contact/fields/AI_Proposed_Email__c.field-meta.xml")).toBe("Text");
  });

  it("grants approvers read-only access and agents edit access to every generated field", async () => {
    const { files } = await generateSalesforceMetadata();
    const fields = [...files.keys()]
      .filter((p) => p.startsWith("objects/"))
      .map((p) => p.replace(/^objects\/(\w+)\/fields\/(\w+)\.field-meta\.xml$/, "$1.$2"));
    const grants = (name: string) =>
      [
        ...(files.get(`permissionsets/${name}.permissionset-meta.xml`) ?? "").matchAll(
          /<editable>(true|false)<\/editable>\s*<field>(.*)<\/field>/g,
        ),
      ].map((m): [string, string] => [m[2]!, m[1]!]);
    expect(new Map(grants("Tollgate_Approver"))).toEqual(new Map(fields.map((f) => [f, "false"])));
    expect(new Map(grants("Tollgate_Agent"))).toEqual(new Map(fields.map((f) => [f, "true"])));
  });

  it("follows the policy: another policy gives other shadows, and a HubSpot object maps to its Salesforce twin", async () => {
    const hubspot = await generateSalesforceMetadata("manifests/policy.yaml");
    const paths = [...hubspot.files.keys()];
    // company.industry in a HubSpot policy → Account; its field names are taken as written.
    expect(paths).toContain("objects/Account/fields/AI_Proposed_Industry__c.field-meta.xml");
    expect(paths).not.toContain("objects/Opportunity/fields/AI_Proposed_StageName__c.field-meta.xml");
    expect(await findStaleFiles(hubspot.files)).not.toEqual([]);
    expect(hubspot.files.get("permissionsets/Tollgate_Agent.permissionset-meta.xml")).toContain(
      "from manifests/policy.yaml",
    );
  });
});
