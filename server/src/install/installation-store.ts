import type { CrmName } from "../../../shared/index.js";
import type { Sql } from "../db/index.js";
import { loadSql } from "./load-sql.js";
import type { AuthMode, Installation, InstallationStatus } from "./types.js";

/** An `installations` row as stored: tokens are ciphertexts. */
export interface InstallationRow {
  tenant_id: string;
  crm: CrmName;
  auth_mode: AuthMode;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  expires_at: Date | string | null;
  scopes: string[] | null;
  hub_domain: string | null;
  app_id: string | null;
  installed_by: string | null;
  installed_at: Date | string;
  uninstalled_at: Date | string | null;
  status: InstallationStatus;
  token_version: number;
}

export interface InstallationWrite {
  tenantId: string;
  crm: CrmName;
  authMode: AuthMode;
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  expiresAt: Date | null;
  scopes: readonly string[];
  hubDomain: string | undefined;
  appId: string | undefined;
  installedBy: string | undefined;
  now: Date;
}

export async function upsertInstallation(db: Sql, w: InstallationWrite): Promise<InstallationRow> {
  await db.query(loadSql("insert-tenant"), [w.tenantId, w.crm]);
  const { rows } = await db.query<InstallationRow>(loadSql("upsert-installation"), [
    w.tenantId,
    w.crm,
    w.authMode,
    w.accessTokenEnc,
    w.refreshTokenEnc,
    w.expiresAt,
    [...w.scopes],
    w.hubDomain ?? null,
    w.appId ?? null,
    w.installedBy ?? null,
    w.now,
  ]);
  return rows[0]!;
}

export async function selectInstallation(db: Sql, tenantId: string): Promise<InstallationRow | undefined> {
  const { rows } = await db.query<InstallationRow>(loadSql("select-installation"), [tenantId]);
  return rows[0];
}

/** @returns the updated row, or undefined when `tokenVersion` is stale (someone else won). */
export async function updateInstallationTokens(
  db: Sql,
  u: {
    tenantId: string;
    tokenVersion: number;
    accessTokenEnc: string;
    refreshTokenEnc: string;
    expiresAt: Date;
    scopes: readonly string[] | undefined;
    now: Date;
  },
): Promise<InstallationRow | undefined> {
  const { rows } = await db.query<InstallationRow>(loadSql("update-installation-tokens"), [
    u.tenantId,
    u.tokenVersion,
    u.accessTokenEnc,
    u.refreshTokenEnc,
    u.expiresAt,
    u.scopes ? [...u.scopes] : null,
    u.now,
  ]);
  return rows[0];
}

export async function markReauthRequired(db: Sql, tenantId: string, tokenVersion: number, now: Date): Promise<void> {
  await db.query(loadSql("mark-reauth-required"), [tenantId, tokenVersion, now]);
}

export async function uninstallInstallation(
  db: Sql,
  tenantId: string,
  now: Date,
): Promise<InstallationRow | undefined> {
  const { rows } = await db.query<InstallationRow>(loadSql("uninstall-installation"), [tenantId, now]);
  return rows[0];
}

/** The public view of a row: no tokens. */
export function toInstallation(row: InstallationRow): Installation {
  return {
    tenantId: row.tenant_id,
    crm: row.crm,
    authMode: row.auth_mode,
    status: row.status,
    scopes: row.scopes ?? [],
    hubDomain: row.hub_domain ?? undefined,
    appId: row.app_id ?? undefined,
    installedBy: row.installed_by ?? undefined,
    installedAt: toDate(row.installed_at),
    uninstalledAt: row.uninstalled_at === null ? undefined : toDate(row.uninstalled_at),
    expiresAt: row.expires_at === null ? undefined : toDate(row.expires_at),
  };
}

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
