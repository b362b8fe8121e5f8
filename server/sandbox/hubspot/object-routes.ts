import { SandboxApiError } from "./sandbox-api-error.js";
import { bodyOf, listParam, stringProperties, tokenOf, type Route, type SandboxContext } from "./sandbox-context.js";

const LIST_LIMIT = 100;

/** Single-record CRM v3 endpoints: read, update, create, archive, list. */
export function registerObjectRoutes(route: Route, ctx: SandboxContext): void {
  route("get", "/crm/v3/objects/:type", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const limit = Math.min(Number(req.query["limit"] ?? 10) || 10, LIST_LIMIT);
    const ids = ctx.store.ids(type);
    const start = req.query["after"] === undefined ? 0 : Math.max(0, ids.indexOf(String(req.query["after"])) + 1);
    const page = ids.slice(start, start + limit);
    const properties = listParam(req.query["properties"]);
    const next = ids[start + limit];
    res.json({
      results: page.map((id) =>
        ctx.store.toPublicObject(type, id, properties, listParam(req.query["propertiesWithHistory"])),
      ),
      ...(next === undefined ? {} : { paging: { next: { after: page[page.length - 1] } } }),
    });
  });

  route("get", "/crm/v3/objects/:type/:id", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const id = String(req.params["id"]);
    const object = ctx.store.toPublicObject(
      type,
      id,
      listParam(req.query["properties"]),
      listParam(req.query["propertiesWithHistory"]),
    );
    if (!object)
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.", {
        context: { id: [id] },
      });
    res.json(object);
  });

  route("patch", "/crm/v3/objects/:type/:id", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const properties = stringProperties(bodyOf(req)["properties"]);
    ctx.store.assertValid(type, properties);
    const { record, changes } = ctx.store.update(type, String(req.params["id"]), properties, tokenOf(res).actor);
    ctx.emit(changes);
    res.json(ctx.store.toPublicObject(type, record.id, [...Object.keys(properties), "hs_object_id"], undefined));
  });

  route("delete", "/crm/v3/objects/:type/:id", (req, res) => {
    ctx.store.archive(ctx.store.resolveType(String(req.params["type"])), String(req.params["id"]));
    res.status(204).end();
  });

  route("post", "/crm/v3/objects/:type", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const properties = stringProperties(bodyOf(req)["properties"]);
    ctx.store.assertValid(type, properties);
    const { record, changes } = ctx.store.create(type, properties, tokenOf(res).actor);
    ctx.emit(changes);
    res
      .status(201)
      .json(
        ctx.store.toPublicObject(
          type,
          record.id,
          [...Object.keys(properties), "hs_object_id", "createdate"],
          undefined,
        ),
      );
  });
}
