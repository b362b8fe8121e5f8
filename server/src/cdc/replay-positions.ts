import type { Sql } from "../db/index.js";

export interface ReplayPosition {
  replayId: number;
  /** Commit time of the last processed event, when known. */
  lastEventAt: Date | undefined;
}

/** Where each org's CDC channel resumes: the replay id of the last event processed (PostgreSQL). */
export interface ReplayPositionStore {
  get(tenantId: string, channel: string): Promise<ReplayPosition | undefined>;
  save(tenantId: string, channel: string, position: ReplayPosition): Promise<void>;
}

export function createReplayPositionStore(db: Sql): ReplayPositionStore {
  return {
    async get(tenantId, channel) {
      const { rows } = await db.query<{ replay_id: string | number; last_event_at: Date | string | null }>(
        "SELECT replay_id, last_event_at FROM salesforce_replay_positions WHERE tenant_id = $1 AND channel = $2",
        [tenantId, channel],
      );
      const row = rows[0];
      return row
        ? { replayId: Number(row.replay_id), lastEventAt: row.last_event_at ? new Date(row.last_event_at) : undefined }
        : undefined;
    },
    async save(tenantId, channel, position) {
      await db.query(
        `INSERT INTO salesforce_replay_positions (tenant_id, channel, replay_id, last_event_at, updated_at)
         VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (tenant_id, channel) DO UPDATE
           SET replay_id = EXCLUDED.replay_id,
               last_event_at = COALESCE(EXCLUDED.last_event_at, salesforce_replay_positions.last_event_at),
               updated_at = now()`,
        [tenantId, channel, position.replayId, position.lastEventAt ?? null],
      );
    },
  };
}
