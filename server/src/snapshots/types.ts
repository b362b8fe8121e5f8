/** One property value Tollgate saw on a record, and who set it. */
export interface ObservedValue {
  tenantId: string;
  crm: "hubspot" | "salesforce";
  /** The CRM's API name (`contacts`, `Lead`). */
  objectType: string;
  objectId: string;
  property: string;
  value: string | null;
  occurredAt: Date;
  actorType: "agent" | "human" | "tollgate" | "unattributed" | "baseline";
  actorId: string | null;
  /** False for a value an agent wrote that the policy did not allow: never restored to. */
  trusted: boolean;
  /** Idempotency key: the webhook dedupe key, or a history/baseline key. */
  eventKey: string;
  /** The CRM marked this value sensitive (HubSpot `isSensitive`): stored sealed, as are values of properties it defines so. */
  sensitive?: boolean | undefined;
}

export interface PropertyRef {
  objectType: string;
  objectId: string;
  property: string;
}

export interface LatestValue extends PropertyRef {
  value: string | null;
  occurredAt: Date;
  actorType: ObservedValue["actorType"];
  actorId: string | null;
  trusted: boolean;
}

export const propertyKey = (r: PropertyRef): string => `${r.objectType}\u0000${r.objectId}\u0000${r.property}`;
