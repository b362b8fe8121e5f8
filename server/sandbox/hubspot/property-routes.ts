import { sendBatch } from "./batch-routes.js";
import { SandboxApiError } from "./sandbox-api-error.js";
import { bodyOf, type Route, type SandboxContext } from "./sandbox-context.js";

/** Properties API: list, read, create, batch create, and property groups. */
export function registerPropertyRoutes(route: Route, ctx: SandboxContext): void {
  // Group routes first: `/groups` would otherwise read as a property named "groups".
  route("get", "/crm/v3/properties/:type/groups", (req, res) => {
    res.json({ results: ctx.registry.listGroups(ctx.store.resolveType(String(req.params["type"]))) });
  });

  route("get", "/crm/v3/properties/:type/groups/:name", (req, res) => {
    const group = ctx.registry.getGroup(ctx.store.resolveType(String(req.params["type"])), String(req.params["name"]));
    if (!group)
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `Unable to find property group ${String(req.params["name"])}`);
    res.json(group);
  });

  route("post", "/crm/v3/properties/:type/groups", (req, res) => {
    res.status(201).json(ctx.registry.createGroup(ctx.store.resolveType(String(req.params["type"])), bodyOf(req)));
  });

  route("get", "/crm/v3/properties/:type", (req, res) => {
    res.json({ results: ctx.registry.list(ctx.store.resolveType(String(req.params["type"]))) });
  });

  route("get", "/crm/v3/properties/:type/:name", (req, res) => {
    const property = ctx.registry.get(ctx.store.resolveType(String(req.params["type"])), String(req.params["name"]));
    if (!property)
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `Unable to find property ${String(req.params["name"])}`);
    res.json(property);
  });

  route("post", "/crm/v3/properties/:type", (req, res) => {
    res.status(201).json(ctx.registry.create(ctx.store.resolveType(String(req.params["type"])), bodyOf(req)));
  });

  route("post", "/crm/v3/properties/:type/batch/create", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const list = bodyOf(req)["inputs"];
    if (!Array.isArray(list))
      throw new SandboxApiError(400, "VALIDATION_ERROR", "Invalid input JSON: inputs is required");
    const results: unknown[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const input of list as Record<string, unknown>[]) {
      try {
        results.push(ctx.registry.create(type, input));
      } catch (error) {
        if (!(error instanceof SandboxApiError)) throw error;
        errors.push({
          status: "error",
          category: error.category,
          message: error.message,
          context: error.extra["context"] ?? {},
          links: {},
          errors: [],
        });
      }
    }
    sendBatch(res, results, errors, 201);
  });
}
