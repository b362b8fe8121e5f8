/**
 * Apex cannot run here (no org), so its source is checked as far as it can be offline: every
 * class parses with @apexdevtools/apex-parser (the grammar that tracks the platform compiler), the
 * components import only @AuraEnabled static methods of TollgateCardController, and the Apex tests
 * read the shared signature vectors that test/crm-app/salesforce-signature.test.ts holds the
 * TypeScript side to. The behaviour itself is covered by the Apex tests, run in an org with
 * `sf apex run test` (crm-app/README.md).
 */
const fs = require("fs");
const path = require("path");
const {
  ApexErrorListener,
  ApexParseTreeWalker,
  ApexParserFactory,
  ApexParserBaseListener,
} = require("@apexdevtools/apex-parser");

const DEFAULT = path.join(__dirname, "..", "force-app", "main", "default");
const CLASSES = path.join(DEFAULT, "classes");

class CollectingListener extends ApexErrorListener {
  errors = [];
  apexSyntaxError(line, column, msg) {
    this.errors.push(`${line}:${column} ${msg}`);
  }
}

/** Parses one class; its syntax errors and its methods with their annotations and modifiers. */
function parseClass(source) {
  const listener = new CollectingListener();
  const { parser } = ApexParserFactory.createLexerAndParser(source, listener);
  const unit = parser.compilationUnit();
  const methods = [];
  const collector = new (class extends ApexParserBaseListener {
    exitClassBodyDeclaration(ctx) {
      const member = ctx.memberDeclaration && ctx.memberDeclaration();
      const method = member && member.methodDeclaration();
      if (!method) return;
      const modifiers = ctx.modifier_list().map((m) => m.getText().toLowerCase());
      methods.push({ name: method.id().getText(), modifiers });
    }
  })();
  ApexParseTreeWalker.DEFAULT.walk(collector, unit);
  return { errors: listener.errors, methods };
}

const classFiles = fs.readdirSync(CLASSES).filter((f) => f.endsWith(".cls"));
const parsed = Object.fromEntries(
  classFiles.map((f) => [f.replace(/\.cls$/, ""), parseClass(fs.readFileSync(path.join(CLASSES, f), "utf8"))]),
);

describe("Apex source, offline", () => {
  it.each(classFiles)("%s parses without a syntax error", (file) => {
    expect(parsed[file.replace(/\.cls$/, "")].errors).toEqual([]);
  });

  it("the parser does report a broken class (so a clean parse means something)", () => {
    const broken = parseClass("public class Broken { public static String x( { return 1 } }");
    expect(broken.errors.length).toBeGreaterThan(0);
  });

  it("every Apex method a component imports is an @AuraEnabled static method of the controller", () => {
    const exposed = parsed.TollgateCardController.methods
      .filter((m) => m.modifiers.includes("@auraenabled") && m.modifiers.includes("static"))
      .map((m) => m.name)
      .sort();
    const imported = new Set();
    for (const card of ["tollgateApprovalCard", "tollgateProvenanceCard"]) {
      const js = fs.readFileSync(path.join(DEFAULT, "lwc", card, `${card}.js`), "utf8");
      for (const [, cls, method] of js.matchAll(/from ["']@salesforce\/apex\/(\w+)\.(\w+)["']/g)) {
        expect(cls).toBe("TollgateCardController");
        imported.add(method);
      }
    }
    expect([...imported].sort()).toEqual(exposed);
    expect(exposed).toEqual(["approve", "decideBatch", "getApprovals", "getProvenance", "reject"]);
  });

  it("every class but the tests is exercised by a test class, and the tests cover signing and the error paths", () => {
    const tests = classFiles.filter((f) => /Test\.cls$/.test(f)).map((f) => f.replace(/\.cls$/, ""));
    const testSource = tests.map((t) => fs.readFileSync(path.join(CLASSES, `${t}.cls`), "utf8")).join("\n");
    for (const name of Object.keys(parsed).filter((n) => !tests.includes(n)))
      expect(testSource).toMatch(new RegExp(`\\b${name}\\.`));
    // Signing: the vectors, and a signature recomputed over the exact bytes sent.
    expect(testSource).toContain("TollgateSignature.header(");
    expect(testSource).toContain("Crypto.generateMac('hmacSHA256'");
    // Every message the controller and client can fail with is asserted by some test.
    const sources = ["TollgateCardController", "TollgateClient"].map((n) =>
      fs.readFileSync(path.join(CLASSES, `${n}.cls`), "utf8"),
    );
    const messages = sources.flatMap((src) =>
      [...src.matchAll(/(?:fail|TollgateException)\(\s*'([^']{8,})'/g)].map((m) => m[1]),
    );
    expect(messages.length).toBeGreaterThan(5);
    for (const message of messages) expect(testSource).toContain(message.slice(0, 24));
    expect(testSource).toContain("Tollgate could not be reached");
    expect(testSource).toContain("Tollgate answered HTTP");
  });

  it("test classes are @IsTest, and the signature test reads the shared vectors resource", () => {
    for (const name of ["TollgateSignatureTest", "TollgateCardControllerTest"]) {
      const source = fs.readFileSync(path.join(CLASSES, `${name}.cls`), "utf8");
      expect(source).toMatch(/^@IsTest\s+private class/m);
      expect(parsed[name].methods.filter((m) => m.modifiers.includes("@istest")).length).toBeGreaterThan(1);
    }
    const signatureTest = fs.readFileSync(path.join(CLASSES, "TollgateSignatureTest.cls"), "utf8");
    expect(signatureTest).toContain("WHERE Name = 'TollgateSignatureVectors'");
    expect(fs.existsSync(path.join(DEFAULT, "staticresources", "TollgateSignatureVectors.json"))).toBe(true);
  });
});
