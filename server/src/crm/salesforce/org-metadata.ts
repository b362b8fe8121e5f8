import type { SalesforceTransport } from "./create-salesforce-transport.js";
import { queryAll } from "./query-all.js";
import { queryPath, soqlName, soqlString } from "./soql.js";

/**
 * Grants read and edit on `fields` (`Lead.AI_SDR_Source__c`) through a permission set
 * (`upsertMetadata`, so running it twice changes nothing) and assigns it to `userId` if it is
 * not yet: a new custom field is invisible to everyone until field-level security is granted.
 */
export async function grantFieldAccess(
  transport: SalesforceTransport,
  permissionSet: { name: string; label: string },
  fields: readonly string[],
  userId: string,
): Promise<{ assigned: boolean }> {
  await transport.call(`upsertMetadata PermissionSet ${permissionSet.name}`, (conn) =>
    conn.metadata.upsert("PermissionSet", {
      fullName: permissionSet.name,
      label: permissionSet.label,
      fieldPermissions: fields.map((field) => ({ field, readable: true, editable: true })),
    } as never),
  );
  const [set] = await queryAll<{ Id: string }>(
    transport,
    `SELECT Id FROM PermissionSet WHERE Name = ${soqlString(soqlName(permissionSet.name))}`,
  );
  if (!set) return { assigned: false };
  const existing = await queryAll<{ Id: string }>(
    transport,
    `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)} AND PermissionSetId = ${soqlString(set.Id)}`,
  );
  if (existing.length > 0) return { assigned: false };
  await transport.send({
    method: "POST",
    path: "/sobjects/PermissionSetAssignment",
    body: { AssigneeId: userId, PermissionSetId: set.Id },
  });
  return { assigned: true };
}

/**
 * Selects objects for Change Data Capture: one `PlatformEventChannelMember` per object on the
 * `ChangeEvents` channel, through the Tooling API (`createMetadata` does not take this type).
 * @returns the objects newly selected
 */
export async function enableChangeDataCapture(
  transport: SalesforceTransport,
  objectTypes: readonly string[],
): Promise<string[]> {
  const { records } = await transport.send<{ records: { FullName?: string; SelectedEntity?: string }[] }>({
    method: "GET",
    path: `/tooling${queryPath("SELECT Id, FullName, SelectedEntity FROM PlatformEventChannelMember")}`,
  });
  const selected = new Set(records.map((r) => r.SelectedEntity));
  const added: string[] = [];
  for (const objectType of objectTypes) {
    const entity = changeEventEntity(objectType);
    if (selected.has(entity)) continue;
    await transport.send({
      method: "POST",
      path: "/tooling/sobjects/PlatformEventChannelMember",
      body: { FullName: `ChangeEvents_${entity}`, Metadata: { eventChannel: "ChangeEvents", selectedEntity: entity } },
    });
    added.push(objectType);
  }
  return added;
}

/** `Lead` → `LeadChangeEvent`; `Employee__c` → `Employee__ChangeEvent`. */
export function changeEventEntity(objectType: string): string {
  return objectType.endsWith("__c") ? `${objectType.slice(0, -1)}ChangeEvent` : `${objectType}ChangeEvent`;
}

/** The names of the permission sets assigned to a user, as the org reports them. */
export async function readPermissionSetNames(transport: SalesforceTransport, userId: string): Promise<string[]> {
  const rows = await queryAll<{ PermissionSet?: { Name?: string } }>(
    transport,
    `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)}`,
  );
  return rows.map((r) => r.PermissionSet?.Name).filter((n): n is string => typeof n === "string");
}
