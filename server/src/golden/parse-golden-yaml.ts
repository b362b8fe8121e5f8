import { parse } from "yaml";
import { goldenRecordInputSchema, type GoldenRecordInput } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";

/**
 * A golden-records file (docs/operations.md "Golden records"):
 *
 * ```yaml
 * records:
 *   - { eventId: 01J…, expect: needs_approval, note: "regulated account: a person decides" }
 *   - { eventId: 01J…, expect: deny }
 * ```
 * A bare list of records is accepted too. Every problem names the record's index.
 */
export function parseGoldenYaml(text: string): GoldenRecordInput[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new ValidationError(`invalid golden records YAML: ${(err as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { records?: unknown } | null)?.records;
  if (!Array.isArray(list) || list.length === 0)
    throw new ValidationError("invalid golden records YAML: expected `records:` with at least one record");
  return list.map((item, i) => {
    const parsed = goldenRecordInputSchema.safeParse(item);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new ValidationError(`invalid golden records YAML: records[${i}].${issue.path.join(".")}: ${issue.message}`, {
      issues: parsed.error.issues.map((x) => ({ path: `records.${i}.${x.path.join(".")}`, message: x.message })),
    });
  });
}
