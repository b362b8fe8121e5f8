/**
 * Writes the HubSpot project's webhooks component, `src/app/webhooks/webhooks-hsmeta.json`, from
 * the policy. HubSpot only reports changes to what the app subscribes to (one subscription per
 * object and property, at most 1,000), so the subscriptions must follow the policy: every field it
 * names at any tier, the shadow and provenance fields, and the revenue-critical defaults
 * (docs/architecture.md#the-flow). Nobody edits the file by hand; `test/crm-app/webhooks-hsmeta.test.ts` fails when
 * the committed file no longer matches what this script would write.
 *
 * HubSpot refuses a subscription to a property an object does not have, so only properties that
 * exist are subscribed: HubSpot's standard ones, Tollgate's own, and with `--from-portal` the
 * portal's custom properties (read with `HUBSPOT_ACCESS_TOKEN` from `HUBSPOT_API_BASE_URL`).
 * Policy fields left out are printed. The file carries only the keys HubSpot's project parser
 * knows (`uid`, `type`, `config`): that it is generated is said in crm-app/README.md.
 *
 * Usage (from the repository root):
 *   npm run hubspot:webhooks
 *   npm run hubspot:webhooks -- --policy manifests/policy.yaml --from-portal
 *   npm run hubspot:webhooks -- --target-url https://tollgate.acme.com/webhooks/hubspot
 *   npm run hubspot:webhooks -- --check      # exit 1 when the committed file is stale
 */
import { readFile, writeFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { HUBSPOT_OBJECTS, type PolicyObject } from "../../../shared/index.js";
import type { CrmConnector } from "../../../server/src/crm/index.js";
import { createHubSpotConnector } from "../../../server/src/crm/hubspot/index.js";
import {
  listProvisionedObjects,
  planWebhookCoverage,
  renderWebhooksHsmeta,
  type PortalProperties,
  type SkippedField,
} from "../../../server/src/install/index.js";
import { listGovernedFields, loadPolicyFile } from "../../../server/src/policy/index.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Where HubSpot posts events: `<TOLLGATE_PUBLIC_URL>/webhooks/hubspot`, with the base URL taken
 * from the upload's profile (`src/hsprofile.<name>.json` `TOLLGATE_URL`).
 */
export const DEFAULT_TARGET_URL = "${TOLLGATE_URL}/webhooks/hubspot";
/** The shipped policy, relative to the repository root. */
export const DEFAULT_POLICY_PATH = "manifests/policy.yaml";
export const WEBHOOKS_HSMETA_PATH = resolve(REPO_ROOT, "crm-app/hubspot/src/app/webhooks/webhooks-hsmeta.json");

export interface GenerateWebhooksOptions {
  /** Absolute URL HubSpot posts batches to. @defaultValue {@link DEFAULT_TARGET_URL} */
  targetUrl?: string;
  /** Policy YAML, absolute or relative to the repository root. @defaultValue {@link DEFAULT_POLICY_PATH} */
  policyPath?: string;
  /** Properties the portal has beyond HubSpot's standard ones (see {@link readPortalProperties}). */
  portalProperties?: PortalProperties;
}

/**
 * The text of `webhooks-hsmeta.json` for a policy: the component rendered by the server's
 * `renderWebhooksHsmeta`, two-space indented, with a final newline, and the policy fields left
 * out because their object lacks them.
 * @throws PolicyValidationError for a bad policy; ValidationError / WebhookSubscriptionCapError from the renderer.
 */
export async function generateWebhooksHsmeta(
  options: GenerateWebhooksOptions = {},
): Promise<{ text: string; skipped: SkippedField[] }> {
  const policyPath = resolve(REPO_ROOT, options.policyPath ?? DEFAULT_POLICY_PATH);
  const governedFields = listGovernedFields(await loadPolicyFile(policyPath));
  const hsmeta = renderWebhooksHsmeta({
    targetUrl: options.targetUrl ?? DEFAULT_TARGET_URL,
    governedFields,
    portalProperties: options.portalProperties,
  });
  const { skipped } = planWebhookCoverage(governedFields, { portalProperties: options.portalProperties });
  return { text: `${JSON.stringify(hsmeta, null, 2)}\n`, skipped };
}

/** The names of every property the portal has on each object the policy governs. */
export async function readPortalProperties(
  connector: Pick<CrmConnector, "listProperties">,
  objects: readonly PolicyObject[],
): Promise<PortalProperties> {
  const out: PortalProperties = {};
  for (const object of objects) {
    const name = HUBSPOT_OBJECTS[object]?.name;
    if (name) out[object] = (await connector.listProperties(name)).map((p) => p.name);
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "target-url": { type: "string" },
      policy: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean", default: false },
      "from-portal": { type: "boolean", default: false },
    },
  });
  const cwd = process.cwd();
  const policyPath = values.policy === undefined ? undefined : resolve(cwd, values.policy);
  let portalProperties: PortalProperties | undefined;
  if (values["from-portal"]) {
    const accessToken = process.env.HUBSPOT_ACCESS_TOKEN;
    if (!accessToken) throw new Error("--from-portal reads the portal's properties: set HUBSPOT_ACCESS_TOKEN");
    const connector = createHubSpotConnector({
      accessToken,
      portalId: process.env.HUBSPOT_PORTAL_ID ?? "0",
      ...(process.env.HUBSPOT_API_BASE_URL ? { baseUrl: process.env.HUBSPOT_API_BASE_URL } : {}),
    });
    const policy = await loadPolicyFile(resolve(REPO_ROOT, policyPath ?? DEFAULT_POLICY_PATH));
    const objects = listProvisionedObjects(listGovernedFields(policy)).map((o) => o.object);
    portalProperties = await readPortalProperties(connector, objects);
  }
  const { text, skipped } = await generateWebhooksHsmeta({
    targetUrl: values["target-url"],
    policyPath,
    portalProperties,
  });
  for (const s of skipped)
    console.error(`skipped ${s.object}.${s.field}: HubSpot's ${s.object} object has no such property`);
  const out = values.out === undefined ? WEBHOOKS_HSMETA_PATH : resolve(cwd, values.out);
  const count = (JSON.parse(text) as { config: { subscriptions: { crmObjects: unknown[] } } }).config.subscriptions
    .crmObjects.length;

  if (values.check) {
    const current = await readFile(out, "utf8").catch(() => "");
    if (current !== text) {
      console.error(`${relative(cwd, out)} is stale: run npm run hubspot:webhooks`);
      return 1;
    }
    console.log(`${relative(cwd, out)} is up to date (${count} subscriptions)`);
    return 0;
  }
  await writeFile(out, text);
  console.log(`wrote ${relative(cwd, out)} (${count} subscriptions)`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
