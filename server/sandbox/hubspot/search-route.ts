import { SandboxApiError } from "./sandbox-api-error.js";
import { bodyOf, listParam, type Route, type SandboxContext } from "./sandbox-context.js";

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
}

const OPERATORS = new Set(["EQ", "NEQ", "HAS_PROPERTY", "NOT_HAS_PROPERTY"]);
/** HubSpot: at most 5 filter groups, 6 filters each; 200 results a page. */
const MAX_GROUPS = 5;
const MAX_FILTERS = 6;
const MAX_PAGE = 200;

/**
 * `POST /crm/v3/objects/:type/search`, minimal: EQ/NEQ/HAS_PROPERTY/NOT_HAS_PROPERTY filters,
 * AND within a group, OR across groups, case-insensitive like HubSpot's string match; paging by
 * offset in `after`. Other operators get a 400 rather than a silently wrong answer.
 */
export function registerSearchRoute(route: Route, ctx: SandboxContext): void {
  route("post", "/crm/v3/objects/:type/search", (req, res) => {
    const type = ctx.store.resolveType(String(req.params["type"]));
    const body = bodyOf(req);
    const groups = (Array.isArray(body["filterGroups"]) ? body["filterGroups"] : []) as { filters?: Filter[] }[];
    if (groups.length > MAX_GROUPS || groups.some((g) => (g.filters ?? []).length > MAX_FILTERS)) {
      throw new SandboxApiError(
        400,
        "VALIDATION_ERROR",
        `at most ${MAX_GROUPS} filterGroups of ${MAX_FILTERS} filters`,
      );
    }
    for (const f of groups.flatMap((g) => g.filters ?? [])) {
      if (!OPERATORS.has(f.operator))
        throw new SandboxApiError(400, "VALIDATION_ERROR", `The sandbox does not support operator ${f.operator}`);
    }
    const matches = ctx.store.ids(type).filter((id) => {
      const values = ctx.store.snapshot(type, id)!.properties;
      const valueOf = (name: string): string => (name === "hs_object_id" ? id : (values[name] ?? ""));
      return (
        groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => test(f, valueOf(f.propertyName))))
      );
    });
    const limit = Math.min(Number(body["limit"] ?? 10) || 10, MAX_PAGE);
    const start = Number(body["after"] ?? 0) || 0;
    const page = matches.slice(start, start + limit);
    res.json({
      total: matches.length,
      results: page.map((id) => ctx.store.toPublicObject(type, id, listParam(body["properties"]), undefined)),
      ...(start + limit < matches.length ? { paging: { next: { after: String(start + limit) } } } : {}),
    });
  });
}

function test(filter: Filter, actual: string): boolean {
  const expected = String(filter.value ?? "").toLowerCase();
  switch (filter.operator) {
    case "EQ":
      return actual.toLowerCase() === expected;
    case "NEQ":
      return actual.toLowerCase() !== expected;
    case "HAS_PROPERTY":
      return actual !== "";
    default:
      return actual === "";
  }
}
