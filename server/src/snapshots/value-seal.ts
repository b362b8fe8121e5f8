import type { ObservedValue, PropertyRef } from "./types.js";

/**
 * Authenticated encryption of one value (the OAuth token cipher, `install/token-cipher.ts`, under
 * TOLLGATE_ENCRYPTION_KEY and its previous keys); `context` binds a ciphertext to its row.
 */
export interface ValueCipher {
  encrypt(plaintext: string, context: string): string;
  /** @throws when altered, sealed for another row, or under a key no longer configured. */
  decrypt(ciphertext: string, context: string): string;
}

export interface SnapshotSealing {
  cipher: ValueCipher;
  /** Whether the CRM marks the property's values sensitive (the shared cached property lookup). */
  isSensitive(tenantId: string, objectType: string, property: string): Promise<boolean>;
}

/** What a stored value is bound to: a sealed value copied to another record or property does not open. */
export const sealContext = (tenantId: string, r: PropertyRef): string =>
  `record_values\u0000${tenantId}\u0000${r.objectType}\u0000${r.objectId}\u0000${r.property}`;

/**
 * The stored form of observed values (docs/operations.md#security): a value the CRM marks
 * sensitive — by the webhook's `isSensitive`, or by its property definition — is sealed, every
 * other value kept as seen. Without sealing configured (no TOLLGATE_ENCRYPTION_KEY) values stay clear.
 */
export async function toStoredValues(
  values: readonly ObservedValue[],
  sealing: SnapshotSealing | undefined,
): Promise<{ value: string | null; sealed: boolean }[]> {
  if (!sealing) return values.map((v) => ({ value: v.value, sealed: false }));
  const lookups = new Map<string, Promise<boolean>>();
  const sensitive = (v: ObservedValue) => {
    if (v.sensitive) return Promise.resolve(true);
    const key = `${v.tenantId}\u0000${v.objectType}\u0000${v.property}`;
    let known = lookups.get(key);
    // An unreadable definition counts as sensitive, as on the gate's path.
    if (!known) lookups.set(key, (known = sealing.isSensitive(v.tenantId, v.objectType, v.property).catch(() => true)));
    return known;
  };
  return Promise.all(
    values.map(async (v) =>
      v.value !== null && (await sensitive(v))
        ? { value: sealing.cipher.encrypt(v.value, sealContext(v.tenantId, v)), sealed: true }
        : { value: v.value, sealed: false },
    ),
  );
}

/**
 * The value a stored row holds, opened where a restore or comparison reads it; `undefined` when a
 * sealed value cannot be opened (its key rotated out): the value is then unknown, as if never seen.
 */
export function openStoredValue(
  tenantId: string,
  row: PropertyRef & { value: string | null; sealed: boolean },
  sealing: SnapshotSealing | undefined,
): string | null | undefined {
  if (!row.sealed || row.value === null) return row.value;
  if (!sealing) return undefined;
  try {
    return sealing.cipher.decrypt(row.value, sealContext(tenantId, row));
  } catch {
    return undefined;
  }
}
