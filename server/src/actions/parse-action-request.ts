import { actionRequestSchema, type ActionRequest, toCrmObjectType, toPolicyObject } from "../../../shared/index.js";
import { ValidationError } from "../errors/index.js";

/** The request, or a 400 naming every problem. */
export function parseActionRequest(raw: unknown): ActionRequest {
  const parsed = actionRequestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0]!;
  throw new ValidationError(`invalid action: ${first.path ? `${first.path}: ` : ""}${first.message}`, { issues });
}

/** The CRM's name for the object; a given `objectType` must be that object's. */
export function resolveObjectType(r: ActionRequest): string | undefined {
  const mapped = toCrmObjectType(r.crm, r.object);
  if (r.objectType !== undefined && toPolicyObject(r.crm, r.objectType) !== r.object) {
    const message = `${r.objectType} is not the ${r.crm} name of ${r.object}`;
    throw new ValidationError(`invalid action: objectType: ${message}`, { issues: [{ path: "objectType", message }] });
  }
  const objectType = mapped ?? r.objectType;
  if (r.action === "update_field" && objectType === undefined) {
    const message = `${r.crm} has no ${r.object} object to write to`;
    throw new ValidationError(`invalid action: object: ${message}`, { issues: [{ path: "object", message }] });
  }
  return objectType;
}
