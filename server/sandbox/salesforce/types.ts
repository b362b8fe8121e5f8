import type { JwtBearerConfig } from "./auth-routes.js";
import type { ChangeEventHeader } from "./change-event-log.js";
import type { SandboxUser } from "./org-users.js";
import type { SandboxRow, SandboxValue } from "./record-store.js";

export interface SalesforceSandboxOptions {
  /** @defaultValue "00D5g000004XyZaEAK" */
  orgId?: string | undefined;
  /** @defaultValue "62.0" */
  apiVersion?: string | undefined;
  /** @defaultValue 0 (any free port) */
  port?: number | undefined;
  /** @defaultValue "127.0.0.1" */
  host?: string | undefined;
  /** The org's daily API allocation. @defaultValue 1,000,000 */
  dailyApiLimit?: number | undefined;
  /**
   * Objects whose changes CDC publishes from the start (more through `PlatformEventChannelMember`). @defaultValue Lead,
   * Contact, Account, Opportunity, Task
   */
  cdcObjects?: string[] | undefined;
  /** CDC events kept for replay at most. @defaultValue 100,000 */
  retainEvents?: number | undefined;
  /**
   * How long a CDC event is kept for replay (Salesforce: 72 hours); a subscribe asking to resume
   * after an event older than this is refused (`400::The replayId {…} you provided was invalid…`).
   * @defaultValue 259,200,000 (72 hours)
   */
  retainEventsMs?: number | undefined;
  /** How long a CometD `/meta/connect` is held when there is nothing to send. @defaultValue 10,000 */
  longPollMs?: number | undefined;
  /** Accept the JWT bearer grant for this connected app. */
  jwt?: JwtBearerConfig | undefined;
}

export interface SalesforceSandbox {
  url: string;
  orgId: string;
  apiVersion: string;
  /** The user `seed` writes as. */
  admin: SandboxUser;
  users: {
    /** A user; `id` fixes its 18-character id (so a policy can name it). */
    create(name: string, username?: string, id?: string): SandboxUser;
    /** A new session token: API calls with it are that user's. */
    token(userId: string): string;
    /** `UserLogin.IsFrozen`: a frozen user's calls are refused. */
    freeze(userId: string, frozen?: boolean): void;
    isFrozen(userId: string): boolean;
    /** "Manage Users" (the admin has it): needed to freeze or unfreeze others through `UserLogin`. */
    grantManageUsers(userId: string): void;
    assignPermissionSet(userId: string, permissionSetName: string): void;
  };
  /** Creates records as the admin, publishing no change events; returns their ids in order. */
  seed(objectType: string, rows: Record<string, SandboxValue>[]): string[];
  /** A change by `userId` (a person in the UI, or an agent), published over CDC like any API write. */
  write(objectType: string, id: string, fields: Record<string, SandboxValue>, userId: string, client?: string): void;
  getRecord(objectType: string, id: string): SandboxRow | undefined;
  /** The Tasks linked to a record (`WhoId` or `WhatId`), oldest first. */
  tasksOf(recordId: string): SandboxRow[];
  /** Field history rows of one field, newest first. */
  history(objectType: string, id: string, field: string): SandboxRow[];
  fields(objectType: string): string[];
  permissionSets(): Map<
    string,
    { label: string; fieldPermissions: { field: string; readable: string; editable: string }[] }
  >;
  cdcObjects(): string[];
  limits: {
    /** Sets the daily allocation (and optionally what is used of it). */
    set(limit: number, used?: number): void;
    usage(): { used: number; limit: number };
    /** The next `n` REST calls fail with 503 `SERVER_UNAVAILABLE`. */
    failNext(n: number): void;
    /** While on, every REST write fails with 503 `SERVER_UNAVAILABLE` (reads still answer). */
    failWrites(on: boolean): void;
  };
  streaming: {
    /** Forgets every CometD client: they must handshake and subscribe again (a dropped stream). */
    dropClients(): void;
    /** Publishes any event (gap, overflow); returns its replay id. */
    publish(header: ChangeEventHeader, fields?: Record<string, unknown>): number;
    /** Retention passes: every retained event is gone; replaying from an old id is refused. */
    expireRetained(): void;
    latestReplayId(): number;
    handshakes(): number;
    clients(): number;
    /** `/meta/connect` requests held open, waiting for an event. */
    heldConnects(): number;
    /** While on, changes publish no CDC event (lost events, for reconciliation tests). */
    withhold(on?: boolean): void;
  };
  /** REST calls by `METHOD path`, and the allocation used. */
  stats(): { calls: Record<string, number>; apiUsed: number; longestUrl: number };
  /** Ends every session (tokens expire): clients must get new ones. */
  revokeTokens(): void;
  close(): Promise<void>;
}
