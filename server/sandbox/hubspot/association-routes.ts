import { SandboxApiError } from "./sandbox-api-error.js";
import type { Route, SandboxContext } from "./sandbox-context.js";

/** Pairs of associated records, kept both ways: `type/id` → set of `type/id`. */
export type AssociationMap = Map<string, Set<string>>;

const key = (type: string, id: string) => `${type}/${id}`;

/** Records of `toType` associated with `type/id`. */
export function associatedIds(map: AssociationMap, type: string, id: string, toType: string): string[] {
  return [...(map.get(key(type, id)) ?? [])]
    .filter((k) => k.startsWith(`${toType}/`))
    .map((k) => k.slice(toType.length + 1));
}

/**
 * `PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}` as HubSpot
 * answers it: both records must exist; the default association is created (idempotently) in
 * both directions.
 */
export function registerAssociationRoutes(route: Route, ctx: SandboxContext, map: AssociationMap): void {
  route("put", "/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId", (req, res) => {
    const from = ctx.store.resolveType(String(req.params["fromType"]));
    const to = ctx.store.resolveType(String(req.params["toType"]));
    const fromId = String(req.params["fromId"]);
    const toId = String(req.params["toId"]);
    for (const [type, id] of [
      [from, fromId],
      [to, toId],
    ] as const) {
      if (!ctx.store.snapshot(type, id)) throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `No ${type} ${id}`);
    }
    const link = (a: string, b: string) => {
      const set = map.get(a) ?? new Set<string>();
      set.add(b);
      map.set(a, set);
    };
    link(key(from, fromId), key(to, toId));
    link(key(to, toId), key(from, fromId));
    res.json({
      status: "COMPLETE",
      results: [
        { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: "HUBSPOT_DEFINED" } },
      ],
    });
  });
}
