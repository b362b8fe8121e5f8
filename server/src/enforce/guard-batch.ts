import { isProvenanceField, type Decision } from "../../../shared/index.js";
import type { ChangeStep } from "./classify-change.js";
import { routeOf, type ProposalOutcome } from "./decide-proposals.js";
import type { Actor, CrmChange, EnforcementDeps, GuardedOutcome, GuardedWrite, PolicyPort } from "./types.js";

interface Attributed {
  change: CrmChange;
  actor: Actor;
}
interface Decided extends Attributed {
  step: ChangeStep;
}

/** Kill switches, triggers and caps for one batch, as `enforceChanges` uses them. */
export interface BatchGuard {
  /** The port to decide the change at `position` with. */
  portFor(position: number): PolicyPort;
  /**
   * Takes cap slots for what was allowed, in order. A write that lost its slot to a concurrent
   * batch is decided again against the counters it found: `over_cap`, so a direct write is
   * reverted and a proposal held or refused as the policy says.
   */
  consume(decided: Decided[], proposals: Map<string, ProposalOutcome>): Promise<void>;
  /** After commit: reports outcomes to the triggers. */
  settled(decided: readonly Decided[], proposals: ReadonlyMap<string, ProposalOutcome>): Promise<void>;
}

/**
 * Prepares the guard for a batch: finds its governed agent writes and asks `deps.guard` for the
 * state each is decided with. Without a guard (or a port that cannot rebind) every change is
 * decided with `policy` as it is.
 */
export async function guardBatch(
  deps: EnforcementDeps,
  policy: PolicyPort,
  tenantId: string,
  items: readonly Attributed[],
): Promise<BatchGuard> {
  const guard = deps.guard;
  const withState = policy.withState;
  const writes = items.flatMap((item, position) => {
    const w = governedWrite(policy, item, position);
    return w ? [w] : [];
  });
  if (!guard || !withState || writes.length === 0)
    return { portFor: () => policy, consume: async () => undefined, settled: async () => undefined };

  const plan = await guard.prepare(tenantId, policy, writes);
  const ports = new Map<number, PolicyPort>();
  const portFor = (position: number) => {
    let port = ports.get(position);
    if (port === undefined) {
      port = withState(plan.stateAt(position));
      ports.set(position, port);
    }
    return port;
  };

  return {
    portFor,
    async consume(decided, proposals) {
      const allowed = writes.filter((w) => {
        const d = decided[w.position]!;
        return (
          d.step.kind === "allowed_write" ||
          (d.step.kind === "proposal" && proposals.get(d.change.eventKey)?.route === "apply")
        );
      });
      const keyed = allowed
        .map((w) => ({ w, keys: policy.counterKeys?.(w.input) ?? [] }))
        .filter((k) => k.keys.length > 0);
      if (keyed.length === 0) return;
      const results = await guard.consume(
        tenantId,
        keyed.map((k) => k.keys),
        // A retried batch (its transaction failed after this) counts each write once.
        keyed.map((k) => decided[k.w.position]!.change.eventKey),
      );
      results.forEach((r, i) => {
        if (r.ok) return;
        const { w } = keyed[i]!;
        const state = plan.stateAt(w.position);
        const port = withState({ counters: { ...state.counters, ...r.counters }, switches: state.switches });
        const decision = port.decideFieldWrite(w.input);
        const d = decided[w.position]!;
        if (d.step.kind === "allowed_write") {
          if (decision.outcome !== "allow") d.step = { kind: "revert", decision };
        } else {
          const p = proposals.get(d.change.eventKey)!;
          proposals.set(d.change.eventKey, { ...p, decision, route: routeOf(decision, policy) });
        }
      });
    },
    async settled(decided, proposals) {
      const outcomes = outcomesOf(writes, decided, proposals);
      try {
        await guard.settled(tenantId, outcomes);
      } catch {
        // The batch is committed; a trigger that could not count must not fail (and so retry) it.
      }
    },
  };
}

/** How each governed write ended up decided, for the triggers. */
function outcomesOf(
  writes: readonly GuardedWrite[],
  decided: readonly Decided[],
  proposals: ReadonlyMap<string, ProposalOutcome>,
): GuardedOutcome[] {
  const outcomes: GuardedOutcome[] = [];
  for (const w of writes) {
    const d = decided[w.position]!;
    const decision: Decision | undefined =
      d.step.kind === "allowed_write" || d.step.kind === "revert"
        ? d.step.decision
        : d.step.kind === "proposal"
          ? proposals.get(d.change.eventKey)?.decision
          : undefined;
    if (!decision) continue;
    const refused =
      d.step.kind === "revert" || (d.step.kind === "proposal" && proposals.get(d.change.eventKey)?.route === "refuse");
    const { eventKey, agentId, role } = w;
    outcomes.push({ eventKey, agentId, role, viaShadow: w.input.viaShadow, decision, refused });
  }
  return outcomes;
}

/** A change the policy decides for an agent: a direct write or a non-empty proposal, provenance excepted. */
function governedWrite(policy: PolicyPort, { change, actor }: Attributed, position: number): GuardedWrite | undefined {
  if (actor.type !== "agent" || change.kind !== "property_change" || change.property === undefined) return undefined;
  if (isProvenanceField(change.property)) return undefined;
  const shadowOf = policy.canonicalOfShadow(change.property);
  if (shadowOf !== undefined && (change.value === null || change.value === undefined || change.value === ""))
    return undefined;
  return {
    position,
    eventKey: change.eventKey,
    agentId: actor.agentId,
    role: actor.role,
    input: {
      agentId: actor.agentId,
      object: change.policyObject ?? change.objectType,
      field: shadowOf ?? change.property,
      viaShadow: shadowOf !== undefined,
      value: change.value ?? null,
      recordId: change.objectId,
      at: change.occurredAt,
    },
  };
}
