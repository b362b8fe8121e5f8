import { toHubSpotObjectName } from "../../src/crm/hubspot/index.js";
import { DEFAULT_READ_PROPERTIES, SANDBOX_OBJECT_TYPES } from "./default-properties.js";
import type { PropertyRegistry } from "./property-registry.js";
import { SandboxApiError } from "./sandbox-api-error.js";
import type { SandboxActor, SandboxHistoryEntry, SandboxRecord } from "./types.js";
import { validatePropertyValue, type PropertyIssue } from "./validate-property-value.js";

interface StoredEntry {
  value: string;
  at: number;
  actor: SandboxActor;
}

interface StoredRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  values: Map<string, string>;
  /** Per property, newest first. */
  history: Map<string, StoredEntry[]>;
}

/** What a write changed: the record's creation and each property whose value moved. */
export type StoreChange =
  | { kind: "creation"; objectType: string; objectId: string; occurredAt: number; actor: SandboxActor }
  | {
      kind: "propertyChange";
      objectType: string;
      objectId: string;
      propertyName: string;
      value: string;
      occurredAt: number;
      actor: SandboxActor;
    };

/**
 * Records and their property history. Only a value that differs from the current one is a
 * change: HubSpot adds no history entry and sends no webhook for an unchanged value.
 */
export class RecordStore {
  private readonly records = new Map<string, Map<string, StoredRecord>>();
  private nextId = 100_001;

  constructor(
    private readonly registry: PropertyRegistry,
    private readonly now: () => number,
    private readonly strict: boolean,
  ) {}

  /** Path segment (`contacts`, `0-1`) → the sandbox's type name; 400 for a type it does not model. */
  resolveType(pathType: string): string {
    const name = toHubSpotObjectName(pathType);
    if (!SANDBOX_OBJECT_TYPES.includes(name))
      throw new SandboxApiError(400, "VALIDATION_ERROR", `Unable to infer object type from: ${pathType}`);
    return name;
  }

  issues(objectType: string, properties: Record<string, string>): PropertyIssue[] {
    if (!this.strict) return [];
    return Object.entries(properties).flatMap(
      ([name, value]) => validatePropertyValue(this.registry.get(objectType, name), name, value) ?? [],
    );
  }

  /** 400 `VALIDATION_ERROR` naming every invalid property, as HubSpot's "Property values were not valid". */
  assertValid(objectType: string, properties: Record<string, string>): void {
    const issues = this.issues(objectType, properties);
    if (issues.length > 0) {
      throw new SandboxApiError(400, "VALIDATION_ERROR", `Property values were not valid: ${JSON.stringify(issues)}`, {
        errors: issues.map((i) => ({ message: i.message, code: i.error, context: { propertyName: [i.name] } })),
      });
    }
  }

  create(
    objectType: string,
    properties: Record<string, string>,
    actor: SandboxActor,
    id?: string,
  ): { record: SandboxRecord; changes: StoreChange[] } {
    const at = this.now();
    const table = this.table(objectType);
    // HubSpot ids are numeric; webhooks carry them as numbers.
    if (id !== undefined && !/^\d+$/.test(id))
      throw new SandboxApiError(400, "VALIDATION_ERROR", `Object ids are numeric; got ${id}`);
    while (id === undefined && table.has(String(this.nextId))) this.nextId += 1;
    const objectId = id ?? String(this.nextId++);
    if (table.has(objectId)) throw new SandboxApiError(409, "CONFLICT", `Object ${objectId} already exists.`);
    table.set(objectId, { id: objectId, createdAt: at, updatedAt: at, values: new Map(), history: new Map() });
    const changes: StoreChange[] = [{ kind: "creation", objectType, objectId, occurredAt: at, actor }];
    changes.push(...this.apply(objectType, objectId, properties, actor));
    return { record: this.snapshot(objectType, objectId)!, changes };
  }

  /** 404 `OBJECT_NOT_FOUND` when the record does not exist. Validate first with `assertValid`. */
  update(
    objectType: string,
    objectId: string,
    properties: Record<string, string>,
    actor: SandboxActor,
  ): { record: SandboxRecord; changes: StoreChange[] } {
    if (!this.table(objectType).has(objectId))
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `Object not found. objectId are usually numeric.`, {
        context: { id: [objectId] },
      });
    const changes = this.apply(objectType, objectId, properties, actor);
    return { record: this.snapshot(objectType, objectId)!, changes };
  }

  /** HubSpot's archive: the record is gone from reads and lists; 404 when it does not exist. */
  archive(objectType: string, objectId: string): void {
    if (!this.table(objectType).delete(objectId))
      throw new SandboxApiError(404, "OBJECT_NOT_FOUND", `Object not found. objectId are usually numeric.`, {
        context: { id: [objectId] },
      });
  }

  has(objectType: string, objectId: string): boolean {
    return this.table(objectType).has(objectId);
  }

  ids(objectType: string): string[] {
    return [...this.table(objectType).keys()];
  }

  snapshot(objectType: string, objectId: string): SandboxRecord | undefined {
    const r = this.table(objectType).get(objectId);
    if (!r) return undefined;
    return {
      objectType,
      id: r.id,
      properties: Object.fromEntries(r.values),
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
    };
  }

  history(objectType: string, objectId: string, property: string): SandboxHistoryEntry[] {
    return (this.table(objectType).get(objectId)?.history.get(property) ?? []).map(toHistoryEntry);
  }

  /** The record as CRM v3 returns it (`SimplePublicObject`); unset properties read `null`. */
  toPublicObject(
    objectType: string,
    objectId: string,
    properties: string[] | undefined,
    withHistory: string[] | undefined,
  ): Record<string, unknown> | undefined {
    const r = this.table(objectType).get(objectId);
    if (!r) return undefined;
    const names =
      properties && properties.length > 0
        ? properties
        : (DEFAULT_READ_PROPERTIES[objectType] ?? ["hs_object_id", "hs_createdate", "hs_lastmodifieddate"]);
    const out: Record<string, unknown> = {
      id: r.id,
      properties: Object.fromEntries(names.map((n) => [n, this.valueOf(r, n)])),
      createdAt: iso(r.createdAt),
      updatedAt: iso(r.updatedAt),
      archived: false,
    };
    if (withHistory && withHistory.length > 0) {
      out["propertiesWithHistory"] = Object.fromEntries(
        withHistory.map((n) => [n, (r.history.get(n) ?? []).map(toHistoryEntry)]),
      );
    }
    return out;
  }

  private valueOf(r: StoredRecord, name: string): string | null {
    if (name === "hs_object_id") return r.id;
    if (name === "createdate" || name === "hs_createdate") return iso(r.createdAt);
    if (name === "lastmodifieddate" || name === "hs_lastmodifieddate") return iso(r.updatedAt);
    const value = r.values.get(name);
    return value === undefined || value === "" ? null : value;
  }

  private apply(
    objectType: string,
    objectId: string,
    properties: Record<string, string>,
    actor: SandboxActor,
  ): StoreChange[] {
    const r = this.table(objectType).get(objectId)!;
    const at = Math.max(this.now(), r.updatedAt);
    const changes: StoreChange[] = [];
    for (const [name, raw] of Object.entries(properties)) {
      const value = raw === null || raw === undefined ? "" : String(raw);
      // Unset and "" are the same "no value"; setting what is already there changes nothing.
      if ((r.values.get(name) ?? "") === value) continue;
      r.values.set(name, value);
      const entries = r.history.get(name) ?? [];
      entries.unshift({ value, at, actor });
      r.history.set(name, entries);
      changes.push({ kind: "propertyChange", objectType, objectId, propertyName: name, value, occurredAt: at, actor });
    }
    if (changes.length > 0) r.updatedAt = at;
    return changes;
  }

  private table(objectType: string): Map<string, StoredRecord> {
    let table = this.records.get(objectType);
    if (!table) {
      table = new Map();
      this.records.set(objectType, table);
    }
    return table;
  }
}

/** How HubSpot records an actor: app tokens as `INTEGRATION`/app id, UI users as `CRM_UI`/`userId:<id>`. */
export function sourceOf(
  actor: SandboxActor,
): Pick<SandboxHistoryEntry, "sourceType" | "sourceId" | "updatedByUserId"> {
  if (actor.kind === "app") return { sourceType: "INTEGRATION", sourceId: actor.appId };
  if (actor.kind === "user") {
    const numeric = Number(actor.userId);
    return {
      sourceType: "CRM_UI",
      sourceId: `userId:${actor.userId}`,
      ...(Number.isInteger(numeric) ? { updatedByUserId: numeric } : {}),
    };
  }
  return { sourceType: "IMPORT" };
}

function toHistoryEntry(e: StoredEntry): SandboxHistoryEntry {
  return { value: e.value, timestamp: iso(e.at), ...sourceOf(e.actor) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
