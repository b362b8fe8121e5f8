import type { KillSwitch, KillSwitchActor, SetKillSwitch } from "./types.js";

/** How much a role may undo: a switch is lifted only by the role that set it, or a higher one. */
const RANK: Readonly<Record<string, number>> = { operator: 1, revops_admin: 2, owner: 3 };
/** What an automatic trigger's switch takes to lift: a RevOps admin or an owner, with a reason. */
const TRIGGER_RANK = RANK.revops_admin!;

/**
 * Why `actor` may not make this change to a switch, or `undefined` when they may
 * (docs/operations.md, the role × action table). Turning a switch on is the route's call (who
 * may pull which scope); lifting one is decided here, because it depends on who set it:
 * - only an owner lifts the tenant switch (it also locks policy edits to owners, and a
 *   RevOps admin lifting it would undo that lock);
 * - any other switch needs at least the role that set it (an operator cannot resume what an
 *   owner or RevOps admin stopped);
 * - a trigger's switch takes a RevOps admin or an owner.
 * Tollgate itself (a `system` actor) is never refused.
 */
export function whyCannotChange(
  current: Pick<KillSwitch, "scope" | "state" | "who"> | undefined,
  request: Pick<SetKillSwitch, "state">,
  actor: KillSwitchActor,
): string | undefined {
  if (actor.type === "system" || request.state !== "off" || current?.state !== "on") return undefined;
  const rank = RANK[actor.role ?? ""] ?? 0;
  if (current.scope.type === "tenant" && actor.role !== "owner") return "only an owner may lift the tenant kill switch";
  const setBy = current.who;
  const needed = setBy.type === "system" ? TRIGGER_RANK : (RANK[setBy.role ?? ""] ?? RANK.owner!);
  if (rank >= needed) return undefined;
  const by =
    setBy.type === "system"
      ? `an automatic trigger (${setBy.via ?? setBy.id})`
      : `${setBy.id} (${setBy.role ?? "no role"})`;
  const roles = Object.entries(RANK)
    .filter(([, r]) => r >= needed)
    .map(([name]) => name)
    .join(" or ");
  return `this switch was set by ${by}: lifting it needs ${roles}`;
}
