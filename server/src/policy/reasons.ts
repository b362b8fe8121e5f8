/**
 * Every sentence a decision can give, in one place. Audit events, approval cards and the CLI show
 * them verbatim and tests assert them, so changing one is a visible change: keep them short and
 * stable, with the variable parts (names, numbers) at predictable places.
 */
const q = (s: string) => JSON.stringify(s);

export const REASONS = {
  // deny by default: each unknown gets its own sentence so an operator knows which line is missing
  unknownAgent: (agentId: string) => `agent ${q(agentId)} is not declared in the policy`,
  unknownRole: (role: string) => `role ${q(role)} is not defined in the policy`,
  objectNotGoverned: (role: string, object: string) => `role ${q(role)} has no rules for object ${q(object)}`,
  fieldNotListed: (role: string, object: string, field: string) =>
    `field ${q(field)} is not listed for role ${q(role)} on ${q(object)}: blocked by default`,
  actionNotListed: (role: string, object: string, action: string) =>
    `action ${q(action)} is not listed for role ${q(role)} on ${q(object)}: blocked by default`,
  missingField: "a field write must name the field",
  missingAction: "an action request must name the action",
  readNotAllowed: (role: string, object: string) => `role ${q(role)} may not read ${q(object)}`,
  readAllowed: (role: string, object: string) => `role ${q(role)} may read ${q(object)}`,
  provenance: (field: string) => `${q(field)} is a provenance field: declared agents may always write it`,

  // tiers
  tier0: "tier 0: blocked",
  tier1: "tier 1: read-only",
  tier2: "tier 2: safe write, allowed with provenance",
  tier3: "tier 3: approval required",
  tier4: "tier 4: humans only",

  safeMode: (until: Date) => `safe mode until ${until.toISOString()}: a person approves the agent's tier-2 changes`,

  // auto rules
  autoPassed: "auto rule passed",
  confidenceMissing: (min: number) => `no confidence given; the auto rule needs at least ${min}`,
  confidenceLow: (got: number, min: number) => `confidence ${got} is below ${min}`,
  sourceMissing: "no source given; the auto rule needs an allowlisted source",
  sourceNotAllowed: (source: string) => `source ${q(source)} is not in the allowlist`,
  icpMissing: (min: number) => `no ICP match given; the auto rule needs at least ${min}`,
  icpLow: (got: number, min: number) => `ICP match ${got} is below ${min}`,
  segmentNotKnownGood: (segment: string | undefined) =>
    segment === undefined
      ? "no segment given; the auto rule needs a known-good segment"
      : `segment ${q(segment)} is not a known-good segment`,
  templateNotApproved: (template: string | undefined) =>
    template === undefined
      ? "no template given; the auto rule needs an approved template"
      : `template ${q(template)} is not approved`,
  slaNotMatched: "routing SLA rules did not match",

  // exceptions
  namedAccount: {
    deny: "named account: locked",
    human: "named account: a human decides",
    unknown: "named account: the CRM cannot tell, a human decides",
  },
  regulatedIndustry: {
    deny: "regulated industry: blocked",
    human: "regulated industry: a human decides",
    unknown: "regulated industry: the CRM has no industry, a human decides",
  },
  execPersona: {
    deny: "executive persona: blocked",
    human: "executive persona: a human decides",
    unknown: "executive persona: the CRM has no title, a human decides",
  },
  newSegment: {
    deny: "new segment: blocked",
    human: "new segment: needs RevOps approval",
    unknown: "new segment: unknown, a human decides",
  },
  newDomain: {
    deny: "new sending domain: blocked",
    human: "new sending domain: a human decides",
    unknown: "new sending domain: unknown, a human decides",
  },
  newProvider: {
    deny: "new data provider: blocked",
    human: "new data provider: a human approves its first use",
    unknown: "new data provider: unknown, a human decides",
  },

  twoPersonRule: "two distinct approvers required",

  // switches, windows, caps
  killed: (key: string) => `kill switch on: ${key}`,
  outsideWindow: (ruleId: string, label: string, zone: string) => `outside the window ${ruleId} (${label}, ${zone})`,
  overCap: (ruleId: string, used: number, limit: number) => `cap ${ruleId} reached: ${used} of ${limit} used`,
  overCapDeny: "over the cap: denied (over_cap: deny)",
  overCapHold: "over the cap: held until the cap resets (over_cap: hold)",

  unattributedEnforced: (field: string) => `${q(field)} is governed and the policy enforces unattributed writes`,
} as const;

/** The `exceptions` key → its reason pair. */
export const EXCEPTION_REASONS = {
  named_account: REASONS.namedAccount,
  regulated_industry: REASONS.regulatedIndustry,
  exec_persona: REASONS.execPersona,
  new_segment: REASONS.newSegment,
  new_domain: REASONS.newDomain,
  new_provider: REASONS.newProvider,
} as const;

export const TIER_REASONS = [REASONS.tier0, REASONS.tier1, REASONS.tier2, REASONS.tier3, REASONS.tier4] as const;

/** Human words for a tier, for `explain`. */
export const TIER_NAMES = [
  "blocked",
  "read-only",
  "safe write (auto, provenance required)",
  "approval required",
  "humans only",
] as const;
