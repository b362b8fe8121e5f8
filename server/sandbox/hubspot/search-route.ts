import { SandboxApiError } from "./sandbox-api-error.js";
import { bodyOf, listParam, type Route, type SandboxContext } from "./sandbox-context.js";

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
}

const OPERATORS = new Set(["EQ", "NEQ", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "GT", "GTE", "LT", "LTE"]);
/** HubSpot stops a search at 10,000 results (docs/contracts.md): paging past it is a 400. */
const MAX_RESULTS = 10_000;
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
    // Computed properties (last-modified and create dates) included, as HubSpot searches them.
    const propertyOf = (id: string, name: string): string => {
      const o = ctx.store.toPublicObject(type, id, [name], undefined) as { properties: Record<string, string | null> };
      return o.properties[name] ?? "";
    };
    const matches = ctx.store.ids(type).filter((id) => {
      const valueOf = (name: string): string => propertyOf(id, name);
      return (
        groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => test(f, valueOf(f.propertyName))))
      );
    });
    const sort = (Array.isArray(body["sorts"]) ? body["sorts"] : [])[0] as
      { propertyName?: string; direction?: string } | undefined;
    if (sort?.propertyName) {
      const key = (id: string) => sortable(propertyOf(id, sort.propertyName!));
      const sign = sort.direction === "DESCENDING" ? -1 : 1;
      matches.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
    }
    const limit = Math.min(Number(body["limit"] ?? 10) || 10, MAX_PAGE);
    const start = Number(body["after"] ?? 0) || 0;
    if (start + limit > MAX_RESULTS && start >= MAX_RESULTS)
      throw new SandboxApiError(400, "VALIDATION_ERROR", `a search returns at most ${MAX_RESULTS} results`);
    const page = matches.slice(start, start + limit);
    res.json({
      total: matches.length,
      results: page.map((id) => ctx.store.toPublicObject(type, id, listParam(body["properties"]), undefined)),
      ...(start + limit < Math.min(matches.length, MAX_RESULTS)
        ? { paging: { next: { after: String(start + limit) } } }
        : {}),
    });
  });
}

/** Dates compare as instants (HubSpot takes epoch ms or ISO), numbers as numbers, the rest as text. */
function sortable(v: string): number | string {
  if (v === "") return v;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : v;
}

function test(filter: Filter, actual: string): boolean {
  const expected = String(filter.value ?? "").toLowerCase();
  if (["GT", "GTE", "LT", "LTE"].includes(filter.operator)) {
    if (actual === "") return false;
    const a = sortable(actual);
    const e = sortable(String(filter.value ?? ""));
    if (filter.operator === "GT") return a > e;
    if (filter.operator === "GTE") return a >= e;
    if (filter.operator === "LT") return a < e;
    return a <= e;
  }
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
