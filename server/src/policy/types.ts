import type { CompiledExceptionData } from "./record-facts.js";
import type {
  Decision,
  Tier,
  PolicyObject,
  ExceptionCondition,
  ExceptionEffect,
  KillSwitchScope,
  PolicyAction,
  PolicyAutoIf,
  PolicyManifest,
  Weekday,
} from "../../../shared/index.js";

/** A record fact: yes, no, or "unknown" — the CRM had no data (`exception_data.when_missing` decides). */
export type FactValue = boolean | "unknown";

/**
 * Facts about the target the caller already knows. Each flag answers one `exceptions` or
 * `auto_if` condition, or names a kill-switch scope; a flag left out counts as "no".
 */
export interface DecisionAttributes {
  /** The account is on the named-accounts list (`exceptions.named_account`). */
  namedAccount?: FactValue;
  /** The account is in a regulated industry (`exceptions.regulated_industry`). */
  regulatedIndustry?: FactValue;
  /** The contact is an executive (`exceptions.exec_persona`). */
  execPersona?: FactValue;
  /** The target segment has not been worked before (`exceptions.new_segment`). */
  newSegment?: boolean;
  /** The routing SLA rules matched (`auto_if.sla_match`). */
  slaMatch?: boolean;
  /** Segment of the target: `auto_if.segments`, kill switch `segment`. */
  segment?: string;
  /** Sending domain: tenant caps `per_domain_per_day`, kill switch `domain`. */
  domain?: string;
  /** The sending domain is still warming up: `per_new_domain_per_day` applies, `exceptions.new_domain`. */
  newDomain?: boolean;
  /** Template family: `auto_if.templates`, kill switch `template`. */
  template?: string;
  /**
   * A person approved this template family before (an earlier send's approval, which later sends
   * carry): `auto_if.templates` passes as if the family were listed. Set by the gate, never by an agent.
   */
  templateApproved?: boolean;
  /** Data or sending provider: kill switch `provider`. @defaultValue the input's `source` */
  provider?: string;
  /**
   * No person has approved a change from this data provider for the tenant yet (`exceptions.new_provider`).
   * Set by Tollgate from its own approvals, never believed from an agent.
   */
  newProvider?: boolean;
}

/** One thing an agent wants to do (or did), as `decide` sees it. */
export interface DecisionInput {
  /** The declared agent (policy `agents[].id`) that acts. */
  agentId: string;
  object: PolicyObject;
  kind: "field_write" | "action";
  /** For `field_write`: the canonical name (`industry`), or the shadow name (`ai_proposed_industry`). */
  field?: string;
  /** The write came through the shadow field: it proposes a value for `field`. @defaultValue false */
  viaShadow?: boolean;
  /** For `action`: a verb from POLICY_ACTIONS, or `read`. Anything else is denied. */
  action?: PolicyAction | "read" | (string & {});
  /** The agent's confidence, 0–1 (`auto_if.min_confidence`). */
  confidence?: number;
  /** Data provider / signal (`auto_if.sources`). */
  source?: string;
  /** ICP match score, 0–1 (`auto_if.min_icp_match`). */
  icpMatch?: number;
  attributes?: DecisionAttributes;
  /** When the action happens; the only clock `decide` reads. */
  at: Date;
  /**
   * The agent is in safe mode until then (set by an operator: `PUT /v1/safe-modes`): while `at` is
   * before it, a tier-2 write or action that would be allowed is held for a person instead.
   */
  safeModeUntil?: Date;
  /** IANA zone of the prospect, for windows with `tz: prospect`. */
  prospectTimeZone?: string;
  /** CRM record id: `per_record_per_day` caps. */
  recordId?: string;
  /** Account/company id: per-account caps. */
  accountId?: string;
}

/**
 * Current counts in each counter's window, by the keys `getCounterKeys` names
 * (`role:outreach:day`, `domain:mail.example.com:day`…). A missing key counts as 0.
 * Which day/hour/week a window is, is the counter store's business.
 */
export type CountersSnapshot = Readonly<Record<string, number | undefined>>;

/**
 * Active kill switches, as keys from `killSwitchKey(scope, value)`: `tenant`, `channel:email`,
 * `agent:outreach-bot`, `role:outreach`, `segment:…`, `domain:…`, `template:…`, `provider:…`.
 */
export interface KillSwitchState {
  readonly active: ReadonlySet<string>;
}

/** Channels an action travels on, for `channel` kill switches ("stop sends, keep research"). */
export const CHANNELS = ["email", "meetings", "crm"] as const;
export type Channel = (typeof CHANNELS)[number];

export type OverCapMode = PolicyManifest["over_cap"];

/** A `Decision` (shared/decision.ts) plus what over a cap means for this policy. */
export interface PolicyDecision extends Decision {
  /** Set when `outcome` is `over_cap`: refuse (`deny`) or park until the cap resets (`hold`). */
  overCap?: OverCapMode;
}

export type CounterWindow = "hour" | "day" | "week";

/** One counter an action counts against, and its limit. */
export interface CounterKey {
  key: string;
  window: CounterWindow;
  limit: number;
  /** The policy path of the limit, e.g. `roles.outreach.caps.per_day`. */
  ruleId: string;
}

export interface CompiledAutoIf extends PolicyAutoIf {
  sourceSet?: ReadonlySet<string>;
  segmentSet?: ReadonlySet<string>;
  templateSet?: ReadonlySet<string>;
}

export interface CompiledCap {
  ruleId: string;
  window: CounterWindow;
  limit: number;
  /** Key without the record part; per-record caps append `:record:<id>`. */
  keyPrefix: string;
  perRecord: boolean;
}

export interface CompiledRule {
  /** Policy path, e.g. `roles.enrichment.objects.contact.fields.email`. */
  id: string;
  tier: Tier;
  auto?: CompiledAutoIf;
  approvers: 1 | 2;
  exceptions: ReadonlyArray<readonly [ExceptionCondition, ExceptionEffect]>;
  caps: readonly CompiledCap[];
}

export interface CompiledObjectRules {
  read: boolean;
  fields: ReadonlyMap<string, CompiledRule>;
  actions: ReadonlyMap<string, CompiledRule>;
}

export interface CompiledWindow {
  ruleId: string;
  /** Bit per weekday, Monday = bit 0. */
  dayMask: number;
  /** Minutes after local midnight; absent when the window is days only. */
  from?: number;
  to?: number;
  tz: "prospect" | string;
  /** For reasons: `mon–fri 09:00–16:00 prospect`. */
  label: string;
}

export interface CompiledRole {
  name: string;
  objects: ReadonlyMap<string, CompiledObjectRules>;
  actions: ReadonlyMap<string, CompiledRule>;
  caps: readonly CompiledCap[];
  window?: CompiledWindow;
}

export interface CompiledAgent {
  id: string;
  role: string;
  /** `agents[].safe_mode_until`: the policy's own safe mode for the agent. */
  safeModeUntil?: Date;
}

export interface CompiledTenantCaps {
  perDomainPerDay?: number;
  perNewDomainPerDay?: number;
  perAccountPerDay?: number;
  meetingsPerAccountPerWeek?: number;
}

/** A policy compiled once into lookup maps, so a decision is a few map lookups. */
export interface CompiledPolicy {
  /** SHA-256 hex of the canonical JSON of `manifest`. */
  version: string;
  manifest: PolicyManifest;
  tenant: string;
  timezone: string;
  unattributed: PolicyManifest["unattributed"];
  overCap: OverCapMode;
  agents: ReadonlyMap<string, CompiledAgent>;
  /** Attribution indexes: HubSpot app id / user id, Salesforce user id (15-char form) / client name. */
  byHubspotAppId: ReadonlyMap<string, CompiledAgent>;
  byHubspotUserId: ReadonlyMap<string, CompiledAgent>;
  bySalesforceUserId: ReadonlyMap<string, CompiledAgent>;
  bySalesforceClient: ReadonlyMap<string, CompiledAgent>;
  roles: ReadonlyMap<string, CompiledRole>;
  tenantCaps: CompiledTenantCaps;
  windows: ReadonlyMap<string, CompiledWindow>;
  /** Salesforce shadow name (`AI_Proposed_Industry__c`) → canonical field, for every governed field. */
  salesforceShadows: ReadonlyMap<string, string>;
  approvalsExpireAfterMs: number;
  qaSampleRate: number;
  /** Where `named_account`, `regulated_industry` and `exec_persona` get their answers (record-facts.ts). */
  exceptionData: CompiledExceptionData;
}

/** Which identity wrote a change, as the webhook layer sees it. */
export interface AgentIdentity {
  crm: "hubspot" | "salesforce";
  /** HubSpot app id (`sourceId` of an `INTEGRATION` change). */
  appId?: string | number | undefined;
  /** HubSpot user id, or Salesforce user id (15 or 18 characters). */
  userId?: string | number | undefined;
  /** Salesforce `Sforce-Call-Options` client name. */
  client?: string | undefined;
}

export type { KillSwitchScope, Weekday };
