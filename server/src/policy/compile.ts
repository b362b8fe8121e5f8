import {
  WEEKDAYS,
  durationToMs,
  type PolicyManifest,
  type PolicyRoleCaps,
  type PolicyRule,
  type PolicyRuleCap,
  type PolicyWindow,
  salesforceShadowName,
} from "../../../shared/index.js";
import { forEachRule } from "./for-each-rule.js";
import { policyVersion } from "./version.js";
import { compileExceptionData } from "./record-facts.js";
import type {
  CompiledAgent,
  CompiledCap,
  CompiledObjectRules,
  CompiledPolicy,
  CompiledRole,
  CompiledRule,
  CompiledWindow,
  CounterWindow,
} from "./types.js";

/**
 * Turns a validated manifest into lookup maps, once per policy version, so that `decide` is a
 * handful of `Map.get` calls: per agent id and CRM identity, per role → object → field/action.
 * The manifest must come from `parsePolicy` (or satisfy the schema): compile does not re-check it.
 */
export function compilePolicy(manifest: PolicyManifest): CompiledPolicy {
  const agents = new Map<string, CompiledAgent>();
  const byHubspotAppId = new Map<string, CompiledAgent>();
  const byHubspotUserId = new Map<string, CompiledAgent>();
  const bySalesforceUserId = new Map<string, CompiledAgent>();
  const bySalesforceClient = new Map<string, CompiledAgent>();
  for (const a of manifest.agents) {
    const agent: CompiledAgent = Object.freeze({
      id: a.id,
      role: a.role,
      ...(a.safe_mode_until ? { safeModeUntil: new Date(a.safe_mode_until) } : {}),
    });
    agents.set(a.id, agent);
    for (const id of a.hubspot?.appIds ?? []) byHubspotAppId.set(id, agent);
    for (const id of a.hubspot?.userIds ?? []) byHubspotUserId.set(id, agent);
    // 15- and 18-character Salesforce ids name the same user; the first 15 are the id proper.
    for (const id of a.salesforce?.userIds ?? []) bySalesforceUserId.set(id.slice(0, 15), agent);
    for (const c of a.salesforce?.clients ?? []) bySalesforceClient.set(c, agent);
  }

  const roles = new Map<string, CompiledRole>();
  for (const [name, def] of Object.entries(manifest.roles)) {
    const prefix = `roles.${name}`;
    roles.set(name, {
      name,
      objects: new Map(),
      actions: new Map(),
      caps: def.caps ? compileRoleCaps(`role:${name}`, `${prefix}.caps`, def.caps) : [],
      ...(def.window ? { window: compileWindow(`${prefix}.window`, def.window, manifest.timezone) } : {}),
    });
  }

  const salesforceShadows = new Map<string, string>();
  forEachRule(manifest, ({ role, object, kind, name, rule, path }) => {
    const compiled = compileRule(path.join("."), role, rule);
    const target = roles.get(role)!;
    if (object === undefined) {
      (target.actions as Map<string, CompiledRule>).set(name, compiled);
      return;
    }
    let rules = target.objects.get(object);
    if (!rules) {
      rules = { read: manifest.roles[role]!.objects[object]!.read === "allow", fields: new Map(), actions: new Map() };
      (target.objects as Map<string, CompiledObjectRules>).set(object, rules);
    }
    if (kind === "field") {
      (rules.fields as Map<string, CompiledRule>).set(name, compiled);
      salesforceShadows.set(salesforceShadowName(name), name);
    } else (rules.actions as Map<string, CompiledRule>).set(name, compiled);
  });
  // Objects that only grant `read` have no rules to visit above.
  for (const [name, def] of Object.entries(manifest.roles)) {
    for (const [object, rules] of Object.entries(def.objects)) {
      const objects = roles.get(name)!.objects as Map<string, CompiledObjectRules>;
      if (rules && !objects.has(object))
        objects.set(object, { read: rules.read === "allow", fields: new Map(), actions: new Map() });
    }
  }

  const windows = new Map<string, CompiledWindow>();
  for (const [action, w] of Object.entries(manifest.windows)) {
    if (w) windows.set(action, compileWindow(`windows.${action}`, w, manifest.timezone));
  }

  return {
    version: policyVersion(manifest),
    manifest,
    tenant: manifest.tenant,
    timezone: manifest.timezone,
    unattributed: manifest.unattributed,
    overCap: manifest.over_cap,
    agents,
    byHubspotAppId,
    byHubspotUserId,
    bySalesforceUserId,
    bySalesforceClient,
    roles,
    tenantCaps: {
      perDomainPerDay: manifest.caps.per_domain_per_day,
      perNewDomainPerDay: manifest.caps.per_new_domain_per_day,
      perAccountPerDay: manifest.caps.per_account_per_day,
      meetingsPerAccountPerWeek: manifest.caps.meetings_per_account_per_week,
    },
    windows,
    salesforceShadows,
    approvalsExpireAfterMs: durationToMs(manifest.approvals.expire_after),
    qaSampleRate: manifest.qa.sample_rate,
    exceptionData: compileExceptionData(manifest.exception_data),
  };
}

function compileRule(id: string, role: string, rule: PolicyRule): CompiledRule {
  const auto = rule.auto_if
    ? {
        ...rule.auto_if,
        ...(rule.auto_if.sources ? { sourceSet: new Set(rule.auto_if.sources) } : {}),
        ...(rule.auto_if.segments ? { segmentSet: new Set(rule.auto_if.segments) } : {}),
        ...(rule.auto_if.templates ? { templateSet: new Set(rule.auto_if.templates) } : {}),
      }
    : undefined;
  return {
    id,
    tier: rule.tier,
    ...(auto ? { auto } : {}),
    approvers: rule.approvers ?? 1,
    exceptions: Object.entries(rule.exceptions ?? {}).filter(
      (e): e is [never, never] => e[1] !== undefined,
    ) as CompiledRule["exceptions"],
    caps: rule.cap ? compileRuleCap(role, id, rule.cap) : [],
  };
}

function compileRuleCap(role: string, ruleId: string, cap: PolicyRuleCap): CompiledCap[] {
  // A bucket is shared by the rules of one role that name it (email and phone: 300/day together).
  const scope = cap.bucket ? `bucket:${role}.${cap.bucket}` : `rule:${ruleId}`;
  return compileRoleCaps(scope, `${ruleId}.cap`, cap);
}

function compileRoleCaps(scope: string, ruleIdPrefix: string, caps: PolicyRoleCaps): CompiledCap[] {
  const out: CompiledCap[] = [];
  const add = (key: "per_hour" | "per_day" | "per_record_per_day", window: CounterWindow, perRecord: boolean) => {
    const limit = caps[key];
    if (limit === undefined) return;
    out.push({
      ruleId: `${ruleIdPrefix}.${key}`,
      window,
      limit,
      perRecord,
      keyPrefix: perRecord ? `${scope}:${window}:record:` : `${scope}:${window}`,
    });
  };
  add("per_hour", "hour", false);
  add("per_day", "day", false);
  add("per_record_per_day", "day", true);
  return out;
}

function compileWindow(ruleId: string, w: PolicyWindow, tenantZone: string): CompiledWindow {
  let dayMask = 0;
  for (const d of w.days) dayMask |= 1 << WEEKDAYS.indexOf(d);
  const tz = w.tz === "tenant" ? tenantZone : w.tz;
  const from = w.from === undefined ? undefined : toMinutes(w.from);
  const to = w.to === undefined ? undefined : toMinutes(w.to);
  const hours = w.from === undefined ? "all day" : `${w.from}–${w.to}`;
  return {
    ruleId,
    dayMask,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    tz,
    label: `${formatDays(dayMask)} ${hours}`,
  };
}

function toMinutes(clock: string): number {
  const [h, m] = clock.split(":").map(Number) as [number, number];
  return h * 60 + m;
}

/** `mon–fri`, `mon,wed,fri`, `every day`. */
function formatDays(mask: number): string {
  if (mask === 0b1111111) return "every day";
  const runs: string[] = [];
  for (let i = 0; i < 7; i++) {
    if (!(mask & (1 << i))) continue;
    let j = i;
    while (j + 1 < 7 && mask & (1 << (j + 1))) j++;
    runs.push(j - i >= 2 ? `${WEEKDAYS[i]}–${WEEKDAYS[j]}` : j > i ? `${WEEKDAYS[i]},${WEEKDAYS[j]}` : WEEKDAYS[i]!);
    i = j;
  }
  return runs.join(",");
}
