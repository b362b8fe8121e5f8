/**
 * The package's source checked with no org: Salesforce's own source-deploy-retrieve resolves
 * every file into a component and converts the tree to Metadata API format with a package.xml
 * (what `sf project deploy start` sends), and the cross-references a deploy would reject are
 * checked: permission sets name fields, classes and a credential principal that exist, and the
 * components import only @AuraEnabled methods of the controller.
 */
const fs = require("fs");
const os = require("os");
const path = require("path");
const { ComponentSet, MetadataConverter } = require("@salesforce/source-deploy-retrieve");

const PROJECT = path.join(__dirname, "..");
const SOURCE = path.join(PROJECT, "force-app");
const DEFAULT = path.join(SOURCE, "main", "default");
const CARD_OBJECTS = ["Lead", "Contact", "Account", "Opportunity"];
const PROVENANCE = [
  "AI_SDR_Change_Reason__c",
  "AI_SDR_Confidence_Score__c",
  "AI_SDR_Event_Id__c",
  "AI_SDR_Evidence__c",
  "AI_SDR_Last_Action_At__c",
  "AI_SDR_Source__c",
];

/** Every file under dir, relative to PROJECT. */
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [path.relative(PROJECT, full)];
  });
}

const namesOf = (components, type) =>
  components
    .filter((c) => c.type.name === type)
    .map((c) => c.fullName)
    .sort();

describe("crm-app/salesforce source, offline", () => {
  const set = ComponentSet.fromSource(SOURCE);
  const components = set.getSourceComponents().toArray();

  it("resolves to exactly the components Tollgate ships", () => {
    expect(namesOf(components, "ApexClass")).toEqual([
      "TollgateCardController",
      "TollgateCardControllerTest",
      "TollgateClient",
      "TollgateSignature",
      "TollgateSignatureTest",
    ]);
    expect(namesOf(components, "LightningComponentBundle")).toEqual([
      "tollgateApprovalCard",
      "tollgateFormat",
      "tollgateProvenanceCard",
    ]);
    expect(namesOf(components, "PermissionSet")).toEqual(["Tollgate_Agent", "Tollgate_Approver"]);
    expect(namesOf(components, "NamedCredential")).toEqual(["Tollgate"]);
    expect(namesOf(components, "ExternalCredential")).toEqual(["Tollgate"]);
    expect(namesOf(components, "CustomObject")).toEqual(["Tollgate_Setting__mdt"]);
    expect(namesOf(components, "StaticResource")).toEqual(["TollgateSignatureVectors"]);
    const fields = namesOf(components, "CustomField");
    for (const object of CARD_OBJECTS) {
      for (const name of PROVENANCE) expect(fields).toContain(`${object}.${name}`);
    }
    expect(fields).toContain("Lead.AI_Proposed_Industry__c");
    expect(fields).toContain("Opportunity.AI_Proposed_StageName__c");
    expect(fields.filter((f) => !/^(Lead|Contact|Account|Opportunity)\.(AI_Proposed_|AI_SDR_)/.test(f))).toEqual([]);
    const setting = components.find((c) => c.fullName === "Tollgate_Setting__mdt");
    expect(setting.getChildren().map((c) => c.fullName)).toEqual(["Tollgate_Setting__mdt.Secret__c"]);
  });

  it("leaves no file unresolved: every source file belongs to a component (tests are ignored)", () => {
    const claimed = new Set(
      components.flatMap((c) => [c.xml, c.content, ...(c.content ? c.walkContent() : [])].filter(Boolean)),
    );
    const claimedRelative = new Set([...claimed].map((p) => path.relative(PROJECT, p)));
    const isUnder = (file) => [...claimedRelative].some((p) => file === p || file.startsWith(`${p}${path.sep}`));
    const stray = walk(SOURCE).filter((file) => !file.includes("__tests__") && !isUnder(file));
    expect(stray).toEqual([]);
  });

  it("converts to Metadata API format with a package.xml naming every component", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "tollgate-sfdx-"));
    try {
      await new MetadataConverter().convert(set, "metadata", {
        type: "directory",
        outputDirectory: out,
        genUniqueDir: false,
      });
      const manifest = fs.readFileSync(path.join(out, "package.xml"), "utf8");
      const declared = {};
      for (const [, body] of manifest.matchAll(/<types>([\s\S]*?)<\/types>/g)) {
        const name = /<name>(.*)<\/name>/.exec(body)[1];
        declared[name] = [...body.matchAll(/<members>(.*)<\/members>/g)].map((m) => m[1]);
      }
      expect(Object.keys(declared).sort()).toEqual([
        "ApexClass",
        "CustomField",
        "CustomObject",
        "ExternalCredential",
        "LightningComponentBundle",
        "NamedCredential",
        "PermissionSet",
        "StaticResource",
      ]);
      expect(declared.CustomField.sort()).toEqual(
        [...namesOf(components, "CustomField"), "Tollgate_Setting__mdt.Secret__c"].sort(),
      );
      expect(manifest).toContain("<version>62.0</version>");
      expect(fs.existsSync(path.join(out, "classes", "TollgateClient.cls"))).toBe(true);
      expect(fs.existsSync(path.join(out, "lwc", "tollgateApprovalCard", "tollgateApprovalCard.js"))).toBe(true);
      expect(fs.existsSync(path.join(out, "lwc", "tollgateApprovalCard", "__tests__"))).toBe(false);
      const lead = fs.readFileSync(path.join(out, "objects", "Lead.object"), "utf8");
      expect(lead).toContain("<fullName>AI_SDR_Evidence__c</fullName>");
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("grants, in its permission sets, only fields, classes and a principal that exist", () => {
    const fields = new Set(namesOf(components, "CustomField"));
    const classes = new Set(namesOf(components, "ApexClass"));
    const credential = fs.readFileSync(
      path.join(DEFAULT, "externalCredentials", "Tollgate.externalCredential-meta.xml"),
      "utf8",
    );
    const principals = [
      ...credential.matchAll(/<parameterName>(.*)<\/parameterName>\s*<parameterType>NamedPrincipal</g),
    ].map((m) => `Tollgate-${m[1]}`);
    for (const name of ["Tollgate_Approver", "Tollgate_Agent"]) {
      const xml = fs.readFileSync(path.join(DEFAULT, "permissionsets", `${name}.permissionset-meta.xml`), "utf8");
      for (const [, field] of xml.matchAll(/<field>(.*)<\/field>/g)) expect(fields).toContain(field);
      for (const [, apexClass] of xml.matchAll(/<apexClass>(.*)<\/apexClass>/g)) expect(classes).toContain(apexClass);
      for (const [, principal] of xml.matchAll(/<externalCredentialPrincipal>(.*)<\/externalCredentialPrincipal>/g)) {
        expect(principals).toContain(principal);
      }
    }
    const approver = fs.readFileSync(
      path.join(DEFAULT, "permissionsets", "Tollgate_Approver.permissionset-meta.xml"),
      "utf8",
    );
    expect(approver).toContain("<apexClass>TollgateCardController</apexClass>");
    expect(approver).toContain("<externalCredentialPrincipal>Tollgate-Tollgate_Org</externalCredentialPrincipal>");
    expect(approver).not.toMatch(/<editable>true<\/editable>/);
    expect(approver).not.toContain("Tollgate_Setting__mdt");
  });

  it("puts both cards on record pages of Lead, Contact, Account and Opportunity only", () => {
    for (const card of ["tollgateApprovalCard", "tollgateProvenanceCard"]) {
      const meta = fs.readFileSync(path.join(DEFAULT, "lwc", card, `${card}.js-meta.xml`), "utf8");
      expect(meta).toContain("<isExposed>true</isExposed>");
      expect([...meta.matchAll(/<target>(.*)<\/target>/g)].map((m) => m[1])).toEqual(["lightning__RecordPage"]);
      expect([...meta.matchAll(/<object>(.*)<\/object>/g)].map((m) => m[1])).toEqual(CARD_OBJECTS);
    }
  });

  it("points the Named Credential at a bare origin, since the signed path is everything after it", () => {
    const xml = fs.readFileSync(path.join(DEFAULT, "namedCredentials", "Tollgate.namedCredential-meta.xml"), "utf8");
    const url = /<parameterType>Url<\/parameterType>\s*<parameterValue>(.*)<\/parameterValue>/.exec(xml)[1];
    expect(new URL(url).pathname).toBe("/");
    expect(url.endsWith("/")).toBe(false);
    expect(url.startsWith("https://")).toBe(true);
    expect(xml).toContain("<externalCredential>Tollgate</externalCredential>");
  });
});
