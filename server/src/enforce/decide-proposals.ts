import {
  boundJson,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_DEPTH,
  type AgentVersions,
  type Decision,
  NO_AGENT_VERSIONS,
  PROVENANCE_FIELDS,
  parseAgentSource,
} from "../../../shared/index.js";
import type { Actor, CrmChange, EnforcementDeps, PolicyPort } from "./types.js";

export interface Provenance {
  confidence: number | null;
  source: string | null;
  reason: string | null;
  evidence: unknown;
  /** The agent's model, prompt and agent versions and tool, from a structured `ai_sdr_source` (docs/contracts.md). */
  versions?: AgentVersions;
}

/** What one change's record said about the agent's change: its provenance properties, parsed. */
export interface RecordProvenance {
  props: Record<string, string | null>;
  provenance: Provenance;
}

/** The audit fields an agent's provenance fills, on every governed change (docs/contracts.md#audit-event). */
export function provenanceAudit(p: Provenance, fallbackSource: string) {
  return {
    reason: p.reason,
    confidence: p.confidence,
    evidence: p.evidence,
    source_signal: p.source ?? fallbackSource,
    ...(p.versions ?? NO_AGENT_VERSIONS),
  };
}

export interface ProposalOutcome {
  decision: Decision;
  route: "apply" | "approval" | "refuse";
  currentValue: string | null;
  provenance: Provenance;
  riskFlags: string[];
}

interface ProposalChange {
  change: CrmChange;
  actor: Actor;
  step: { kind: string; field?: string };
  /** Decides this proposal instead of `policy` (the state it arrived in: switches, counters). */
  port?: PolicyPort | undefined;
}

/**
 * Decides each shadow-field proposal. The provenance an agent writes with its proposal
 * (confidence, source, reason, evidence) may arrive in other webhook batches than the shadow
 * value, so it is read from the record itself — one batch read per 100 records with proposals.
 */
export async function decideProposals(
  deps: EnforcementDeps,
  policy: PolicyPort,
  tenantId: string,
  items: readonly ProposalChange[],
  /** Provenance already read for this batch (by `eventKey`); the rest is read here. */
  known: ReadonlyMap<string, RecordProvenance> = new Map(),
): Promise<Map<string, ProposalOutcome>> {
  const out = new Map<string, ProposalOutcome>();
  if (items.length === 0) return out;
  const crm = items[0]!.change.crm;
  const names = provenanceNames(crm);
  const read = new Map([
    ...known,
    ...(await readProvenance(
      deps,
      tenantId,
      items.filter((i) => !known.has(i.change.eventKey)).map((i) => ({ change: i.change, field: i.step.field! })),
    )),
  ]);

  for (const { change, actor, step, port } of items) {
    const { props, provenance } = read.get(change.eventKey)!;
    const decision = (port ?? policy).decideFieldWrite({
      agentId: actor.type === "agent" ? actor.agentId : "unknown",
      object: change.policyObject ?? change.objectType,
      field: step.field!,
      viaShadow: true,
      value: change.value ?? null,
      confidence: provenance.confidence ?? undefined,
      source: provenance.source ?? undefined,
      recordId: change.objectId,
      at: change.occurredAt,
    });
    const currentValue = props[step.field!] ?? null;
    out.set(change.eventKey, {
      decision,
      route: routeOf(decision, policy),
      currentValue,
      provenance,
      riskFlags: riskFlagsOf(provenance, props, currentValue, names),
    });
  }
  return out;
}

const provenanceNames = (crm: string) =>
  Object.fromEntries(
    Object.entries(PROVENANCE_FIELDS).map(([k, v]) => [k, crm === "hubspot" ? v.hubspot : v.salesforce]),
  ) as Record<keyof typeof PROVENANCE_FIELDS, string>;

/**
 * Reads the provenance the agent wrote beside each change (and the changed field's value now),
 * one batch read per object type; by `eventKey`. An unreadable record gives empty provenance,
 * which becomes risk flags, never a failure.
 */
export async function readProvenance(
  deps: Pick<EnforcementDeps, "readRecords">,
  tenantId: string,
  items: readonly { change: CrmChange; field: string }[],
): Promise<Map<string, RecordProvenance>> {
  const out = new Map<string, RecordProvenance>();
  if (items.length === 0) return out;
  const names = provenanceNames(items[0]!.change.crm);
  const current = new Map<string, Record<string, string | null>>();
  const byType = new Map<string, { change: CrmChange; field: string }[]>();
  for (const i of items) byType.set(i.change.objectType, [...(byType.get(i.change.objectType) ?? []), i]);
  for (const [objectType, group] of byType) {
    const ids = [...new Set(group.map((g) => g.change.objectId))];
    const props = [...new Set([...group.map((g) => g.field), ...Object.values(names)])];
    try {
      for (const r of await deps.readRecords(tenantId, objectType, ids, props, false))
        current.set(`${objectType}/${r.objectId}`, r.properties);
    } catch {
      // Unreadable now: decide on what the webhook carried; missing provenance becomes a risk flag.
    }
  }
  for (const { change } of items) {
    const props = current.get(`${change.objectType}/${change.objectId}`) ?? {};
    out.set(change.eventKey, { props, provenance: parseProvenance(props, names) });
  }
  return out;
}

/** How each outcome is carried out for a proposal: only a person can lift an over-cap hold or a closed window. */
export function routeOf(decision: Decision, policy: PolicyPort): ProposalOutcome["route"] {
  switch (decision.outcome) {
    case "allow":
      return "apply";
    case "needs_approval":
    case "outside_window":
      return "approval";
    case "over_cap":
      return policy.overCapHolds() ? "approval" : "refuse";
    default:
      return "refuse";
  }
}

/**
 * The agent's evidence property: JSON within the limits of evidence at the gate (depth, size),
 * copied onto prototype-free objects so no key (`__proto__`) vanishes; text that is not JSON is
 * kept as `unparsed`; evidence past a limit is set aside visibly, `{set_aside: "<the limit>"}`
 * (risk flag `evidence_over_limit`) — never a crash, never a silent drop.
 */
function parseEvidence(raw: string | null | undefined): unknown {
  if (!raw) return null;
  if (Buffer.byteLength(raw, "utf8") > MAX_EVIDENCE_BYTES)
    return { set_aside: `evidence is ${Buffer.byteLength(raw, "utf8")} bytes (limit: ${MAX_EVIDENCE_BYTES})` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    if (err instanceof RangeError)
      return { set_aside: `evidence nests too deep to read (limit: ${MAX_EVIDENCE_DEPTH} levels)` };
    return { unparsed: raw };
  }
  const bound = boundJson(parsed);
  return bound.ok ? bound.value : { set_aside: `evidence ${bound.message}` };
}

function parseProvenance(
  props: Record<string, string | null>,
  names: Record<keyof typeof PROVENANCE_FIELDS, string>,
): Provenance {
  const rawConfidence = props[names.confidence];
  const confidence =
    rawConfidence === null || rawConfidence === undefined || rawConfidence === "" ? null : Number(rawConfidence);
  const evidence = parseEvidence(props[names.evidence]);
  const { source, versions } = parseAgentSource(props[names.source]);
  return {
    confidence:
      confidence !== null && Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : null,
    source,
    reason: props[names.reason] || null,
    evidence,
    versions,
  };
}

function riskFlagsOf(
  p: Provenance,
  props: Record<string, string | null>,
  currentValue: string | null,
  names: Record<keyof typeof PROVENANCE_FIELDS, string>,
): string[] {
  return proposalRiskFlags(p, currentValue, props[names.confidence]);
}

/**
 * Why a person should look twice at a proposal, shown on its approval card: missing or low
 * confidence, no evidence, reason or source, or a value it would overwrite. `rawConfidence` is
 * what the agent wrote, to tell a missing confidence from one that was not a number 0–1.
 */
export function proposalRiskFlags(p: Provenance, currentValue: string | null, rawConfidence?: string | null): string[] {
  const flags: string[] = [];
  if (p.confidence === null) flags.push(rawConfidence ? "invalid_confidence" : "no_confidence");
  else if (p.confidence < 0.5) flags.push("low_confidence");
  if (!p.evidence) flags.push("no_evidence");
  else if (typeof p.evidence === "object" && p.evidence !== null && "unparsed" in p.evidence)
    flags.push("evidence_not_json");
  else if (typeof p.evidence === "object" && "set_aside" in p.evidence) flags.push("evidence_over_limit");
  if (!p.reason) flags.push("no_reason");
  if (!p.source) flags.push("no_source");
  if (currentValue !== null && currentValue !== "") flags.push("overwrites_value");
  return flags;
}
