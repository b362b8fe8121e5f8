import { describe, expect, it } from "vitest";
import {
  formatProvisioningPlan,
  getProvisioningPlan,
  planProvisioning,
  provision,
  provisionGovernedFields,
  type GovernedField,
  type ProvisioningPlan,
} from "../../src/install/index.js";
import { CrmError } from "../../src/crm/index.js";
import { createFakeHubSpotConnector, hubspotSeed } from "./fake-hubspot-connector.js";

const GOVERNED: GovernedField[] = [
  { object: "contact", field: "industry", proposable: true },
  { object: "contact", field: "industry", proposable: false },
  { object: "contact", field: "jobtitle", proposable: true },
  { object: "contact", field: "email", proposable: false },
  { object: "contact", field: "num_employees_score", proposable: true },
  { object: "contact", field: "hs_analytics_num_visits", proposable: true },
  { object: "contact", field: "hubspot_owner_id", proposable: true },
  { object: "contact", field: "hs_email_optout", proposable: true },
  { object: "contact", field: "linkedin_bio", proposable: true },
  { object: "company", field: "annualrevenue", proposable: true },
  { object: "deal", field: "closedate", proposable: true },
  { object: "account", field: "Industry", proposable: true },
];

/** docs/contracts.md#fields-the-app-installs provenance properties with their HubSpot type/fieldType. */
const PROVENANCE = {
  ai_sdr_last_action_at: "datetime/date",
  ai_sdr_confidence_score: "number/number",
  ai_sdr_source: "string/text",
  ai_sdr_change_reason: "string/text",
  ai_sdr_event_id: "string/text",
  ai_sdr_evidence: "string/textarea",
};

function planned(plan: ProvisioningPlan, objectType: string) {
  const obj = plan.objects.find((o) => o.objectType === objectType);
  if (!obj) throw new Error(`no plan for ${objectType}`);
  return new Map(obj.properties.map((p) => [p.definition.name, p]));
}

describe("planProvisioning", () => {
  const plan = planProvisioning({ governedFields: GOVERNED, existing: hubspotSeed() });

  it("plans the Tollgate group and the six provenance properties on contacts, companies and deals", () => {
    expect(plan.objects.map((o) => [o.object, o.objectType])).toEqual([
      ["contact", "contacts"],
      ["company", "companies"],
      ["deal", "deals"],
    ]);
    for (const obj of plan.objects) {
      expect(obj.group).toEqual({ name: "tollgate", label: "Tollgate" });
      const provenance = obj.properties.filter((p) => p.kind === "provenance");
      expect(
        Object.fromEntries(
          provenance.map((p) => [p.definition.name, `${p.definition.type}/${p.definition.fieldType}`]),
        ),
      ).toEqual(PROVENANCE);
      for (const p of provenance) {
        expect(p.action).toBe("create");
        expect(p.definition.groupName).toBe("tollgate");
        expect(p.definition.label.length).toBeGreaterThan(0);
      }
    }
  });

  it("types each shadow like its canonical field, copying enumeration options", () => {
    const contacts = planned(plan, "contacts");
    const industry = contacts.get("ai_proposed_industry")!;
    expect(industry).toMatchObject({ kind: "shadow", action: "create", canonical: "industry" });
    expect(industry.definition).toMatchObject({
      type: "enumeration",
      fieldType: "select",
      label: "AI proposed: Industry",
      groupName: "tollgate",
    });
    expect(industry.definition.options).toEqual([
      { label: "Fintech", value: "FINTECH", hidden: false, displayOrder: 0 },
      { label: "Retail", value: "RETAIL", hidden: true, displayOrder: 1 },
    ]);
    expect(contacts.get("ai_proposed_jobtitle")!.definition).toMatchObject({
      type: "string",
      fieldType: "text",
      label: "AI proposed: Job Title",
    });
    expect(contacts.get("ai_proposed_hs_email_optout")!.definition).toMatchObject({
      type: "bool",
      fieldType: "booleancheckbox",
    });
    expect(contacts.get("ai_proposed_hs_email_optout")!.definition.options?.map((o) => o.value)).toEqual([
      "true",
      "false",
    ]);
    expect(planned(plan, "companies").get("ai_proposed_annualrevenue")!.definition).toMatchObject({
      type: "number",
      fieldType: "number",
    });
    expect(planned(plan, "deals").get("ai_proposed_closedate")!.definition).toMatchObject({
      type: "datetime",
      fieldType: "date",
    });
  });

  it("makes calculated, read-only and option-less enumeration canonicals plain text shadows", () => {
    const contacts = planned(plan, "contacts");
    for (const name of [
      "ai_proposed_num_employees_score",
      "ai_proposed_hs_analytics_num_visits",
      "ai_proposed_hubspot_owner_id",
    ]) {
      expect(contacts.get(name)!.definition, name).toMatchObject({ type: "string", fieldType: "text" });
      expect(contacts.get(name)!.definition.options, name).toBeUndefined();
    }
  });

  it("gives no shadow to fields the policy does not route through approval", () => {
    const contacts = planned(plan, "contacts");
    expect(contacts.has("ai_proposed_email")).toBe(false);
    const shadows = [...contacts.values()].filter((p) => p.kind === "shadow").map((p) => p.definition.name);
    expect(new Set(shadows).size).toBe(shadows.length);
    expect(shadows).toHaveLength(6);
  });

  it("reports a governed field missing from the CRM and an object HubSpot lacks, and invents neither", () => {
    expect(plan.problems).toEqual([
      expect.objectContaining({ kind: "unsupported_object", objectType: "account" }),
      expect.objectContaining({ kind: "missing_canonical", objectType: "contacts", name: "linkedin_bio" }),
    ]);
    expect(planned(plan, "contacts").has("ai_proposed_linkedin_bio")).toBe(false);
  });

  it("leaves an existing property of another type alone and reports it", () => {
    const existing = hubspotSeed();
    existing.contacts!.push({ name: "ai_sdr_confidence_score", label: "Old score", type: "string", fieldType: "text" });
    const p = planProvisioning({ governedFields: [], existing });
    expect(planned(p, "contacts").get("ai_sdr_confidence_score")).toMatchObject({ action: "exists" });
    expect(p.problems).toEqual([
      expect.objectContaining({ kind: "type_mismatch", objectType: "contacts", name: "ai_sdr_confidence_score" }),
    ]);
  });

  it("adds further objects the policy names, such as leads", () => {
    const p = planProvisioning({
      governedFields: [{ object: "lead", field: "hs_lead_label", proposable: false }],
      existing: {},
    });
    expect(p.objects.map((o) => o.objectType)).toEqual(["contacts", "companies", "deals", "leads"]);
  });
});

describe("provision", () => {
  it("creates the group, the provenance properties and the shadows, then a second run creates nothing", async () => {
    const connector = createFakeHubSpotConnector(hubspotSeed());
    const first = await provisionGovernedFields(connector, GOVERNED);

    const createdNames = (objectType: string, kind: string) =>
      first.result.created.filter((c) => c.objectType === objectType && c.kind === kind).map((c) => c.name);
    for (const objectType of ["contacts", "companies", "deals"]) {
      expect(createdNames(objectType, "group")).toEqual(["tollgate"]);
      expect(createdNames(objectType, "provenance").sort()).toEqual(Object.keys(PROVENANCE).sort());
      expect(connector.groups.get(objectType)?.has("tollgate")).toBe(true);
    }
    expect(createdNames("contacts", "shadow")).toHaveLength(6);
    expect(first.result.existing).toEqual([]);
    expect(first.result.problems.map((p) => p.kind)).toEqual(["unsupported_object", "missing_canonical"]);

    const stored = connector.properties.get("contacts")!.find((p) => p.name === "ai_proposed_industry")!;
    expect(stored).toMatchObject({ type: "enumeration", fieldType: "select", groupName: "tollgate" });
    expect(stored.options).toHaveLength(2);

    const snapshot = structuredClone([...connector.properties]);
    connector.calls.length = 0;
    const second = await provisionGovernedFields(connector, GOVERNED);
    expect(second.result.created).toEqual([]);
    expect(second.result.existing).toHaveLength(first.result.created.length);
    expect(second.plan.objects.flatMap((o) => o.properties).every((p) => p.action === "exists")).toBe(true);
    expect(connector.calls.filter((c) => c.method === "createProperties")).toEqual([]);
    expect([...connector.properties]).toEqual(snapshot);
  });

  it("skips what appeared after the plan was made instead of failing on it", async () => {
    const connector = createFakeHubSpotConnector(hubspotSeed());
    const plan = await getProvisioningPlan(connector, []);
    await provision(connector, plan);
    // The same, now stale, plan again: everything exists, nothing is recreated.
    const again = await provision(connector, plan);
    expect(again.created).toEqual([]);
    expect(again.problems).toEqual([]);
    expect(again.existing.filter((e) => e.kind === "provenance")).toHaveLength(18);
  });

  it("keeps going when one object fails, and reports the failure", async () => {
    const connector = createFakeHubSpotConnector(hubspotSeed());
    connector.failNextCreate.set("companies", new CrmError("forbidden", { status: 403 }));
    const { result } = await provisionGovernedFields(connector, []);
    expect(result.problems).toEqual([
      expect.objectContaining({
        kind: "create_failed",
        objectType: "companies",
        message: expect.stringContaining("crm_forbidden"),
      }),
    ]);
    expect(result.created.filter((c) => c.kind === "provenance").map((c) => c.objectType)).toEqual([
      ...Array(6).fill("contacts"),
      ...Array(6).fill("deals"),
    ]);
    const retry = await provisionGovernedFields(connector, []);
    expect(retry.result.created.filter((c) => c.kind === "provenance").every((c) => c.objectType === "companies")).toBe(
      true,
    );
    expect(retry.result.problems).toEqual([]);
  });

  it("never updates a property that exists with other settings", async () => {
    const seed = hubspotSeed();
    seed.contacts!.push({
      name: "ai_proposed_industry",
      label: "Hand-made",
      type: "string",
      fieldType: "textarea",
      groupName: "contactinformation",
    });
    const connector = createFakeHubSpotConnector(seed);
    const { result } = await provisionGovernedFields(connector, [
      { object: "contact", field: "industry", proposable: true },
    ]);
    expect(result.existing).toContainEqual({ kind: "shadow", objectType: "contacts", name: "ai_proposed_industry" });
    expect(result.problems).toEqual([expect.objectContaining({ kind: "type_mismatch", name: "ai_proposed_industry" })]);
    expect(connector.properties.get("contacts")!.find((p) => p.name === "ai_proposed_industry")).toMatchObject({
      label: "Hand-made",
      type: "string",
    });
  });

  it("refuses a Salesforce connector", async () => {
    const connector = { ...createFakeHubSpotConnector({}), crm: "salesforce" as const };
    await expect(getProvisioningPlan(connector, [])).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("formatProvisioningPlan", () => {
  it("prints one row per group and property with its action, then problems and a summary", () => {
    const text = formatProvisioningPlan(planProvisioning({ governedFields: GOVERNED, existing: hubspotSeed() }));
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^OBJECT\s+PROPERTY\s+KIND\s+TYPE\s+ACTION\s+LABEL$/);
    expect(lines).toContainEqual(expect.stringMatching(/^contacts\s+tollgate\s+group\s+-\s+ensure\s+Tollgate$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^contacts\s+ai_proposed_industry\s+shadow\s+enumeration\/select \(2 options\)\s+create\s+AI proposed: Industry$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^deals\s+ai_sdr_evidence\s+provenance\s+string\/textarea\s+create/),
    );
    expect(text).toContain("[missing_canonical] contacts linkedin_bio");
    expect(text).toMatch(/26 properties to create, 0 already present, 2 problems, on 3 objects\./);
  });

  it("shows existing properties as kept", async () => {
    const connector = createFakeHubSpotConnector(hubspotSeed());
    await provisionGovernedFields(connector, []);
    const text = formatProvisioningPlan(await getProvisioningPlan(connector, []));
    expect(text).toMatch(/contacts\s+ai_sdr_source\s+provenance\s+string\/text\s+exists \(kept\)/);
    expect(text).toContain("0 properties to create, 18 already present, 0 problems");
  });
});
