/**
 * Runs HubSpot's own project parser, `@hubspot/project-parsing-lib` `translate` — what
 * `hs project upload` and `hs project validate` run before anything reaches HubSpot — over a
 * project folder, offline.
 *
 * Everything `translate` does is local (finding `*-hsmeta.json`, JSON parsing, the allowed
 * top-level keys, each component's directory, uid rules, duplicate singular components, profile
 * variables) except one call: `validateIntermediateRepresentation` fetches the per-component
 * JSON schemas with `GET https://api.hubapi.com/project-components-external/project-schemas/v3/<platformVersion>`
 * through `@hubspot/local-dev-lib`'s authenticated `http.get(accountId, …)`. That call is
 * answered here, at the HTTP boundary (nock), with the config schemas of
 * `hubspot-project-schema.ts`; the account comes from local-dev-lib's environment config.
 */
import { join } from "node:path";
import { translate } from "@hubspot/project-parsing-lib/translate";
import nock from "nock";
import { getIntermediateRepresentationSchemas } from "./hubspot-project-schema.js";

export const PROJECT_DIR = "crm-app/hubspot";
export const PLATFORM_VERSION = "2025.2";
/** The shipped profiles (`src/hsprofile.<name>.json`). */
export const PROFILES = ["local", "staging", "production"] as const;
/** A developer account id for local-dev-lib's environment config; nothing is sent to it. */
const ACCOUNT_ID = 123456;

const ENV = {
  USE_ENVIRONMENT_HUBSPOT_CONFIG: "true",
  HUBSPOT_ACCOUNT_ID: String(ACCOUNT_ID),
  HUBSPOT_API_KEY: "parse-project-test-key",
  HUBSPOT_PERSONAL_ACCESS_KEY: undefined,
  HUBSPOT_CLIENT_ID: undefined,
  HUBSPOT_CLIENT_SECRET: undefined,
  HUBSPOT_REFRESH_TOKEN: undefined,
  HUBSPOT_ENVIRONMENT: undefined,
  HUBAPI_DOMAIN_OVERRIDE: undefined,
} as const;

export type ParsedProject = Awaited<ReturnType<typeof translate>>;

/**
 * `translate(…)` with validation on, for `projectDir` (default: the committed project) and an
 * optional profile (`src/hsprofile.<profile>.json`). Rejects with project-parsing-lib's
 * `TranslationError` (its `toString()` lists every file's errors).
 */
export async function parseProject(options: { projectDir?: string; profile?: string } = {}): Promise<ParsedProject> {
  const saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(ENV)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  nock("https://api.hubapi.com")
    .get(`/project-components-external/project-schemas/v3/${PLATFORM_VERSION}`)
    .query(true)
    .reply(200, getIntermediateRepresentationSchemas());
  try {
    return await translate(
      {
        projectSourceDir: join(options.projectDir ?? PROJECT_DIR, "src"),
        platformVersion: PLATFORM_VERSION,
        accountId: ACCOUNT_ID,
      },
      { skipValidation: false, ...(options.profile ? { profile: options.profile } : {}) },
    );
  } finally {
    nock.cleanAll();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
