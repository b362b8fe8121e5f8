import { isProvenanceField } from "../../../shared/index.js";
import { findOnboardedProviders } from "../onboarding/index.js";
import { directWriteInput } from "./classify-change.js";
import { readProvenance, type RecordProvenance } from "./decide-proposals.js";
import type { Actor, CrmChange, EnforcementDeps, PolicyPort } from "./types.js";

/**
 * What the agent stated beside each of its changes that more facts could still let through —
 * proposals, and direct writes the policy would allow or send to a person — read from the
 * record's provenance properties in one batch read per object type (docs/contracts.md). Its
 * confidence and source decide `auto_if` and the `provider` kill switch exactly as at the gate;
 * by `eventKey`. Denied or killed writes need no read: no stated fact lifts them.
 */
export async function readStatedProvenance(
  deps: Pick<EnforcementDeps, "readRecords">,
  policy: PolicyPort,
  tenantId: string,
  attributed: readonly { change: CrmChange; actor: Actor }[],
): Promise<Map<string, RecordProvenance>> {
  const items = attributed.flatMap(({ change, actor }) => {
    const property = change.property;
    if (actor.type !== "agent" || change.kind !== "property_change" || property === undefined) return [];
    if (isProvenanceField(property)) return [];
    const shadowOf = policy.canonicalOfShadow(property);
    if (shadowOf !== undefined) return change.value ? [{ change, field: shadowOf }] : [];
    const first = policy.decideFieldWrite(directWriteInput(actor.agentId, change, property));
    return first.outcome === "allow" || first.outcome === "needs_approval" ? [{ change, field: property }] : [];
  });
  return readProvenance(deps, tenantId, items);
}

/**
 * `exceptions.new_provider` on the webhook path: which providers the agents named are onboarded
 * (a person approved a change from them), looked up once per batch — only when a rule names it.
 */
export async function withProviderOnboarding(
  deps: Pick<EnforcementDeps, "db">,
  policy: PolicyPort,
  tenantId: string,
  stated: ReadonlyMap<string, RecordProvenance>,
): Promise<PolicyPort> {
  if (!policy.namesNewProvider || !policy.withOnboardedProviders) return policy;
  const providers = [...stated.values()].flatMap((s) => (s.provenance.source ? [s.provenance.source] : []));
  if (providers.length === 0) return policy;
  return policy.withOnboardedProviders(await findOnboardedProviders(deps.db, tenantId, providers));
}
