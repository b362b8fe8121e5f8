import { randomBytes } from "node:crypto";
import type { RecordStore } from "./record-store.js";

export interface SandboxUser {
  id: string;
  username: string;
  name: string;
}

/**
 * The org's users and their sessions. Every API call carries one user's token, so every change
 * is committed by that user (`commitUser`, `CreatedById` in history). A user is frozen through
 * `UserLogin.IsFrozen`, as in Salesforce; a frozen user's session is refused.
 * Tokens look like Salesforce session ids (`00D…!…`), never like JWTs (jsforce refuses JWT
 * tokens for SOAP).
 */
export class OrgUsers {
  private readonly tokens = new Map<string, string>();
  private readonly byUsername = new Map<string, SandboxUser>();
  /** Users whose profile or a permission set grants "Manage Users" (`PermissionsManageUsers`). */
  private readonly managers = new Set<string>();

  constructor(
    private readonly store: RecordStore,
    readonly orgId: string,
  ) {}

  create(
    name: string,
    username = `${name.toLowerCase().replace(/\W+/g, ".")}@sandbox.example`,
    id?: string,
  ): SandboxUser {
    const existing = this.byUsername.get(username);
    if (existing) return existing;
    const { row } = this.store.create("User", {}, "", id);
    Object.assign(row, {
      Username: username,
      Name: name,
      IsActive: true,
      CreatedById: row.Id,
      LastModifiedById: row.Id,
    });
    this.store.create("UserLogin", { UserId: row.Id, IsFrozen: false }, row.Id);
    const user = { id: row.Id, username, name };
    this.byUsername.set(username, user);
    return user;
  }

  findByUsername(username: string): SandboxUser | undefined {
    return this.byUsername.get(username);
  }

  /** A new session token for the user. */
  issue(userId: string): string {
    const token = `${this.orgId}!${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, userId);
    return token;
  }

  revokeAll(): void {
    this.tokens.clear();
  }

  /** The user of an `Authorization: Bearer|OAuth <token>` header, if the session is valid and the user not frozen. */
  authenticate(authorization: string | undefined): string | undefined {
    const token = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const userId = token ? this.tokens.get(token) : undefined;
    return userId && !this.isFrozen(userId) ? userId : undefined;
  }

  /** Grants "Manage Users": freezing and unfreezing others (`UserLogin`) needs it. */
  grantManageUsers(userId: string): void {
    this.managers.add(userId);
  }

  canManageUsers(userId: string): boolean {
    return this.managers.has(userId);
  }

  isFrozen(userId: string): boolean {
    return [...this.store.table("UserLogin").values()].some((l) => l.UserId === userId && l.IsFrozen === true);
  }

  setFrozen(userId: string, frozen: boolean): void {
    for (const login of this.store.table("UserLogin").values()) if (login.UserId === userId) login.IsFrozen = frozen;
  }
}
