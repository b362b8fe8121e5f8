import type { ProvisioningPlan } from "./types.js";

/**
 * A readable dry-run of a plan (`tollgate install hubspot --dry-run`): one row per group and
 * property with what install would do, then the problems, then a one-line summary.
 *
 * @example
 * OBJECT    PROPERTY               KIND        TYPE             ACTION
 * contacts  tollgate               group       -                ensure
 * contacts  ai_sdr_last_action_at  provenance  datetime/date    create
 */
export function formatProvisioningPlan(plan: ProvisioningPlan): string {
  const rows: string[][] = [["OBJECT", "PROPERTY", "KIND", "TYPE", "ACTION", "LABEL"]];
  let toCreate = 0;
  let present = 0;
  for (const obj of plan.objects) {
    rows.push([obj.objectType, obj.group.name, "group", "-", "ensure", obj.group.label]);
    for (const p of obj.properties) {
      if (p.action === "create") toCreate++;
      else present++;
      const type = `${p.definition.type}/${p.definition.fieldType}`;
      const options = p.definition.options?.length ? ` (${p.definition.options.length} options)` : "";
      rows.push([
        obj.objectType,
        p.definition.name,
        p.kind,
        type + options,
        p.action === "create" ? "create" : "exists (kept)",
        p.definition.label,
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );

  const lines = [...table, ""];
  if (plan.problems.length) {
    lines.push("Problems (nothing is created or changed for these):");
    for (const p of plan.problems)
      lines.push(`  - [${p.kind}] ${p.objectType}${p.name ? ` ${p.name}` : ""}: ${p.message}`);
    lines.push("");
  }
  lines.push(
    `${toCreate} ${toCreate === 1 ? "property" : "properties"} to create, ${present} already present, ${plan.problems.length} ${plan.problems.length === 1 ? "problem" : "problems"}, on ${plan.objects.length} ${plan.objects.length === 1 ? "object" : "objects"}. Existing properties are never changed or deleted.`,
  );
  return lines.join("\n");
}
