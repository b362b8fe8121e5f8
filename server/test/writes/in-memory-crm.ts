import type { CrmConnector, CrmRecord, RateLimitState, RecordWrite, WriteResult } from "../../src/crm/index.js";

type Step = (writes: readonly RecordWrite[]) => Promise<WriteResult[]>;

/**
 * A CRM held in memory behind the real `CrmConnector` interface: it applies writes, records every
 * `writeRecords` call, and can be scripted to fail or hang on the next calls. Stands in for
 * HubSpot where HTTP is beside the point (guards, holds, crash recovery).
 */
export class InMemoryCrm implements CrmConnector {
  readonly crm = "hubspot" as const;
  readonly calls: { at: number; writes: RecordWrite[] }[] = [];
  private readonly values = new Map<string, Record<string, string>>();
  private readonly script: Step[] = [];
  private limit: RateLimitState | undefined;

  constructor(readonly tenantId: string) {}

  /** The next `writeRecords` call runs `step` instead of the default (apply and succeed). */
  next(step: Step): this {
    this.script.push(step);
    return this;
  }

  /** Applies the writes, then never answers: the process "dies" mid-flush. */
  applyThenHang(): this {
    return this.next((writes) => {
      this.apply(writes);
      return new Promise<never>(() => undefined);
    });
  }

  set(objectType: string, objectId: string, properties: Record<string, string>): void {
    this.values.set(`${objectType}/${objectId}`, { ...this.get(objectType, objectId), ...properties });
  }

  get(objectType: string, objectId: string): Record<string, string> | undefined {
    return this.values.get(`${objectType}/${objectId}`);
  }

  setRateLimitState(state: RateLimitState | undefined): void {
    this.limit = state;
  }

  async writeRecords(writes: readonly RecordWrite[]): Promise<WriteResult[]> {
    this.calls.push({ at: Date.now(), writes: structuredClone([...writes]) });
    const step = this.script.shift();
    if (step) return step(writes);
    return this.apply(writes);
  }

  apply(writes: readonly RecordWrite[]): WriteResult[] {
    for (const w of writes) this.set(w.objectType, w.objectId, w.properties);
    return writes.map((w) => ({ objectType: w.objectType, objectId: w.objectId, ok: true }));
  }

  async readRecords(objectType: string, ids: readonly string[], properties: readonly string[]): Promise<CrmRecord[]> {
    return ids.flatMap((objectId) => {
      const values = this.get(objectType, objectId);
      if (!values) return [];
      return [{ objectType, objectId, properties: Object.fromEntries(properties.map((p) => [p, values[p] ?? null])) }];
    });
  }

  async listRecords(
    objectType: string,
    properties: readonly string[],
  ): Promise<{ records: CrmRecord[]; after: undefined }> {
    const ids = [...this.values.keys()]
      .filter((k) => k.startsWith(`${objectType}/`))
      .map((k) => k.slice(objectType.length + 1));
    return { records: await this.readRecords(objectType, ids, properties), after: undefined };
  }

  async searchRecords(): Promise<never> {
    throw new Error("the in-memory CRM does not search");
  }

  async listProperties(): Promise<never[]> {
    return [];
  }

  async ensurePropertyGroup(): Promise<boolean> {
    return false;
  }

  async createProperties(): Promise<void> {}

  rateLimitState(): RateLimitState | undefined {
    return this.limit;
  }
}
