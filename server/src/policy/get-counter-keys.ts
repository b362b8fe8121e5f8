import { resolveRule } from "./resolve-rule.js";
import type {
  CompiledCap,
  CompiledPolicy,
  CompiledRole,
  CompiledRule,
  CounterKey,
  CounterWindow,
  CountersSnapshot,
  DecisionInput,
} from "./types.js";

/** Return `true` to stop visiting. */
type CapVisitor = (key: string, window: CounterWindow, limit: number, ruleId: string) => boolean;

/**
 * Every counter an action counts against, with its limit: the role's caps, the rule's cap (or
 * its shared bucket), and the tenant-wide caps that apply to the verb. Keys name the window but
 * not the date — which day or hour it is, is the counter store's business.
 *
 * Key shapes: `role:<role>:<window>`, `role:<role>:day:record:<id>`, `rule:<ruleId>:<window>`,
 * `bucket:<role>.<bucket>:<window>`, `domain:<domain>:day`, `account:<id>:day`,
 * `account:<id>:meetings:week`.
 */
export function visitCaps(
  policy: CompiledPolicy,
  role: CompiledRole,
  rule: CompiledRule,
  input: DecisionInput,
  visit: CapVisitor,
): void {
  if (visitList(role.caps, input, visit) || visitList(rule.caps, input, visit)) return;
  if (input.kind !== "action") return;
  const t = policy.tenantCaps;
  const action = input.action;
  const domain = input.attributes?.domain;
  if (action === "send_email" && domain !== undefined) {
    const fresh = input.attributes?.newDomain === true && t.perNewDomainPerDay !== undefined;
    const limit = fresh ? t.perNewDomainPerDay : t.perDomainPerDay;
    if (
      limit !== undefined &&
      visit(`domain:${domain}:day`, "day", limit, fresh ? "caps.per_new_domain_per_day" : "caps.per_domain_per_day")
    )
      return;
  }
  const account = input.accountId;
  if (account === undefined) return;
  if ((action === "send_email" || action === "enroll_sequence") && t.perAccountPerDay !== undefined) {
    if (visit(`account:${account}:day`, "day", t.perAccountPerDay, "caps.per_account_per_day")) return;
  }
  if (action === "book_meeting" && t.meetingsPerAccountPerWeek !== undefined) {
    visit(
      `account:${account}:meetings:week`,
      "week",
      t.meetingsPerAccountPerWeek,
      "caps.meetings_per_account_per_week",
    );
  }
}

function visitList(caps: readonly CompiledCap[], input: DecisionInput, visit: CapVisitor): boolean {
  for (const cap of caps) {
    if (cap.perRecord) {
      if (input.recordId !== undefined && visit(cap.keyPrefix + input.recordId, cap.window, cap.limit, cap.ruleId))
        return true;
    } else if (visit(cap.keyPrefix, cap.window, cap.limit, cap.ruleId)) return true;
  }
  return false;
}

export interface ExceededCap {
  ruleId: string;
  used: number;
  limit: number;
}

/** The first cap this action would exceed (count + 1 > limit), if any. */
export function findExceededCap(
  policy: CompiledPolicy,
  role: CompiledRole,
  rule: CompiledRule,
  input: DecisionInput,
  counters: CountersSnapshot,
): ExceededCap | undefined {
  let hit: ExceededCap | undefined;
  visitCaps(policy, role, rule, input, (key, _window, limit, ruleId) => {
    const used = counters[key] ?? 0;
    if (used < limit) return false;
    hit = { ruleId, used, limit };
    return true;
  });
  return hit;
}

/**
 * The counters an input counts against, for the limits store: read them into the snapshot
 * before `decide`, and increment them once the action is carried out. Empty for inputs no rule
 * governs, reads and provenance writes.
 */
export function getCounterKeys(policy: CompiledPolicy, input: DecisionInput): CounterKey[] {
  const r = resolveRule(policy, input);
  if (r.kind !== "rule") return [];
  const keys: CounterKey[] = [];
  visitCaps(policy, r.role, r.rule, input, (key, window, limit, ruleId) => {
    keys.push({ key, window, limit, ruleId });
    return false;
  });
  return keys;
}
