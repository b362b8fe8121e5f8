import { DEFAULT_FIELDS, type SandboxField } from "./default-fields.js";
import { IdGenerator, KEY_PREFIXES } from "./ids.js";
import { SandboxError } from "./sandbox-error.js";
import { historyObjectOf } from "../../src/crm/salesforce/index.js";

export { historyObjectOf };

export type SandboxValue = string | number | boolean | null;
export type SandboxRow = Record<string, SandboxValue> & { Id: string };

/** What one write changed on one record, for Change Data Capture. */
export interface StoreChange {
  entityName: string;
  recordId: string;
  changeType: "CREATE" | "UPDATE";
  /** Changed fields and their new values (on CREATE: every field set). */
  fields: Record<string, SandboxValue>;
  at: string;
}

const NUMERIC = new Set(["double", "currency", "percent", "int"]);

/** Salesforce's datetime format: `2026-12-04T14:01:06.000+0000`. */
export function sfDate(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/**
 * The org's data: records per object, field definitions (standard plus custom fields created
 * through the Metadata API), and field history kept as rows of `<Object>History` /
 * `OpportunityFieldHistory`, so SOQL reads them like any object. Every mutation gets a strictly
 * later timestamp, so history orders cleanly.
 */
export class RecordStore {
  readonly ids = new IdGenerator();
  private readonly rows = new Map<string, Map<string, SandboxRow>>();
  private readonly fields = new Map<string, SandboxField[]>();
  private lastMs = 0;

  constructor(private readonly clock: () => number) {
    for (const [type, fields] of Object.entries(DEFAULT_FIELDS))
      this.fields.set(
        type,
        fields.map((f) => ({ ...f })),
      );
  }

  tick(): number {
    this.lastMs = Math.max(this.clock(), this.lastMs + 1);
    return this.lastMs;
  }

  describe(type: string): SandboxField[] {
    const fields = this.fields.get(type);
    if (!fields)
      throw new SandboxError(
        404,
        "NOT_FOUND",
        `The requested resource does not exist: sObject type '${type}' is not supported.`,
      );
    return fields;
  }

  hasType(type: string): boolean {
    return this.fields.has(type) || this.rows.has(type) || /History$/.test(type);
  }

  addField(type: string, field: SandboxField): boolean {
    const fields = this.describe(type);
    if (fields.some((f) => f.name.toLowerCase() === field.name.toLowerCase())) return false;
    fields.push(field);
    return true;
  }

  table(type: string): Map<string, SandboxRow> {
    let t = this.rows.get(type);
    if (!t) this.rows.set(type, (t = new Map()));
    return t;
  }

  get(type: string, id: string): SandboxRow | undefined {
    const t = this.rows.get(type);
    return t?.get(id) ?? [...(t?.values() ?? [])].find((r) => r.Id.slice(0, 15) === id.slice(0, 15));
  }

  create(
    type: string,
    values: Record<string, unknown>,
    userId: string,
    id?: string,
  ): { row: SandboxRow; change: StoreChange } {
    const at = sfDate(this.tick());
    const fields = this.coerce(type, values);
    const rowId = id ?? this.ids.issue(KEY_PREFIXES[type] ?? "a00");
    const row: SandboxRow = {
      Id: rowId,
      ...fields,
      CreatedDate: at,
      CreatedById: userId,
      LastModifiedDate: at,
      LastModifiedById: userId,
      SystemModstamp: at,
    };
    this.table(type).set(rowId, row);
    this.appendHistory(type, rowId, "created", null, null, at, userId);
    return { row, change: { entityName: type, recordId: rowId, changeType: "CREATE", fields: { ...fields }, at } };
  }

  update(type: string, id: string, values: Record<string, unknown>, userId: string): StoreChange {
    const row = this.get(type, id);
    if (!row) throw new SandboxError(404, "INVALID_CROSS_REFERENCE_KEY", `invalid cross reference id: ${id}`);
    const fields = this.coerce(type, values);
    const at = sfDate(this.tick());
    const changed: Record<string, SandboxValue> = {};
    for (const [name, value] of Object.entries(fields)) {
      const before = row[name] ?? null;
      if (before === value) continue;
      changed[name] = value;
      this.appendHistory(type, row.Id, name, before, value, at, userId);
      row[name] = value;
    }
    row.LastModifiedDate = at;
    row.LastModifiedById = userId;
    row.SystemModstamp = at;
    return { entityName: type, recordId: row.Id, changeType: "UPDATE", fields: changed, at };
  }

  /** Deletes a record (the REST `DELETE /sobjects/{type}/{id}`); its history rows stay, as in the Recycle Bin. */
  delete(type: string, id: string): void {
    const row = this.get(type, id);
    if (!row) throw new SandboxError(404, "ENTITY_IS_DELETED", "entity is deleted");
    this.table(type).delete(row.Id);
  }

  /** Validates names and types the way the REST API does, and converts text to the field's type. */
  coerce(type: string, values: Record<string, unknown>): Record<string, SandboxValue> {
    const fields = this.describe(type);
    const out: Record<string, SandboxValue> = {};
    for (const [name, raw] of Object.entries(values)) {
      if (name === "attributes" || name === "Id" || name === "id") continue;
      const field = fields.find((f) => f.name === name);
      if (!field)
        throw new SandboxError(400, "INVALID_FIELD", `No such column '${name}' on sobject of type ${type}`, [name]);
      if (!field.updateable)
        throw new SandboxError(400, "INVALID_FIELD_FOR_INSERT_UPDATE", `Unable to create/update fields: ${name}.`, [
          name,
        ]);
      out[name] = convert(field, raw);
    }
    if (type === "Task") this.checkTaskLinks(out);
    return out;
  }

  /** A Task's owner is a user, `WhoId` a Lead or Contact, `WhatId` anything else, as Salesforce enforces. */
  private checkTaskLinks(fields: Record<string, SandboxValue>): void {
    const wrong = (field: string, label: string, id: SandboxValue) =>
      new SandboxError(400, "FIELD_INTEGRITY_EXCEPTION", `${label}: id value of incorrect type: ${String(id)}`, [
        field,
      ]);
    const person = (id: SandboxValue) => typeof id === "string" && ["00Q", "003"].includes(id.slice(0, 3));
    if (typeof fields["OwnerId"] === "string" && !this.get("User", fields["OwnerId"]))
      throw new SandboxError(400, "INVALID_CROSS_REFERENCE_KEY", "Assigned To ID: invalid cross reference id", [
        "OwnerId",
      ]);
    if (fields["WhoId"] && !person(fields["WhoId"])) throw wrong("WhoId", "Name ID", fields["WhoId"]);
    if (fields["WhatId"] && person(fields["WhatId"])) throw wrong("WhatId", "Related To ID", fields["WhatId"]);
  }

  private appendHistory(
    type: string,
    parentId: string,
    field: string,
    before: SandboxValue,
    after: SandboxValue,
    at: string,
    userId: string,
  ): void {
    if (
      type.endsWith("History") ||
      (!["Lead", "Contact", "Account", "Opportunity"].includes(type) && !type.endsWith("__c"))
    )
      return;
    const { object, parentField } = historyObjectOf(type);
    const history = this.table(object);
    const id = this.ids.issue("017");
    history.set(id, {
      Id: id,
      [parentField]: parentId,
      Field: field,
      OldValue: before,
      NewValue: after,
      CreatedDate: at,
      CreatedById: userId,
      IsDeleted: false,
    });
  }
}

function convert(field: SandboxField, raw: unknown): SandboxValue {
  if (raw === null || raw === undefined || raw === "") return null;
  if (NUMERIC.has(field.type)) {
    const n = typeof raw === "number" ? raw : Number(raw);
    if (!Number.isFinite(n))
      throw new SandboxError(
        400,
        "INVALID_TYPE_ON_FIELD_IN_RECORD",
        `${field.label}: value not of required type: ${String(raw)}`,
        [field.name],
      );
    return n;
  }
  if (field.type === "boolean") return raw === true || raw === "true";
  const text = typeof raw === "string" ? raw : String(raw);
  const length = field.length ?? (field.type === "string" ? 255 : undefined);
  if (length !== undefined && [...text].length > length)
    throw new SandboxError(
      400,
      "STRING_TOO_LONG",
      `${field.label}: data value too large: ${text.slice(0, 40)}… (max length=${length})`,
      [field.name],
    );
  return text;
}
