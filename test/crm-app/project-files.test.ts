/**
 * The committed HubSpot project (`crm-app/hubspot/`) against the platform's rules (HubSpot's own
 * parser runs in `project-parser.test.ts`), and against Tollgate's own settings: OAuth scopes
 * and callback, the cards' fetch origin, all from the profile's one `TOLLGATE_URL`.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { TOLLGATE_URL_VARIABLE } from "../../crm-app/hubspot/src/app/cards/lib/tollgate-url.js";
import { DEFAULT_HUBSPOT_SCOPES, HUBSPOT_CALLBACK_PATH } from "../../server/src/install/index.js";
import {
  appHsmetaSchema,
  cardHsmetaSchema,
  COMPONENT_DIRS,
  HSMETA_SCHEMAS,
  hsprojectSchema,
  MAX_WEBHOOK_SUBSCRIPTIONS,
  webhooksHsmetaSchema,
} from "./hubspot-project-schema.js";
import { parseProject, PROFILES } from "./parse-project.js";

const PROJECT = "crm-app/hubspot";
const readJson = async (path: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(path, "utf8"));

async function findHsmetaFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findHsmetaFiles(path)));
    else if (entry.name.endsWith("-hsmeta.json")) out.push(path);
  }
  return out.sort();
}

async function loadProject() {
  const hsproject = hsprojectSchema.parse(await readJson(join(PROJECT, "hsproject.json")));
  const srcDir = join(PROJECT, hsproject.srcDir);
  const files = await Promise.all(
    (await findHsmetaFiles(srcDir)).map(async (path) => ({
      path,
      rel: relative(srcDir, path),
      meta: await readJson(path),
    })),
  );
  return { hsproject, srcDir, files };
}

describe("HubSpot project files", () => {
  it("hsproject.json names the project, its source folder and platform 2025.2", async () => {
    const { hsproject } = await loadProject();
    expect(hsproject).toEqual({ name: "tollgate", srcDir: "src", platformVersion: "2025.2" });
  });

  it("every hsmeta file sits where the platform looks for that type", async () => {
    const { files } = await loadProject();
    expect(files.map((f) => f.rel).sort()).toEqual(
      [
        "app/app-hsmeta.json",
        "app/cards/approval-card-hsmeta.json",
        "app/cards/provenance-card-hsmeta.json",
        "app/pages/pages-hsmeta.json",
        "app/settings/settings-hsmeta.json",
        "app/webhooks/webhooks-hsmeta.json",
      ].sort(),
    );
    for (const { rel, meta } of files) {
      const type = String(meta.type);
      expect(HSMETA_SCHEMAS[type], `${rel}: unknown component type ${type}`).toBeDefined();
      expect(dirname(rel), `${rel} must be in ${COMPONENT_DIRS[type]!.dir}/`).toBe(COMPONENT_DIRS[type]!.dir);
    }
  });

  it("has one app, at most one of each singular component, and unique uids", async () => {
    const { files } = await loadProject();
    const types = files.map((f) => String(f.meta.type));
    for (const [type, { singular }] of Object.entries(COMPONENT_DIRS)) {
      if (singular) expect(types.filter((t) => t === type).length, type).toBeLessThanOrEqual(1);
    }
    expect(types.filter((t) => t === "app")).toHaveLength(1);
    const uids = files.map((f) => f.meta.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it("each card's entrypoint exists and registers itself for the card's location", async () => {
    const { srcDir, files } = await loadProject();
    const cards = files.filter((f) => f.meta.type === "card").map((f) => cardHsmetaSchema.parse(f.meta));
    expect(cards.map((c) => c.config.location).sort()).toEqual(["crm.record.sidebar", "crm.record.tab"]);
    for (const card of cards) {
      const entry = join(srcDir, card.config.entrypoint);
      expect(existsSync(entry), `${card.uid}: ${entry} is missing`).toBe(true);
      expect(await readFile(entry, "utf8")).toContain(`hubspot.extend<"${card.config.location}">`);
      // Every object Tollgate governs, leads included (DEFAULT_HUBSPOT_SCOPES asks for each).
      expect(card.config.objectTypes).toEqual(["contacts", "companies", "deals", "leads"]);
    }
  });

  it("the app's pages and settings page: entrypoints that register for their locations, sharing the cards' code through the workspace", async () => {
    const { srcDir, files } = await loadProject();
    const workspace = JSON.parse(await readFile(join(srcDir, "app/package.json"), "utf8"));
    expect(workspace.workspaces).toEqual(["cards", "pages", "settings"]);
    for (const [type, location] of [
      ["pages", "pages"],
      ["settings", "settings"],
    ] as const) {
      const meta = HSMETA_SCHEMAS[type]!.parse(files.find((f) => f.meta.type === type)?.meta) as {
        config: { entrypoint: string };
      };
      const entry = join(srcDir, meta.config.entrypoint);
      expect(existsSync(entry), `${type}: ${entry} is missing`).toBe(true);
      const source = await readFile(entry, "utf8");
      expect(source).toContain(`hubspot.extend<"${location}">`);
      // HubSpot builds each component from its own folder: shared code comes in as a workspace
      // package, never by a relative import out of the folder (HubSpot's no-parent-imports).
      expect(source).not.toMatch(/from "\.\.\//);
      expect(source).toContain('from "tollgate-hubspot-cards/pages/');
      const pkg = JSON.parse(await readFile(join(dirname(entry), "package.json"), "utf8"));
      expect(pkg.dependencies["tollgate-hubspot-cards"]).toBeDefined();
    }
  });

  it.each(PROFILES)(
    "with profile %s: a marketplace OAuth app whose callback, fetch origin and webhooks are the profile's TOLLGATE_URL",
    async (profile) => {
      const variables = (await readJson(join(PROJECT, `src/hsprofile.${profile}.json`))).variables as Record<
        string,
        string
      >;
      const base = variables[TOLLGATE_URL_VARIABLE]!;
      expect(base).toMatch(/^https:\/\/[^/]+$/);
      expect(base).not.toMatch(/example\.com/);
      const nodes = Object.values(
        (await parseProject({ profile })).intermediateRepresentation.intermediateNodesIndexedByUid,
      );
      const configOf = (type: string) => nodes.find((n) => n.componentType === type)!.config as Record<string, never>;
      const app = appHsmetaSchema.parse({ uid: "tollgate", type: "app", config: configOf("APPLICATION") });
      expect(app.config.distribution).toBe("marketplace");
      expect([...app.config.auth.requiredScopes].sort()).toEqual([...DEFAULT_HUBSPOT_SCOPES].sort());
      expect(app.config.auth.redirectUrls).toEqual([`${base}${HUBSPOT_CALLBACK_PATH}`]);
      // hubspot.fetch refuses origins not listed here; the cards call exactly this one.
      expect(app.config.permittedUrls.fetch).toEqual([base]);
      const hooks = webhooksHsmetaSchema.parse({ uid: "webhooks", type: "webhooks", config: configOf("WEBHOOKS") });
      expect(hooks.config.settings.targetUrl).toBe(`${base}/webhooks/hubspot`);
      expect(hooks.config.subscriptions.crmObjects.length).toBeLessThanOrEqual(MAX_WEBHOOK_SUBSCRIPTIONS);
    },
  );

  it("no file of the project names a fixed Tollgate URL: every URL comes from the profile", async () => {
    const { files } = await loadProject();
    for (const { rel, meta } of files) expect(JSON.stringify(meta), rel).not.toMatch(/https?:\/\/(?!\$\{)/);
  });
});

describe("the project schemas refuse what the platform refuses", () => {
  type AppMeta = { config: { auth: { type: string; redirectUrls: string[] }; permittedUrls: { fetch: string[] } } };
  const app = async () => (await readJson(join(PROJECT, "src/app/app-hsmeta.json"))) as unknown as AppMeta;

  it("a marketplace app without OAuth", async () => {
    const meta = await app();
    meta.config.auth.type = "static";
    expect(appHsmetaSchema.safeParse(meta).error?.issues.map((i) => i.message)).toContain(
      "marketplace distribution requires auth.type oauth",
    );
  });

  it("a plain-http redirect or fetch URL", async () => {
    const meta = await app();
    meta.config.auth.redirectUrls = ["http://tollgate.example.com/cb"];
    meta.config.permittedUrls.fetch = ["http://tollgate.example.com"];
    const paths = appHsmetaSchema.safeParse(meta).error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["config.auth.redirectUrls.0", "config.permittedUrls.fetch.0"]));
  });

  it("a card in an unknown location, or with an entrypoint outside app/cards", () => {
    const card = {
      uid: "c",
      type: "card",
      config: { name: "C", location: "crm.record.footer", entrypoint: "/app/cards/C.tsx", objectTypes: ["contacts"] },
    };
    expect(cardHsmetaSchema.safeParse(card).success).toBe(false);
    expect(
      cardHsmetaSchema.safeParse({
        ...card,
        config: { ...card.config, location: "crm.record.tab", entrypoint: "/app/C.tsx" },
      }).success,
    ).toBe(false);
    expect(
      cardHsmetaSchema.safeParse({ ...card, config: { ...card.config, location: "crm.record.tab" } }).success,
    ).toBe(true);
  });

  it("a bad uid", () => {
    const card = {
      uid: "my card!",
      type: "card",
      config: { name: "C", location: "crm.record.tab", entrypoint: "/app/cards/C.tsx", objectTypes: ["contacts"] },
    };
    expect(cardHsmetaSchema.safeParse(card).success).toBe(false);
  });

  it("more than 1,000 webhook subscriptions, duplicates, and a propertyChange without a property", () => {
    const hooks = (crmObjects: unknown[]) => ({
      uid: "webhooks",
      type: "webhooks",
      config: {
        settings: { targetUrl: "https://tollgate.example.com/webhooks/hubspot", maxConcurrentRequests: 10 },
        subscriptions: { crmObjects },
      },
    });
    const many = Array.from({ length: MAX_WEBHOOK_SUBSCRIPTIONS + 1 }, (_, i) => ({
      subscriptionType: "object.propertyChange",
      objectType: "contact",
      propertyName: `p${i}`,
      active: true,
    }));
    expect(webhooksHsmetaSchema.safeParse(hooks(many)).success).toBe(false);
    expect(webhooksHsmetaSchema.safeParse(hooks(many.slice(0, MAX_WEBHOOK_SUBSCRIPTIONS))).success).toBe(true);
    expect(webhooksHsmetaSchema.safeParse(hooks([many[0], many[0]])).success).toBe(false);
    expect(
      webhooksHsmetaSchema.safeParse(
        hooks([{ subscriptionType: "object.propertyChange", objectType: "contact", active: true }]),
      ).success,
    ).toBe(false);
    expect(
      webhooksHsmetaSchema.safeParse(
        hooks([{ subscriptionType: "contact.propertyChange", objectType: "contact", active: true }]),
      ).success,
    ).toBe(false);
  });
});
