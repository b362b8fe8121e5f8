import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { AuditActor, AuditEventInput } from "../../../shared/index.js";
import type { Database, Sql } from "../db/index.js";
import { diffManifests } from "./diff-manifests.js";
import { loadPolicy } from "./load.js";
import type { CompiledPolicy } from "./types.js";

/** The policy a tenant runs under, and where it came from. */
export interface ActivePolicy {
  compiled: CompiledPolicy;
  yaml: string;
  version: string;
  source: "file" | "stored";
  updatedAt: string;
  updatedBy: string;
}

export interface PolicyRegistry {
  /** The tenant's active policy, or the shipped default when it has none of its own. */
  current(tenantId: string): ActivePolicy;
  /**
   * Validates `yaml`, stores it as a new version, makes it active and audits the change with
   * who and a diff summary — all in one transaction.
   * @throws PolicyValidationError (every problem with its line); nothing changes.
   */
  replace(tenantId: string, yaml: string, actor: AuditActor): Promise<{ policy: ActivePolicy; diffSummary: string }>;
  /** Re-reads the active versions (another process may have replaced one). */
  refresh(): Promise<void>;
  /** Called with the tenant whenever its active policy changes (a `replace` here, or one a `refresh` finds). */
  onChange(listener: (tenantId: string) => void): void;
}

interface Auditor {
  append(input: AuditEventInput, options?: { tx?: Sql }): Promise<{ event_id: string }>;
}

/**
 * Loads the default policy from `path` (refusing to start on a bad one) and each tenant's
 * stored active version from PostgreSQL. A bad upload never replaces the last good policy.
 */
export async function createPolicyRegistry(options: {
  db: Database;
  audit: Auditor;
  path: string;
  now?: () => Date;
}): Promise<PolicyRegistry> {
  const { db, audit } = options;
  const now = options.now ?? (() => new Date());
  const yaml = await readFile(options.path, "utf8");
  const fileCompiled = loadPolicy(yaml, { filename: basename(options.path) });
  const fallback: ActivePolicy = {
    compiled: fileCompiled,
    yaml,
    version: fileCompiled.version,
    source: "file",
    updatedAt: now().toISOString(),
    updatedBy: options.path,
  };
  let stored = new Map<string, ActivePolicy>();
  const listeners: ((tenantId: string) => void)[] = [];
  const changed = (tenantId: string) => {
    // A listener's failure is its own: the policy has changed either way.
    for (const listener of listeners)
      try {
        listener(tenantId);
      } catch {
        /* ignored */
      }
  };

  async function refresh() {
    const { rows } = await db.query<{ tenant_id: string; source_yaml: string; created_by: string; created_at: string }>(
      "SELECT tenant_id, source_yaml, created_by, created_at FROM policy_versions WHERE active",
    );
    const next = new Map<string, ActivePolicy>();
    for (const r of rows) {
      const previous = stored.get(r.tenant_id);
      if (previous && previous.yaml === r.source_yaml) {
        next.set(r.tenant_id, previous);
        continue;
      }
      const compiled = loadPolicy(r.source_yaml, { filename: `tenant ${r.tenant_id} policy` });
      next.set(r.tenant_id, {
        compiled,
        yaml: r.source_yaml,
        version: compiled.version,
        source: "stored",
        updatedAt: new Date(r.created_at).toISOString(),
        updatedBy: r.created_by,
      });
    }
    const before = stored;
    stored = next;
    for (const tenantId of new Set([...before.keys(), ...next.keys()]))
      if (before.get(tenantId)?.version !== next.get(tenantId)?.version) changed(tenantId);
  }
  await refresh();

  return {
    current: (tenantId) => stored.get(tenantId) ?? fallback,
    refresh,
    onChange: (listener) => void listeners.push(listener),
    async replace(tenantId, newYaml, actor) {
      const compiled = loadPolicy(newYaml, { filename: "uploaded policy" });
      const before = stored.get(tenantId) ?? fallback;
      const { summary } = diffManifests(before.compiled.manifest, compiled.manifest);
      const at = now();
      await db.transaction(async (tx) => {
        await tx.query("UPDATE policy_versions SET active = false WHERE tenant_id = $1 AND active", [tenantId]);
        await tx.query(
          `INSERT INTO policy_versions (tenant_id, version, source_yaml, created_by, created_at, active) VALUES ($1, $2, $3, $4, $5, true)
           ON CONFLICT (tenant_id, version) DO UPDATE SET active = true, source_yaml = EXCLUDED.source_yaml, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
          [tenantId, compiled.version, newYaml, actor.id, at.toISOString()],
        );
        await audit.append(
          {
            tenant_id: tenantId,
            occurred_at: at.toISOString(),
            actor,
            action: "policy_change",
            diff_summary: summary,
            field_diffs: [{ field: "policy.version", before: before.version, after: compiled.version }],
            decision: { outcome: "allow", tier: null, rule_id: "policy.admin", policy_version: compiled.version },
            reason: `policy replaced by ${actor.id}`,
          },
          { tx },
        );
      });
      const policy: ActivePolicy = {
        compiled,
        yaml: newYaml,
        version: compiled.version,
        source: "stored",
        updatedAt: at.toISOString(),
        updatedBy: actor.id,
      };
      stored = new Map(stored).set(tenantId, policy);
      changed(tenantId);
      return { policy, diffSummary: summary };
    },
  };
}
