import type { Route } from "./sandbox-context.js";
import { SandboxApiError } from "./sandbox-api-error.js";
import type { SandboxUser } from "./types.js";

const toPublicUser = (user: SandboxUser) => ({
  id: user.id,
  email: user.email,
  roleIds: user.roleIds ?? [],
  ...(user.primaryTeamId ? { primaryTeamId: user.primaryTeamId } : {}),
  secondaryTeamIds: user.secondaryTeamIds ?? [],
  superAdmin: user.superAdmin ?? false,
});

/** A user's owner record id: `ownerId`, else `1000` + the user id (HubSpot's differ from user ids too). */
export const ownerIdOf = (user: SandboxUser): string => user.ownerId ?? `1000${user.id}`;

/**
 * HubSpot's Settings Users API as it answers (PublicUser: `id`, `email`, `roleIds`,
 * `primaryTeamId`, `secondaryTeamIds`, `superAdmin`) — one user, or all of them 100 a page — and
 * the owners API's `GET /crm/v3/owners/{id}?idProperty=userId`, behind the same token and
 * rate-limit gate as the CRM routes. Users come from the `accountUsers` option.
 */
export function registerUserRoutes(route: Route, users: ReadonlyMap<string, SandboxUser>): void {
  route("get", "/settings/v3/users/:userId", (req, res) => {
    const user = users.get(String(req.params.userId));
    if (!user)
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `No user ${String(req.params.userId)} in this account`);
    res.json(toPublicUser(user));
  });

  route("get", "/settings/v3/users", (req, res) => {
    const all = [...users.values()];
    const limit = Math.min(Number(req.query["limit"] ?? 100) || 100, 100);
    const start = req.query["after"] === undefined ? 0 : Number(req.query["after"]) || 0;
    const next = start + limit < all.length ? { paging: { next: { after: String(start + limit) } } } : {};
    res.json({ results: all.slice(start, start + limit).map(toPublicUser), ...next });
  });

  route("get", "/crm/v3/owners/:id", (req, res) => {
    const id = String(req.params.id);
    const byUser = req.query["idProperty"] === "userId";
    const user = [...users.values()].find((u) => (byUser ? u.id === id : ownerIdOf(u) === id));
    if (!user) throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `No owner ${id} in this account`);
    res.json({ id: ownerIdOf(user), userId: Number(user.id), email: user.email, archived: false, teams: [] });
  });
}
