import type { Router } from "express";
import type { ChangeEventLog } from "./change-event-log.js";
import type { RecordStore } from "./record-store.js";
import { SandboxError } from "./sandbox-error.js";
import { parseSoql, runSoql } from "./soql.js";

/**
 * Tooling API for what `createMetadata` cannot do: `PlatformEventChannelMember` selects an
 * object for Change Data Capture (`ChangeEvents` channel, `LeadChangeEvent`); once created, the
 * object's changes are published.
 */
export function registerToolingRoutes(router: Router, store: RecordStore, log: ChangeEventLog): void {
  router.get("/tooling/query", (req, res) => {
    const rows = runSoql(store, parseSoql(String(req.query["q"] ?? "")));
    res.json({ totalSize: rows.length, done: true, records: rows });
  });
  router.post("/tooling/sobjects/PlatformEventChannelMember", (req, res) => {
    const body = req.body as { FullName?: string; Metadata?: { eventChannel?: string; selectedEntity?: string } };
    const entity = body.Metadata?.selectedEntity ?? "";
    const object = /^(\w+?)(__)?ChangeEvent$/.exec(entity);
    if (body.Metadata?.eventChannel !== "ChangeEvents" || !object)
      throw new SandboxError(
        400,
        "FIELD_INTEGRITY_EXCEPTION",
        "eventChannel must be ChangeEvents and selectedEntity an <Object>ChangeEvent",
      );
    const fullName = body.FullName ?? `ChangeEvents_${entity}`;
    if ([...store.table("PlatformEventChannelMember").values()].some((r) => r["FullName"] === fullName))
      throw new SandboxError(400, "DUPLICATE_DEVELOPER_NAME", `A channel member named ${fullName} exists`);
    const { row } = store.create(
      "PlatformEventChannelMember",
      { FullName: fullName, EventChannel: "ChangeEvents", SelectedEntity: entity },
      res.locals["userId"] as string,
    );
    log.enabled.add(object[2] ? `${object[1]}__c` : object[1]!);
    res.status(201).json({ id: row.Id, success: true, errors: [] });
  });
}
