import type { Route } from "./sandbox-context.js";
import { SandboxApiError } from "./sandbox-api-error.js";
import type { SandboxUser } from "./types.js";

/**
 * `GET /settings/v3/users/{userId}` as HubSpot's Settings Users API answers it (PublicUser:
 * `id`, `email`, `roleIds`, `primaryTeamId`, `secondaryTeamIds`, `superAdmin`), behind the same
 * token and rate-limit gate as the CRM routes. Users come from the `users` option.
 */
export function registerUserRoutes(route: Route, users: ReadonlyMap<string, SandboxUser>): void {
  route("get", "/settings/v3/users/:userId", (req, res) => {
    const user = users.get(String(req.params.userId));
    if (!user)
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `No user ${String(req.params.userId)} in this account`);
    res.json({
      id: user.id,
      email: user.email,
      roleIds: user.roleIds ?? [],
      ...(user.primaryTeamId ? { primaryTeamId: user.primaryTeamId } : {}),
      secondaryTeamIds: user.secondaryTeamIds ?? [],
      superAdmin: user.superAdmin ?? false,
    });
  });
}
