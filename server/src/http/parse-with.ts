import type { z } from "zod";
import { ValidationError } from "../errors/index.js";

/** Validates `value` against `schema`; on failure a 400 listing every issue with its path. */
export function parseWith<S extends z.ZodTypeAny>(schema: S, value: unknown, what = "request"): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0]!;
  throw new ValidationError(`invalid ${what}: ${first.path ? `${first.path}: ` : ""}${first.message}`, { issues });
}
