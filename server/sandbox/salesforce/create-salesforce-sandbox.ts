import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { createApiGate, type ApiUsage } from "./api-gate.js";
import { registerAuthRoutes } from "./auth-routes.js";
import { ChangeEventLog } from "./change-event-log.js";
import { CometdServer } from "./cometd-server.js";
import { CDC_OBJECTS } from "./default-fields.js";

/** How long Salesforce keeps a change event for replay: 72 hours. */
const CDC_RETENTION_MS = 72 * 3600_000;
import { createMetadataHandler, type PermissionSets } from "./metadata-route.js";
import { OrgUsers } from "./org-users.js";
import { RecordStore, historyObjectOf } from "./record-store.js";
import { registerRestRoutes } from "./rest-routes.js";
import { SandboxError } from "./sandbox-error.js";
import { registerToolingRoutes } from "./tooling-routes.js";
import type { SalesforceSandbox, SalesforceSandboxOptions } from "./types.js";

/**
 * Starts a Salesforce-compatible org on 127.0.0.1: REST sObjects and Collections, SOQL with
 * field history and paging, `Sforce-Limit-Info` and the daily allocation, the Metadata SOAP API
 * for custom fields and permission sets, Tooling for CDC channel members, JWT bearer tokens,
 * per-user sessions (frozen users refused) and Change Data Capture over CometD as jsforce's
 * streaming client speaks it. Point a connector's `instanceUrl` at `url`.
 *
 * @example
 * const org = await createSalesforceSandbox();
 * const agent = org.users.create("Enrichment Bot");
 * const [leadId] = org.seed("Lead", [{ LastName: "Lovelace", Company: "Analytical" }]);
 * org.write("Lead", leadId, { Industry: "Banking" }, agent.id);
 */
export async function createSalesforceSandbox(options: SalesforceSandboxOptions = {}): Promise<SalesforceSandbox> {
  const version = options.apiVersion ?? "62.0";
  const orgId = options.orgId ?? "00D5g000004XyZaEAK";
  const store = new RecordStore(Date.now);
  const users = new OrgUsers(store, orgId);
  const admin = users.create("Sandbox Admin", "admin@sandbox.example");
  users.grantManageUsers(admin.id);
  const retention = {
    events: options.retainEvents ?? 100_000,
    ms: options.retainEventsMs ?? CDC_RETENTION_MS,
    clock: Date.now,
  };
  const log = new ChangeEventLog(retention, new Set(options.cdcObjects ?? CDC_OBJECTS));
  const usage: ApiUsage = {
    used: 0,
    limit: options.dailyApiLimit ?? 1_000_000,
    failNext: 0,
    failWrites: false,
    calls: {},
    longestUrl: 0,
  };
  const permissionSets: PermissionSets = new Map();
  const cometd = new CometdServer(log, (h) => users.authenticate(h), options.longPollMs ?? 10_000);
  let url = "";

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "20mb" }));
  app.use(express.text({ type: ["text/xml", "application/soap+xml"], limit: "5mb" }));
  app.use(express.urlencoded({ extended: false }));
  registerAuthRoutes(app, users, () => url, options.jwt);
  app.get("/services/data", (_req, res) =>
    res.json([{ label: "Winter '25", url: `/services/data/v${version}`, version }]),
  );
  const soap = createMetadataHandler(store, users, permissionSets);
  app.post("/services/Soap/m/:version", (req, res, next) => {
    usage.used += 1;
    usage.calls["POST /Soap/m"] = (usage.calls["POST /Soap/m"] ?? 0) + 1;
    soap(req, res).catch(next);
  });
  app.post("/cometd/:version", (req, res) => cometd.handle(req, res));
  const rest = express.Router();
  rest.use(createApiGate(users, usage));
  // Freezing a user (`UserLogin.IsFrozen`) takes "Manage Users", as in Salesforce.
  rest.patch("/sobjects/UserLogin/:id", (_req, res, next) => {
    if (users.canManageUsers(res.locals["userId"] as string)) return next();
    res
      .status(403)
      .json(
        new SandboxError(403, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id").toBody(),
      );
  });
  registerRestRoutes(rest, { store, log, version }, usage);
  registerToolingRoutes(rest, store, log);
  app.use("/services/data/:version", rest);
  app.use((_req: Request, res: Response) => {
    res.status(404).json(new SandboxError(404, "NOT_FOUND", "The requested resource does not exist").toBody());
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof SandboxError) return void res.status(error.status).json(error.toBody());
    const parse = (error as { type?: string }).type === "entity.parse.failed";
    res
      .status(parse ? 400 : 500)
      .json(
        new SandboxError(
          parse ? 400 : 500,
          parse ? "JSON_PARSER_ERROR" : "UNKNOWN_EXCEPTION",
          parse ? "Unexpected character" : `sandbox error: ${(error as Error).message}`,
        ).toBody(),
      );
  });

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${address.address}:${address.port}`;
  const origin = (client?: string) => `com/salesforce/api/rest/${version}${client ? `;client=${client}` : ""}`;

  return {
    url,
    orgId,
    apiVersion: version,
    admin,
    users: {
      create: (name, username, id) => users.create(name, username, id),
      token: (userId) => users.issue(userId),
      freeze: (userId, frozen = true) => users.setFrozen(userId, frozen),
      isFrozen: (userId) => users.isFrozen(userId),
      grantManageUsers: (userId) => users.grantManageUsers(userId),
      assignPermissionSet(userId, name) {
        let set = [...store.table("PermissionSet").values()].find((p) => p["Name"] === name);
        if (!set) set = store.create("PermissionSet", { Name: name, Label: name }, admin.id).row;
        store.create("PermissionSetAssignment", { AssigneeId: userId, PermissionSetId: set.Id }, admin.id);
      },
    },
    seed(type, rows) {
      return rows.map((values) => store.create(type, values, admin.id).row.Id);
    },
    write(type, id, fields, userId, client) {
      log.publishTransaction([store.update(type, id, fields, userId)], userId, origin(client));
    },
    getRecord: (type, id) => store.get(type, id),
    tasksOf: (recordId) =>
      [...store.table("Task").values()].filter((t) =>
        [t["WhoId"], t["WhatId"]].some((id) => typeof id === "string" && id.slice(0, 15) === recordId.slice(0, 15)),
      ),
    history: (type, id, field) => {
      const { parentField, object } = historyObjectOf(type);
      return [...store.table(object).values()].filter((r) => r[parentField] === id && r["Field"] === field).reverse();
    },
    fields: (type) => store.describe(type).map((f) => f.name),
    permissionSets: () => new Map(permissionSets),
    cdcObjects: () => [...log.enabled],
    limits: {
      set(limit, used) {
        usage.limit = limit;
        if (used !== undefined) usage.used = used;
      },
      usage: () => ({ used: usage.used, limit: usage.limit }),
      failNext: (n) => void (usage.failNext = n),
      failWrites: (on) => void (usage.failWrites = on),
    },
    streaming: {
      dropClients: () => cometd.dropAll(),
      publish: (header, fields) => log.publish(header, fields).replayId,
      expireRetained: () => log.expireAll(),
      latestReplayId: () => log.latestReplayId,
      handshakes: () => cometd.handshakes,
      clients: () => cometd.clientCount,
      heldConnects: () => cometd.heldConnects,
      withhold: (on = true) => void (log.withholding = on),
    },
    stats: () => ({ calls: { ...usage.calls }, apiUsed: usage.used, longestUrl: usage.longestUrl }),
    revokeTokens: () => users.revokeAll(),
    close: async () => {
      cometd.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
