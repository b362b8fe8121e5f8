import { randomBytes } from "node:crypto";
import {
  DRILL_AGENTS,
  DRILL_CRMS,
  drillPolicyYaml,
  type DrillContext,
  type DrillIdentity,
} from "../../src/drills/index.js";
import { startLocalStack, type LocalStack, type LocalStackOptions } from "./start-local-stack.js";

const HUMANS = ["owner", "auditor", "approver", "operator"] as const;

export interface DrillStack {
  ctx: DrillContext;
  stack: LocalStack;
  close(): Promise<void>;
}

/**
 * The local HubSpot sandbox and a real Tollgate under the drill policy, with one fresh API key per
 * person and agent the drills act as, and the sandbox behind `DrillContext` (docs/operations.md "Drills").
 */
export async function startDrillStack(
  options: Pick<LocalStackOptions, "databaseUrl" | "redisUrl" | "db" | "prefix"> & { policyYaml?: string } = {},
): Promise<DrillStack> {
  const { keys, apiKeysEnv } = drillKeys();
  const stack = await startLocalStack({
    ...options,
    policyYaml: options.policyYaml ?? drillPolicyYaml(),
    agents: DRILL_AGENTS.map((a) => ({ id: a.id, appId: a.appId })),
    env: { TOLLGATE_API_KEYS: apiKeysEnv },
  });
  const { sandbox } = stack.started;
  const appOf = new Map<string, number>(DRILL_AGENTS.map((a) => [a.id, a.appId]));
  const ctx: DrillContext = {
    tenantId: stack.tenantId,
    crm: DRILL_CRMS.hubspot,
    call: callAs(stack.baseUrl, keys),
    async agentWrites(agentId, objectType, objectId, properties) {
      sandbox.write(objectType, objectId, properties, { kind: "app", appId: String(appOf.get(agentId) ?? 0) });
    },
    settle: () => stack.settle(),
    async readRecord(objectType, objectId) {
      return { ...sandbox.getRecord(objectType, objectId)?.properties };
    },
    async seedRecords(objectType, records) {
      return sandbox
        .seed(
          objectType,
          records.map((properties) => ({ properties })),
        )
        .map((r) => r.id);
    },
  };
  return { ctx, stack, close: () => stack.close() };
}

/**
 * One fresh API key per person and agent the drills act as, and `TOLLGATE_API_KEYS` naming them;
 * with `tenantId` every key is bound to that tenant (a Salesforce org is no default tenant).
 */
export function drillKeys(tenantId?: string): { keys: Map<DrillIdentity, string>; apiKeysEnv: string } {
  const key = () => randomBytes(24).toString("hex");
  const keys = new Map<DrillIdentity, string>([
    ...HUMANS.map((role) => [role, key()] as [DrillIdentity, string]),
    ...DRILL_AGENTS.map((a) => [`agent:${a.id}`, key()] as [DrillIdentity, string]),
  ]);
  const bound = tenantId ? { tenantId } : {};
  const apiKeysEnv = JSON.stringify([
    ...HUMANS.map((role) => ({ key: keys.get(role), role, name: `drill-${role}`, ...bound })),
    ...DRILL_AGENTS.map((a) => ({ key: keys.get(`agent:${a.id}`), role: "agent", agentId: a.id, ...bound })),
  ]);
  return { keys, apiKeysEnv };
}

/** Tollgate's HTTP API at `baseUrl`, as one of the drill's identities. */
export function callAs(baseUrl: string, keys: ReadonlyMap<DrillIdentity, string>): DrillContext["call"] {
  return async (as, method, path, body) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${keys.get(as) ?? "unknown"}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}
