import type { Request, Response } from "express";
import xml2js from "xml2js";
import type { OrgUsers } from "./org-users.js";
import type { RecordStore } from "./record-store.js";

/** Metadata field types as describe reports them. */
const DESCRIBE_TYPE: Record<string, string> = {
  Text: "string",
  LongTextArea: "textarea",
  TextArea: "textarea",
  Number: "double",
  Percent: "percent",
  Currency: "currency",
  DateTime: "datetime",
  Date: "date",
  Checkbox: "boolean",
  Picklist: "picklist",
  Email: "email",
};

type Component = Record<string, unknown> & { fullName?: string; $?: Record<string, string> };
interface SaveResult {
  fullName: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode: string; message: string };
}

/** Permission sets as the Metadata API sees them (name → their field permissions). */
export type PermissionSets = Map<
  string,
  { label: string; fieldPermissions: { field: string; readable: string; editable: string }[] }
>;

/**
 * The Metadata SOAP endpoint (`/services/Soap/m/<version>`) for what jsforce's `metadata.create`,
 * `upsert` and `read` send: `CustomField` (adds the field to the object, as describe shows it)
 * and `PermissionSet`. The session comes from the SOAP `SessionHeader`, not `Authorization`.
 */
export function createMetadataHandler(store: RecordStore, users: OrgUsers, permissionSets: PermissionSets) {
  const parser = new xml2js.Parser({ explicitArray: false, tagNameProcessors: [xml2js.processors.stripPrefix] });
  const builder = new xml2js.Builder({ headless: true, renderOpts: { pretty: false } });

  return async (req: Request, res: Response): Promise<void> => {
    const doc = (await parser.parseStringPromise(String(req.body))) as {
      Envelope: { Header?: { SessionHeader?: { sessionId?: string } }; Body: Record<string, Record<string, unknown>> };
    };
    const session = doc.Envelope.Header?.SessionHeader?.sessionId;
    res.type("text/xml");
    if (!users.authenticate(`OAuth ${session ?? ""}`)) {
      res
        .status(500)
        .send(
          envelope(
            `<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader</faultstring></soapenv:Fault>`,
          ),
        );
      return;
    }
    const [operation, args] = Object.entries(doc.Envelope.Body).find(([k]) => k !== "$")!;
    const list = (v: unknown): Component[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]) as Component[];
    let results: unknown[];
    if (operation === "createMetadata" || operation === "upsertMetadata") {
      results = list(args["metadata"]).map((c) => save(c, operation === "upsertMetadata"));
    } else if (operation === "readMetadata") {
      const type = String(args["type"]);
      const names = list(args["fullNames"]).map(String);
      results = [{ records: names.map((n) => read(type, n)).filter(Boolean) }];
    } else {
      res
        .status(500)
        .send(
          envelope(
            `<soapenv:Fault><faultcode>sf:INVALID_OPERATION</faultcode><faultstring>${operation} is not supported by the sandbox</faultstring></soapenv:Fault>`,
          ),
        );
      return;
    }
    const inner = results.map((r) => builder.buildObject({ result: r })).join("");
    res.send(envelope(`<${operation}Response>${inner}</${operation}Response>`));
  };

  function save(c: Component, upsert: boolean): SaveResult {
    const type = c.$?.["xsi:type"];
    const fullName = String(c.fullName);
    if (type === "CustomField") {
      const [object, name] = fullName.split(".") as [string, string];
      if (!store.hasType(object) || !name?.endsWith("__c"))
        return failed(fullName, "INVALID_CROSS_REFERENCE_KEY", `invalid field name ${fullName}`);
      const added = store.addField(object, {
        name,
        label: String(c["label"] ?? name),
        type: DESCRIBE_TYPE[String(c["type"])] ?? "string",
        custom: true,
        updateable: true,
        ...(c["length"] ? { length: Number(c["length"]) } : {}),
        ...(c["valueSet"] ? { picklistValues: picklistOf(c["valueSet"]) } : {}),
      });
      if (!added && !upsert)
        return failed(fullName, "DUPLICATE_DEVELOPER_NAME", `There is already a field named ${name} on ${object}.`);
      return { fullName, success: true, ...(upsert ? { created: added } : {}) };
    }
    if (type === "PermissionSet") {
      const existing = permissionSets.get(fullName);
      if (existing && !upsert)
        return failed(fullName, "DUPLICATE_DEVELOPER_NAME", `A permission set named ${fullName} exists.`);
      const fieldPermissions = (
        Array.isArray(c["fieldPermissions"])
          ? c["fieldPermissions"]
          : c["fieldPermissions"]
            ? [c["fieldPermissions"]]
            : []
      ) as { field: string; readable: string; editable: string }[];
      permissionSets.set(fullName, { label: String(c["label"] ?? fullName), fieldPermissions });
      if (!existing) store.create("PermissionSet", { Name: fullName, Label: String(c["label"] ?? fullName) }, "");
      return { fullName, success: true, ...(upsert ? { created: !existing } : {}) };
    }
    return failed(fullName, "INVALID_TYPE", `${type} is not supported by the sandbox`);
  }

  function read(type: string, fullName: string): unknown {
    if (type === "PermissionSet") {
      const p = permissionSets.get(fullName);
      return p
        ? { $: { "xsi:type": "PermissionSet" }, fullName, label: p.label, fieldPermissions: p.fieldPermissions }
        : undefined;
    }
    if (type === "CustomField") {
      const [object, name] = fullName.split(".") as [string, string];
      const f = store.hasType(object) ? store.describe(object).find((x) => x.name === name) : undefined;
      return f ? { $: { "xsi:type": "CustomField" }, fullName, label: f.label } : undefined;
    }
    return undefined;
  }
}

function picklistOf(valueSet: unknown): string[] {
  const values = (valueSet as { valueSetDefinition?: { value?: unknown } }).valueSetDefinition?.value;
  return (Array.isArray(values) ? values : values ? [values] : []).map((v) =>
    String((v as { fullName: string }).fullName),
  );
}

function failed(fullName: string, statusCode: string, message: string): SaveResult {
  return { fullName, success: false, errors: { statusCode, message } };
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}
