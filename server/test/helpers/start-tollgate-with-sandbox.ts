import {
  startLocalStack,
  LOCAL_PORTAL_ID,
  LOCAL_TOLLGATE_APP_ID,
  POLICY_AGENTS,
  type LocalStack,
  type LocalStackOptions,
} from "../../sandbox/demo/start-local-stack.js";
import { HUBSPOT_TEST_CLIENT_SECRET } from "../../../test/fixtures/index.js";
import { TEST_REDIS_URL, createTestDatabase, testPrefix, type TestDatabase } from "./test-database.js";

export const TOLLGATE_APP_ID = LOCAL_TOLLGATE_APP_ID;
export const PORTAL_ID = LOCAL_PORTAL_ID;
export { POLICY_AGENTS };

export interface Harness extends LocalStack {
  t: TestDatabase;
  /** The Redis namespace of this Tollgate (another process joins it with the same prefix). */
  prefix: string;
}

/**
 * A real Tollgate (real PostgreSQL schema, real Redis under its own prefix) in private-app mode
 * against the HubSpot sandbox, which sends it signed webhooks exactly as HubSpot would.
 */
export async function startTollgateWithSandbox(
  options: {
    env?: Record<string, string>;
    sandbox?: LocalStackOptions["sandbox"];
    policyYaml?: string;
    beforeStart?: LocalStackOptions["beforeStart"];
    /** Also a Salesforce org (the sandbox). */
    salesforce?: LocalStackOptions["salesforce"];
    /** Tollgate's logger (to read what it logs). @defaultValue silent */
    logger?: LocalStackOptions["logger"];
  } = {},
): Promise<Harness> {
  const t = await createTestDatabase({ poolSize: 10 });
  const prefix = testPrefix("e2e");
  const stack = await startLocalStack({
    db: t.db,
    prefix,
    redisUrl: TEST_REDIS_URL,
    clientSecret: HUBSPOT_TEST_CLIENT_SECRET,
    ...(options.env ? { env: options.env } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.policyYaml ? { policyYaml: options.policyYaml } : {}),
    ...(options.beforeStart ? { beforeStart: options.beforeStart } : {}),
    ...(options.salesforce ? { salesforce: options.salesforce } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    ...stack,
    t,
    prefix,
    async close() {
      await stack.close();
      await t.drop();
    },
  };
}

type StartedStack = Parameters<NonNullable<LocalStackOptions["beforeStart"]>>[0];

/**
 * Defines a contact property the portal marks Sensitive Data (`dataSensitivity: sensitive`), as
 * HubSpot's properties API would; call it in `beforeStart`, since Tollgate reads and caches the
 * portal's definitions at start. Resolves with the API's status (201 when created).
 */
export async function defineSensitiveContactProperty(
  started: StartedStack,
  property: { name: string; label: string },
): Promise<number> {
  const created = await fetch(`${started.sandbox.url}/crm/v3/properties/contacts`, {
    method: "POST",
    headers: { authorization: `Bearer ${started.tollgateToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      ...property,
      type: "string",
      fieldType: "text",
      groupName: "contactinformation",
      dataSensitivity: "sensitive",
    }),
  });
  return created.status;
}
