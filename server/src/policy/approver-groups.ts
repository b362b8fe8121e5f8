import type { ApproverGroup, PolicyManifest } from "../../../shared/index.js";
import type { CrmUser } from "../crm/index.js";

/** The group a rule without `approver_group` names. */
export const DEFAULT_APPROVER_GROUP = "default";

/**
 * The approver group of the rule an approval was opened under (its `rule_id`, a policy path such
 * as `roles.enrichment.objects.contact.fields.email`, possibly with a suffix such as
 * `.exceptions.exec_persona`): the deepest rule on that path that names one, else `default`.
 */
export function approverGroupOf(manifest: PolicyManifest, ruleId: string | null | undefined): string {
  if (!ruleId) return DEFAULT_APPROVER_GROUP;
  let node: unknown = manifest;
  let group: string = DEFAULT_APPROVER_GROUP;
  for (const key of ruleId.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) break;
    node = (node as Record<string, unknown>)[key];
    const named = (node as { approver_group?: unknown } | null)?.approver_group;
    if (typeof named === "string") group = named;
  }
  return group;
}

/** Why a CRM user may not approve under `groupName`, or `undefined` when the group admits them. */
export function whyNotApprover(
  manifest: PolicyManifest,
  groupName: string,
  user: CrmUser | undefined,
): string | undefined {
  const group = manifest.approvers?.[groupName];
  if (!group) return `no approver group ${JSON.stringify(groupName)} is configured, so no CRM user may approve this`;
  if (!user) return "the CRM does not know this user";
  return isInApproverGroup(group, user)
    ? undefined
    : `you are not in the approver group ${JSON.stringify(groupName)}: ask a RevOps admin to add your team, role or user`;
}

/**
 * Whether the CRM's own record of a user puts them in an approver group: any list naming the
 * user, one of their teams or roles, or super admins when the group admits them. CRM-neutral:
 * HubSpot card users and Salesforce card requests are checked by this one function.
 */
export function isInApproverGroup(group: ApproverGroup, user: CrmUser): boolean {
  if (user.crm === "hubspot") {
    const h = group.hubspot;
    if (!h) return false;
    return (
      (h.userIds?.includes(user.id) ?? false) ||
      (h.teamIds?.some((t) => user.teamIds.includes(t)) ?? false) ||
      (h.roleIds?.some((r) => user.roleIds.includes(r)) ?? false) ||
      (h.superAdmins === true && user.superAdmin)
    );
  }
  const s = group.salesforce;
  if (!s) return false;
  // Salesforce ids come in 15- and 18-character forms; the first 15 identify the user.
  const id15 = user.id.slice(0, 15);
  return (
    (s.userIds?.some((u) => u.slice(0, 15) === id15) ?? false) ||
    (s.permissionSets?.some((p) => user.permissionSets.includes(p)) ?? false)
  );
}

/** Tollgate roles a card user can hold, strongest first (docs/operations.md, role × action table). */
export const CARD_ROLES = ["owner", "revops_admin", "operator"] as const;
export type CardRole = (typeof CARD_ROLES)[number] | "approver";

/**
 * The Tollgate role of a CRM user inside the CRM (the app's settings page): the strongest of
 * `owner`, `revops_admin`, `operator` whose approver group of that name admits them (the same
 * `isInApproverGroup` rule), else `approver`. A policy that names no such group gives card users
 * no more than approving.
 */
export function cardRoleOf(manifest: PolicyManifest, user: CrmUser | undefined): CardRole {
  if (!user) return "approver";
  for (const role of CARD_ROLES) {
    const group = manifest.approvers?.[role];
    if (group && isInApproverGroup(group, user)) return role;
  }
  return "approver";
}
