import type { CrmWriteRow } from "./types.js";

/**
 * Who planned a write hears how it ended (approvals: applied / conflict / failed; rollback
 * progress). Those planners need the queue to plan, so they are added after it exists; they hear
 * in the order they were added.
 */
export function createSettledListeners(): {
  onSettled(rows: CrmWriteRow[]): Promise<void>;
  add(listener: (rows: CrmWriteRow[]) => Promise<void>): void;
} {
  const listeners: ((rows: CrmWriteRow[]) => Promise<void>)[] = [];
  return {
    async onSettled(rows) {
      for (const listener of listeners) await listener(rows);
    },
    add: (listener) => void listeners.push(listener),
  };
}
