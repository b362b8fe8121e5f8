/**
 * The HubSpot project files' shapes (platform 2025.2).
 *
 * HubSpot's own parser, `@hubspot/project-parsing-lib`, runs offline in `parse-project.ts`
 * (file discovery, JSON, top-level keys, directories, uids, duplicates, profile variables) except
 * for one step: `validateIntermediateRepresentation` downloads the per-component JSON schemas
 * from `GET https://api.hubapi.com/project-components-external/project-schemas/v3/<platformVersion>`
 * with an account's credentials. The config schemas below are served to it in their place (as
 * JSON Schema, `z.toJSONSchema`). They are written from:
 * - `HubSpot/hubspot-project-components` `2025.2/components/{app/oauth-marketplace,cards,webhooks}` (shapes);
 * - the app-card reference (locations) and the webhooks guide (subscription types, 1,000 cap),
 *   as HubSpot documents them
 *   (https://developers.hubspot.com/docs/apps/developer-platform/add-features/configure-webhooks,
 *   /docs/api/working-with-oauth, /docs/apps/developer-platform/add-features/ui-extensibility/app-cards/reference);
 * - project-parsing-lib's offline rules: uid `^[a-zA-Z0-9_\-.]+$` of at most 64 characters
 *   (`src/lib/uid.js`), the directory each component type must live in, and which types are
 *   singular (`src/lib/constants.js` `Components`).
 */
import { z } from "zod";

export const PLATFORM_VERSIONS = ["2025.2", "2026.03"] as const;
export const CARD_LOCATIONS = ["crm.record.tab", "crm.record.sidebar", "crm.preview", "helpdesk.sidebar"] as const;
/** Generic `object.*` subscriptions of a project webhooks component. */
export const CRM_OBJECT_SUBSCRIPTION_TYPES = [
  "object.creation",
  "object.deletion",
  "object.merge",
  "object.restore",
  "object.propertyChange",
  "object.associationChange",
] as const;
export const MAX_WEBHOOK_SUBSCRIPTIONS = 1000;

/** Where project-parsing-lib expects each component type, relative to `srcDir`; `singular` ones may appear once. */
export const COMPONENT_DIRS: Record<string, { dir: string; singular: boolean }> = {
  app: { dir: "app", singular: true },
  card: { dir: "app/cards", singular: false },
  webhooks: { dir: "app/webhooks", singular: true },
  page: { dir: "app/pages", singular: false },
  pages: { dir: "app/pages", singular: true },
  settings: { dir: "app/settings", singular: true },
};

const uid = z
  .string()
  .regex(/^[a-zA-Z0-9_\-.]+$/, "uid: letters, digits, _ - . only")
  .max(64);
const httpsUrl = z.url({ protocol: /^https$/ });

export const hsprojectSchema = z
  .object({
    name: z.string().min(1),
    srcDir: z.string().min(1),
    platformVersion: z.enum(PLATFORM_VERSIONS),
  })
  .strict();

export const appConfigSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().min(1),
    distribution: z.enum(["private", "marketplace"]),
    auth: z
      .object({
        type: z.enum(["oauth", "static"]),
        // OAuth redirect URIs must be https except for localhost (HubSpot OAuth docs).
        redirectUrls: z.array(z.url()).default([]),
        requiredScopes: z.array(z.string().min(1)).min(1),
        optionalScopes: z.array(z.string().min(1)).default([]),
        conditionallyRequiredScopes: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    permittedUrls: z
      .object({
        // hubspot.fetch: https only, never localhost (HubSpot hubspot.fetch docs).
        fetch: z.array(
          httpsUrl.refine(
            (u) => !/^https:\/\/(localhost|127\.0\.0\.1)([:/]|$)/.test(u),
            "fetch URLs cannot be localhost",
          ),
        ),
        iframe: z.array(httpsUrl),
        img: z.array(httpsUrl),
      })
      .strict(),
    support: z
      .object({
        supportEmail: z.email(),
        documentationUrl: httpsUrl,
        supportUrl: httpsUrl,
        supportPhone: z.string().optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.distribution === "marketplace" && config.auth.type !== "oauth") {
      ctx.addIssue({
        code: "custom",
        path: ["auth", "type"],
        message: "marketplace distribution requires auth.type oauth",
      });
    }
    if (config.auth.type === "oauth") {
      if (config.auth.redirectUrls.length === 0)
        ctx.addIssue({ code: "custom", path: ["auth", "redirectUrls"], message: "oauth needs a redirect URL" });
      config.auth.redirectUrls.forEach((url, i) => {
        const u = new URL(url);
        if (u.protocol !== "https:" && u.hostname !== "localhost") {
          ctx.addIssue({
            code: "custom",
            path: ["auth", "redirectUrls", i],
            message: "redirect URLs must be https (http only for localhost)",
          });
        }
      });
    }
  });

export const appHsmetaSchema = z.object({ uid, type: z.literal("app"), config: appConfigSchema }).strict();

export const cardConfigSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    location: z.enum(CARD_LOCATIONS),
    entrypoint: z.string().regex(/^\/app\/cards\/.+\.(tsx|jsx)$/, "entrypoint: /app/cards/<file>.tsx|jsx"),
    objectTypes: z.array(z.string().min(1)).min(1),
  })
  .strict();
export const cardHsmetaSchema = z.object({ uid, type: z.literal("card"), config: cardConfigSchema }).strict();

/**
 * App pages (`type: pages`, `{entrypoint}`: HubSpot's app-pages reference,
 * https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensions/extension-points/app-pages/reference)
 * and the older app home page (`type: page`, `location: home`), per `2025.2/components/pages`;
 * the parser maps both to `PAGE`.
 */
export const pageConfigSchema = z
  .object({
    entrypoint: z.string().regex(/^\/app\/pages\/.+\.(tsx|jsx)$/, "entrypoint: /app/pages/<file>.tsx|jsx"),
    location: z.enum(["home", "pages"]).optional(),
  })
  .strict();
export const pagesHsmetaSchema = z.object({ uid, type: z.literal("pages"), config: pageConfigSchema }).strict();
/** The app settings page, per `2025.2/components/settings`. */
export const settingsConfigSchema = z
  .object({
    entrypoint: z.string().regex(/^\/app\/settings\/.+\.(tsx|jsx)$/, "entrypoint: /app/settings/<file>.tsx|jsx"),
  })
  .strict();
export const settingsHsmetaSchema = z
  .object({ uid, type: z.literal("settings"), config: settingsConfigSchema })
  .strict();

const crmObjectSubscription = z
  .object({
    subscriptionType: z.enum(CRM_OBJECT_SUBSCRIPTION_TYPES),
    objectType: z.string().min(1),
    propertyName: z.string().min(1).optional(),
    active: z.boolean(),
  })
  .strict()
  .refine((s) => (s.subscriptionType === "object.propertyChange") === (s.propertyName !== undefined), {
    message: "propertyName is required on object.propertyChange and only there",
  });
const legacySubscription = z
  .object({
    subscriptionType: z.string().regex(/^[a-z_]+\.[a-zA-Z]+$/),
    propertyName: z.string().optional(),
    active: z.boolean(),
  })
  .strict();

export const webhooksConfigSchema = z
  .object({
    settings: z
      .object({
        targetUrl: httpsUrl,
        // The legacy settings API says "a number greater than five"; HubSpot's default is 10.
        maxConcurrentRequests: z.number().int().min(5),
      })
      .strict(),
    subscriptions: z
      .object({
        crmObjects: z.array(crmObjectSubscription).default([]),
        legacyCrmObjects: z.array(legacySubscription).default([]),
        hubEvents: z.array(legacySubscription).default([]),
      })
      .strict()
      .superRefine((subs, ctx) => {
        const total = subs.crmObjects.length + subs.legacyCrmObjects.length + subs.hubEvents.length;
        if (total > MAX_WEBHOOK_SUBSCRIPTIONS)
          ctx.addIssue({
            code: "custom",
            message: `${total} subscriptions; HubSpot allows ${MAX_WEBHOOK_SUBSCRIPTIONS} per app`,
          });
        const seen = new Set<string>();
        subs.crmObjects.forEach((s, i) => {
          const key = `${s.subscriptionType}/${s.objectType}/${s.propertyName ?? ""}`;
          if (seen.has(key))
            ctx.addIssue({ code: "custom", path: ["crmObjects", i], message: `duplicate subscription ${key}` });
          seen.add(key);
        });
      }),
  })
  .strict();
export const webhooksHsmetaSchema = z
  .object({ uid, type: z.literal("webhooks"), config: webhooksConfigSchema })
  .strict();

/** The schema for an hsmeta file's declared `type`. */
export const HSMETA_SCHEMAS: Record<string, z.ZodType> = {
  app: appHsmetaSchema,
  card: cardHsmetaSchema,
  webhooks: webhooksHsmetaSchema,
  pages: pagesHsmetaSchema,
  settings: settingsHsmetaSchema,
};

/**
 * What `project-schemas/v3/2025.2` answers, keyed by the parser's internal component types
 * (`APPLICATION`, `CARD`…; project-parsing-lib `mapToInternalType`): each config schema as JSON Schema.
 */
export function getIntermediateRepresentationSchemas(): Record<string, unknown> {
  const toJson = (schema: z.ZodType) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return {
    APPLICATION: toJson(appConfigSchema),
    CARD: toJson(cardConfigSchema),
    WEBHOOKS: toJson(webhooksConfigSchema),
    PAGE: toJson(pageConfigSchema),
    SETTINGS: toJson(settingsConfigSchema),
  };
}
