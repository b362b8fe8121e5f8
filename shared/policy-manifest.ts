import { z } from "zod";
import { POLICY_OBJECTS } from "./crm-objects.js";

/**
 * docs/contracts.md#policy-manifest (contract): the policy manifest, `manifests/policy.yaml`.
 *
 * Every object is strict, so a misspelt key is an error rather than a silently ignored rule —
 * in a deny-by-default policy a typo would otherwise quietly remove a permission or a limit.
 * `manifests/policy.yaml` documents each key in its comments.
 */

/** Verbs an agent can ask for besides writing a field (requirements R2). */
export const POLICY_ACTIONS = [
  // object-level: under roles.<role>.objects.<object>.actions
  "create", // create the record in production
  "create_staging", // create it in staging (a lead not yet released to reps)
  "update",
  "delete",
  "merge",
  "change_owner",
  "change_stage",
  "mark_dnc",
  // channel actions: usually under roles.<role>.actions
  "create_task",
  "create_note",
  "send_email",
  "enroll_sequence",
  "book_meeting",
  "create_opportunity",
] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What an exception does when its condition holds: block outright, or send to a human. */
export const EXCEPTION_EFFECTS = ["deny", "human"] as const;
export type ExceptionEffect = (typeof EXCEPTION_EFFECTS)[number];

/** Exception conditions, each answered by a flag on the decision input's `attributes`. */
export const EXCEPTION_CONDITIONS = [
  "named_account",
  "regulated_industry",
  "exec_persona",
  "new_segment",
  "new_domain",
  "new_provider",
] as const;
export type ExceptionCondition = (typeof EXCEPTION_CONDITIONS)[number];

export const KILL_SWITCH_SCOPES = [
  "tenant",
  "channel",
  "agent",
  "role",
  "segment",
  "domain",
  "template",
  "provider",
] as const;
export type KillSwitchScope = (typeof KILL_SWITCH_SCOPES)[number];

/** `expected 0–4, got 7`; a missing value just says so. */
const expected = (what: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? "required" : `expected ${what}, got ${JSON.stringify(iss.input)}`;
const tierSchema = z.literal([0, 1, 2, 3, 4], { error: expected("0–4") });
const approversSchema = z.literal([1, 2], { error: expected("1 or 2") });
const unitSchema = z
  .number({ error: "expected a number from 0 to 1" })
  .min(0, "expected a number from 0 to 1")
  .max(1, "expected a number from 0 to 1");
const countSchema = z.number().int("expected a whole number").min(0, "expected 0 or more");
const nameList = z.array(z.string().min(1)).min(1, "expected at least one entry");
const identifier = z.string().regex(/^[a-z][a-z0-9_-]*$/, "expected lower-case letters, digits, '_' or '-'");

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { error: (iss) => `unknown time zone ${JSON.stringify(iss.input)}` });

/** `72h`, `30m`, `7d`, `45s`. */
export const DURATION_PATTERN = /^(\d+)(s|m|h|d)$/;
const durationSchema = z.string().regex(DURATION_PATTERN, "expected a duration like 30m, 72h or 7d");
const clockSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "expected a time HH:MM (24-hour)");

/**
 * `auto_if`: conditions under which a tier-2/3 rule decides `allow` without a human. All listed
 * conditions must hold; a condition the input gives no value for fails (it cannot be proven).
 */
export const autoIfSchema = z
  .strictObject({
    min_confidence: unitSchema.optional(),
    /** Allowlist of `source` values (data providers). */
    sources: nameList.optional(),
    min_icp_match: unitSchema.optional(),
    /** Known-good segments. */
    segments: nameList.optional(),
    /** Approved template families. */
    templates: nameList.optional(),
    /** The caller's routing SLA rules matched. */
    sla_match: z.literal(true).optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), "auto_if needs at least one condition");

/** `exceptions`: condition → effect, checked after the tier (e.g. `{ named_account: deny, exec_persona: human }`). */
export const exceptionsSchema = z.partialRecord(z.enum(EXCEPTION_CONDITIONS), z.enum(EXCEPTION_EFFECTS));

/** A limit on one rule; `bucket` lets several rules of a role share one counter. */
export const ruleCapSchema = z.strictObject({
  per_hour: countSchema.optional(),
  per_day: countSchema.optional(),
  per_record_per_day: countSchema.optional(),
  bucket: identifier.optional(),
});

export const ruleSchema = z.strictObject({
  tier: tierSchema,
  auto_if: autoIfSchema.optional(),
  /** Distinct approvers a `needs_approval` outcome requires; 2 is the two-person rule. */
  approvers: approversSchema.optional(),
  /** The group under top-level `approvers` whose members may approve from the CRM. @defaultValue "default" */
  approver_group: identifier.optional(),
  exceptions: exceptionsSchema.optional(),
  cap: ruleCapSchema.optional(),
  /** Free text for reviewers; part of the version like everything else. */
  note: z.string().optional(),
});

const fieldNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, "expected a CRM property name");

export const objectRulesSchema = z.strictObject({
  read: z.enum(["allow", "deny"]).default("deny"),
  /** Tier per field; a field not listed is tier 0 (blocked). */
  fields: z.record(fieldNameSchema, ruleSchema).default({}),
  /** Object-level verbs (create, create_staging, update, delete, merge…). */
  actions: z.partialRecord(z.enum(POLICY_ACTIONS), ruleSchema).default({}),
});

export const windowSchema = z
  .strictObject({
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, "expected at least one day")
      .default([...WEEKDAYS]),
    from: clockSchema.optional(),
    to: clockSchema.optional(),
    /** `prospect` (the prospect's zone when the input gives one, else the tenant's), `tenant`, or an IANA zone. */
    tz: z.union([z.literal("prospect"), z.literal("tenant"), timeZoneSchema]).default("tenant"),
  })
  .refine((w) => (w.from === undefined) === (w.to === undefined), "from and to go together");

export const roleCapsSchema = z.strictObject({
  per_hour: countSchema.optional(),
  per_day: countSchema.optional(),
  per_record_per_day: countSchema.optional(),
});

export const roleSchema = z.strictObject({
  description: z.string().optional(),
  objects: z.partialRecord(z.enum(POLICY_OBJECTS), objectRulesSchema).default({}),
  /** Verbs that apply whatever the object (send_email, create_task…). Object-level rules win. */
  actions: z.partialRecord(z.enum(POLICY_ACTIONS), ruleSchema).default({}),
  /** Limits over everything the role does (provenance writes and reads excepted). */
  caps: roleCapsSchema.optional(),
  /** When the role may act at all (e.g. routing on business days). */
  window: windowSchema.optional(),
});

/** HubSpot ids are numbers; YAML may give them either way, the manifest keeps strings. */
const hubspotIdSchema = z.preprocess(
  (v) => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? String(v) : v),
  z.string({ error: "expected a numeric HubSpot id" }).regex(/^\d+$/, "expected a numeric HubSpot id"),
);

export const agentSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "expected letters, digits, '.', '_' or '-'"),
  role: identifier,
  description: z.string().optional(),
  /**
   * Safe mode (docs/policy.md): until then the agent's tier-2 writes are held for a person (a new client, after an
   * incident).
   */
  safe_mode_until: z.iso.datetime({ offset: true, error: "expected an ISO-8601 date-time" }).optional(),
  hubspot: z
    .strictObject({
      appIds: z.array(hubspotIdSchema).optional(),
      userIds: z.array(hubspotIdSchema).optional(),
      /**
       * The client id of the agent's own app, installed through Tollgate (docs/contracts.md, crm_tokens_revoked);
       * its client secret is configuration, never policy.
       */
      appClientId: z.string().min(1).max(200).optional(),
    })
    .optional(),
  salesforce: z
    .strictObject({
      userIds: z
        .array(z.string().regex(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, "expected a Salesforce user id (005…)"))
        .optional(),
      /** `Sforce-Call-Options` client names, as they appear in CDC `changeOrigin`. */
      clients: z.array(z.string().min(1)).optional(),
      /**
       * Freeze these users (`UserLogin.IsFrozen`) while a kill switch covers the agent, and unfreeze
       * them when it is lifted (docs/operations.md, containment). Absent means `true`; `false` opts the
       * agent out. (Left absent rather than defaulted, so existing policies keep their version.)
       */
      freezeOnKill: z.boolean().optional(),
    })
    .optional(),
});

/** Tenant-wide limits (requirements R8). */
export const tenantCapsSchema = z.strictObject({
  /** Sends per sending domain per day. */
  per_domain_per_day: countSchema.optional(),
  /** Sends per day for a sending domain still warming up (`attributes.newDomain`). */
  per_new_domain_per_day: countSchema.optional(),
  /** Outreach touches (send_email, enroll_sequence) per account per day. */
  per_account_per_day: countSchema.optional(),
  /** book_meeting per account per week. */
  meetings_per_account_per_week: countSchema.optional(),
});

export const killSwitchTriggerSchema = z.strictObject({
  metric: identifier,
  above: z.number().min(0),
  scope: z.enum(KILL_SWITCH_SCOPES),
});

/**
 * QA sampling (requirements R9): `sample_rate` of safe actions, every restricted one (tier 3+,
 * needing approval, refused or reverted), and more of what is new or risky. The keys beyond
 * `sample_rate` are optional without schema defaults, so a policy that leaves them out keeps its
 * version; `server/src/qa/` applies the defaults named here.
 */
export const qaSchema = z.strictObject({
  sample_rate: unitSchema.default(0.2),
  /** Rate for restricted actions. @defaultValue 1 */
  restricted: unitSchema.optional(),
  /** Oversampling rates; an action takes the highest rate that applies. */
  oversample: z
    .strictObject({
      /** @defaultValue 1 */
      new_segment: unitSchema.optional(),
      /** @defaultValue 0.5 */
      new_source: unitSchema.optional(),
      /** @defaultValue 0.5 */
      new_sequence: unitSchema.optional(),
      /** @defaultValue 0.5 */
      large_account: unitSchema.optional(),
      /** @defaultValue 1 */
      regulated_industry: unitSchema.optional(),
    })
    .optional(),
  /** How long a segment, source or sequence counts as new after it is first seen. @defaultValue 14d */
  new_for: durationSchema.optional(),
  /** Accounts with at least this many employees are large. @defaultValue 1000 */
  large_account_employees: countSchema.optional(),
  /**
   * Industry values (case-insensitive) treated as regulated. @defaultValue banking, financial services, insurance,
   * healthcare, pharmaceuticals, government
   */
  regulated_industries: nameList.optional(),
});

/**
 * Where the record-fact exceptions (`named_account`, `regulated_industry`, `exec_persona`) get
 * their answer: from what the CRM says about the record and its company, never from the agent.
 * Optional with no schema defaults, so a policy that leaves it out keeps its version;
 * `server/src/policy/compile-exception-data.ts` applies the defaults named here. See docs/policy.md.
 */
export const exceptionDataSchema = z.strictObject({
  /** What an exception whose fact the CRM cannot answer (empty field, unreadable record) means. @defaultValue human */
  when_missing: z.enum(["human", "allow"]).optional(),
  named_accounts: z
    .strictObject({
      /** Company / account record ids. */
      ids: z.array(z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().min(1))).optional(),
      /** Company domains (case-insensitive, `www.` ignored). */
      domains: z.array(z.string().min(1)).optional(),
      /** A company property whose value `true` (or `yes`, `1`) marks a named account. */
      property: fieldNameSchema.optional(),
    })
    .optional(),
  regulated_industry: z
    .strictObject({
      /**
       * Industry values (case-insensitive). @defaultValue banking, financial services, insurance, healthcare,
       * pharmaceuticals, government
       */
      values: nameList.optional(),
      /** The company's industry property. @defaultValue industry (HubSpot) · Industry (Salesforce) */
      property: fieldNameSchema.optional(),
    })
    .optional(),
  exec_persona: z
    .strictObject({
      /**
       * Case-insensitive regular expressions matched against the person's title. @defaultValue chief, c-level
       * abbreviations, vp, vice president, president, founder, head of, director, owner, partner
       */
      titles: z.array(z.string().min(1).refine(isValidRegExp, "expected a regular expression")).optional(),
      /** The title property. @defaultValue jobtitle (HubSpot) · Title (Salesforce) */
      title_property: fieldNameSchema.optional(),
      /** A seniority property, and the values of it that mean an executive. */
      seniority_property: fieldNameSchema.optional(),
      seniorities: nameList.optional(),
    })
    .optional(),
});

const hubspotIdList = z.array(hubspotIdSchema).min(1, "expected at least one entry");

/**
 * One approver group: who may approve from inside the CRM (a card user). Any list that names
 * the user admits them, checked against the CRM's own record of the user (HubSpot Settings
 * Users API: `roleIds`, `primaryTeamId`, `secondaryTeamIds`, `superAdmin`; Salesforce user id
 * or permission set assignment). A group that names nothing admits no one.
 */
export const approverGroupSchema = z.strictObject({
  hubspot: z
    .strictObject({
      userIds: hubspotIdList.optional(),
      teamIds: hubspotIdList.optional(),
      roleIds: hubspotIdList.optional(),
      superAdmins: z.boolean().optional(),
    })
    .optional(),
  salesforce: z
    .strictObject({
      userIds: z
        .array(z.string().regex(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/, "expected a Salesforce user id (005…)"))
        .min(1, "expected at least one entry")
        .optional(),
      permissionSets: nameList.optional(),
    })
    .optional(),
});

export function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}
/** Audit settings. Optional without defaults, so a policy that leaves it out keeps its version. */
export const auditSettingsSchema = z.strictObject({
  /** Events older than this are archived to a signed JSONL file, then removed behind a tombstone. */
  retention_days: z.number().int("expected a whole number").min(1, "expected 1 or more").optional(),
});

export const policyManifestSchema = z.strictObject({
  version: z.literal(1, { error: expected("1") }),
  tenant: z.string().min(1).default("default"),
  /** The tenant's zone, for windows with `tz: tenant` and prospects without a known zone. */
  timezone: timeZoneSchema.default("UTC"),
  /**
   * docs/contracts.md#rules-that-never-bend: writes from neither an agent, a human nor Tollgate are only recorded
   * unless `enforce`.
   */
  unattributed: z.enum(["observe", "enforce"]).default("observe"),
  /** What going over a cap does: refuse (`deny`) or park the action until the cap resets (`hold`). */
  over_cap: z.enum(["deny", "hold"]).default("deny"),
  agents: z.array(agentSchema).default([]),
  roles: z.record(identifier, roleSchema).default({}),
  caps: tenantCapsSchema.prefault({}),
  windows: z.partialRecord(z.enum(POLICY_ACTIONS), windowSchema).default({}),
  approvals: z.strictObject({ expire_after: durationSchema.default("72h") }).prefault({}),
  qa: qaSchema.prefault({}),
  kill_switch_triggers: z.array(killSwitchTriggerSchema).default([]),
  exception_data: exceptionDataSchema.optional(),
  /** Who may approve from inside the CRM, by group; fail closed: with no group, no card user may. */
  approvers: z.record(identifier, approverGroupSchema).optional(),
  audit: auditSettingsSchema.optional(),
});

export type PolicyManifest = z.infer<typeof policyManifestSchema>;
export type PolicyManifestInput = z.input<typeof policyManifestSchema>;
export type PolicyRule = z.infer<typeof ruleSchema>;
export type PolicyAutoIf = z.infer<typeof autoIfSchema>;
export type PolicyExceptions = z.infer<typeof exceptionsSchema>;
export type PolicyRuleCap = z.infer<typeof ruleCapSchema>;
export type PolicyObjectRules = z.infer<typeof objectRulesSchema>;
export type PolicyRole = z.infer<typeof roleSchema>;
export type PolicyRoleCaps = z.infer<typeof roleCapsSchema>;
export type PolicyWindow = z.infer<typeof windowSchema>;
export type PolicyAgent = z.infer<typeof agentSchema>;
export type PolicyTenantCaps = z.infer<typeof tenantCapsSchema>;
export type KillSwitchTrigger = z.infer<typeof killSwitchTriggerSchema>;
export type PolicyQa = z.infer<typeof qaSchema>;
export type PolicyExceptionData = z.infer<typeof exceptionDataSchema>;
export type ApproverGroup = z.infer<typeof approverGroupSchema>;

/** `72h` → milliseconds. */
export function durationToMs(duration: string): number {
  const m = DURATION_PATTERN.exec(duration);
  if (!m) throw new RangeError(`not a duration: ${duration}`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}
