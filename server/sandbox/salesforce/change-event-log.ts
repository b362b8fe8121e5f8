import { randomUUID } from "node:crypto";
import type { SandboxValue, StoreChange } from "./record-store.js";

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields?: string[];
}

/** A CDC event as CometD delivers it in `data`. */
export interface ChangeEventData {
  schema: string;
  payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
  event: { replayId: number };
}

export interface LoggedEvent {
  replayId: number;
  channels: string[];
  data: ChangeEventData;
  /** When it was published (epoch ms): retention counts from here. */
  publishedAt: number;
}

/** How much of the stream is kept for replay. */
export interface Retention {
  /** Events kept at most. */
  events: number;
  /** How long an event is kept (Salesforce: 72 hours). */
  ms: number;
  clock: () => number;
}

/**
 * The org's Change Data Capture stream: every committed transaction becomes events on
 * `/data/ChangeEvents` and `/data/<Object>ChangeEvent`, numbered by an increasing replay id and
 * kept for a retention window (Salesforce keeps 72 hours; here configurable, and bounded in
 * number too). Once an event has left the window, a subscriber asking to resume after it is
 * refused. Identical changes to several records in one transaction become one event naming them
 * all, as Salesforce merges them.
 */
export class ChangeEventLog {
  private readonly events: LoggedEvent[] = [];
  private nextReplayId = 1;
  /** The newest replay id no longer retained (0: none yet). */
  private purgedThrough = 0;
  private commitNumber = 1_000;
  private readonly listeners = new Set<(e: LoggedEvent) => void>();

  constructor(
    private readonly retention: Retention,
    readonly enabled: Set<string>,
  ) {}

  onEvent(listener: (e: LoggedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** While set, transactions publish no event: what a subscriber that never receives one sees. */
  withholding = false;

  /** The events of one transaction (one API call). */
  publishTransaction(changes: readonly StoreChange[], commitUser: string, changeOrigin: string): void {
    if (this.withholding) return;
    const groups = new Map<string, { change: StoreChange; recordIds: string[] }>();
    for (const change of changes) {
      if (!this.enabled.has(change.entityName)) continue;
      if (change.changeType === "UPDATE" && Object.keys(change.fields).length === 0) continue;
      const key = `${change.entityName}|${change.changeType}|${JSON.stringify(change.fields)}`;
      const group = groups.get(key);
      if (group && change.changeType === "UPDATE") group.recordIds.push(change.recordId);
      else groups.set(group ? `${key}|${change.recordId}` : key, { change, recordIds: [change.recordId] });
    }
    const transactionKey = randomUUID();
    let sequenceNumber = 0;
    this.commitNumber += 1;
    for (const { change, recordIds } of groups.values()) {
      const header: ChangeEventHeader = {
        entityName: change.entityName,
        recordIds,
        changeType: change.changeType,
        changeOrigin,
        transactionKey,
        sequenceNumber: ++sequenceNumber,
        commitTimestamp: Date.parse(change.at.replace("+0000", "Z")),
        commitNumber: this.commitNumber,
        commitUser,
        ...(change.changeType === "UPDATE"
          ? { changedFields: [...Object.keys(change.fields), "LastModifiedDate"] }
          : {}),
      };
      this.publish(header, { ...change.fields, LastModifiedDate: change.at } as Record<string, SandboxValue>);
    }
  }

  /** Any event, for faults: `GAP_UPDATE`, `GAP_OVERFLOW`. */
  publish(header: ChangeEventHeader, fields: Record<string, unknown> = {}): LoggedEvent {
    const replayId = this.nextReplayId++;
    const event: LoggedEvent = {
      replayId,
      publishedAt: this.retention.clock(),
      channels: ["/data/ChangeEvents", `/data/${header.entityName.replace(/__c$/, "__")}ChangeEvent`],
      data: {
        schema: `sandbox-${header.entityName}`,
        payload: { ChangeEventHeader: header, ...fields },
        event: { replayId },
      },
    };
    this.events.push(event);
    this.purge();
    for (const l of this.listeners) l(event);
    return event;
  }

  /**
   * Events after `replayId` on `channel`, or `undefined` when that id is not one to resume after:
   * an event that has left the retention window (or one never published).
   */
  after(channel: string, replayId: number): LoggedEvent[] | undefined {
    this.purge();
    if (replayId === -2) return this.events.filter((e) => e.channels.includes(channel));
    if (replayId === -1) return [];
    if (replayId <= this.purgedThrough || replayId >= this.nextReplayId) return undefined;
    return this.events.filter((e) => e.replayId > replayId && e.channels.includes(channel));
  }

  /** Drops what has left the window: events older than `retention.ms`, and the oldest past `retention.events`. */
  private purge(): void {
    const horizon = this.retention.clock() - this.retention.ms;
    let drop = Math.max(0, this.events.length - this.retention.events);
    while (drop < this.events.length && this.events[drop]!.publishedAt < horizon) drop += 1;
    if (drop === 0) return;
    this.purgedThrough = this.events[drop - 1]!.replayId;
    this.events.splice(0, drop);
  }

  /** Drops every retained event (retention passing), keeping the numbering. */
  expireAll(): void {
    this.purgedThrough = this.latestReplayId;
    this.events.length = 0;
  }

  get latestReplayId(): number {
    return this.nextReplayId - 1;
  }
}
