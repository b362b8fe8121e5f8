import { formatCrmProperties } from "@hubspot/ui-extensions";
import { useCallback } from "react";
import type { Approval } from "../lib/types";
import { useRequest } from "./use-request";

/** A field proposal's values as HubSpot displays them. */
export interface ShownValues {
  current: string | null;
  proposed: string | null;
}

const OBJECT_TYPE_IDS: Record<string, string> = { contacts: "0-1", companies: "0-2", deals: "0-3", leads: "0-136" };

/**
 * The current and proposed values of field proposals as HubSpot itself displays them —
 * `formatCrmProperties`, with the portal's own property definitions: option labels, owner names,
 * currency, dates in the portal's time zone and the user's locale. Keyed by approval id; a value
 * HubSpot cannot format (or any failure) is left out, and the card shows the raw value.
 */
export function useFormattedValues(approvals: readonly Approval[] | null): Record<string, ShownValues> {
  const load = useCallback(() => formatAll(approvals ?? []), [approvals]);
  const { state } = useRequest(load);
  return state.status === "success" ? state.data : {};
}

async function formatAll(approvals: readonly Approval[]): Promise<Record<string, ShownValues>> {
  const fields = approvals.filter((a) => (a.action ?? "field_write") === "field_write");
  const byType = new Map<string, Approval[]>();
  for (const a of fields) byType.set(a.objectType, [...(byType.get(a.objectType) ?? []), a]);
  const shown: Record<string, ShownValues> = {};
  await Promise.all(
    [...byType].map(async ([objectType, list]) => {
      try {
        const formatted = await formatCrmProperties({
          objectType: OBJECT_TYPE_IDS[objectType] ?? objectType,
          properties: list.flatMap((a) => [{ [a.field]: a.currentValue }, { [a.field]: a.proposedValue }]),
        });
        list.forEach((a, i) => {
          shown[a.id] = {
            current: formatted[2 * i]?.[a.field] ?? a.currentValue,
            proposed: formatted[2 * i + 1]?.[a.field] ?? a.proposedValue,
          };
        });
      } catch {
        // Outside HubSpot (or when it cannot format), the raw values stand.
      }
    }),
  );
  return shown;
}
