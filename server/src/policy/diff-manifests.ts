/**
 * A short, human-readable summary of what changed between two policies, for the audit event of
 * a policy change ("roles.outreach.caps.per_day: 200 → 150; +roles.admin"). Pure.
 */
export function diffManifests(before: unknown, after: unknown, maxItems = 20): { summary: string; changes: string[] } {
  const changes: string[] = [];
  walk(before, after, "", changes);
  const shown = changes.slice(0, maxItems);
  const more = changes.length > maxItems ? `; …and ${changes.length - maxItems} more` : "";
  return { summary: changes.length ? `${shown.join("; ")}${more}` : "no change", changes };
}

const show = (v: unknown) => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in a)) out.push(`+${p}`);
      else if (!(k in b)) out.push(`-${p}`);
      else walk(a[k], b[k], p, out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${show(a)} → ${show(b)}`);
}
