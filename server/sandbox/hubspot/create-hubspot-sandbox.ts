import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type NextFunction, type Request, type Response } from "express";
import { buildWebhookEvents, resolveSubscriptions } from "./build-webhook-events.js";
import { associatedIds, registerAssociationRoutes, type AssociationMap } from "./association-routes.js";
import { createCrmGate } from "./crm-gate.js";
import { registerBatchRoutes } from "./batch-routes.js";
import { registerOAuthRoutes } from "./oauth-routes.js";
import { registerObjectRoutes } from "./object-routes.js";
import { PropertyRegistry } from "./property-registry.js";
import { registerPropertyRoutes } from "./property-routes.js";
import { RecordStore, type StoreChange } from "./record-store.js";
import { RollingRateLimiter } from "./rolling-rate-limiter.js";
import { SandboxApiError } from "./sandbox-api-error.js";
import type { Route, SandboxContext } from "./sandbox-context.js";
import { registerSearchRoute } from "./search-route.js";
import { TokenRegistry } from "./token-registry.js";
import { registerUserRoutes } from "./user-routes.js";
import type { HubSpotSandbox, HubSpotSandboxOptions, SandboxStats, SandboxUser } from "./types.js";
import { WebhookDispatcher } from "./webhook-dispatcher.js";

/**
 * Starts a HubSpot-compatible server on 127.0.0.1: CRM v3 objects, batch, search and properties,
 * OAuth, per-token-holder rate limits, property history with source attribution, and signed
 * webhooks. Point `HUBSPOT_API_BASE_URL` at `url`.
 *
 * @example
 * const sandbox = await createHubSpotSandbox({ clientSecret: "s3cret", appId: 4242, webhookTargetUrl:
 * "http://127.0.0.1:3000/webhooks/hubspot" });
 * const agentToken = sandbox.tokens.issue({ appId: 123456 });
 * const [contact] = sandbox.seed("contacts", [{ properties: { email: "ada@example.com" } }]);
 */
export async function createHubSpotSandbox(options: HubSpotSandboxOptions): Promise<HubSpotSandbox> {
  const now = Date.now;
  const portalId = options.portalId ?? 62515;
  const registry = new PropertyRegistry(now);
  const store = new RecordStore(registry, now, options.strictProperties ?? true);
  const tokens = new TokenRegistry(options.appId, options.installingUserId ?? 1, now);
  const limiter = new RollingRateLimiter(
    options.rateLimit?.max ?? 190,
    options.rateLimit?.daily ?? 1_000_000,
    options.rateLimit?.intervalMs,
  );
  const subscriptions = resolveSubscriptions(options.subscriptions);
  const newDispatcher = (targetUrl: string): WebhookDispatcher =>
    new WebhookDispatcher({
      targetUrl,
      clientSecret: options.clientSecret,
      batchSize: Math.min(100, Math.max(1, options.webhookBatchSize ?? 100)),
      delayMs: options.webhookDelayMs ?? 20,
      retryDelayMs: options.webhookRetryDelayMs ?? ((n) => 25 * 2 ** (n - 1)),
      maxAttempts: options.webhookMaxAttempts ?? 10,
      timeoutMs: options.webhookTimeoutMs ?? 5_000,
      duplicateRate: options.duplicateRate ?? 0,
      failFirstDelivery: options.failFirstDelivery ?? false,
      random: options.random ?? Math.random,
    });
  let dispatcher = options.webhookTargetUrl ? newDispatcher(options.webhookTargetUrl) : undefined;
  let sendWebhooks = dispatcher !== undefined;
  const users = new Map<string, SandboxUser>((options.accountUsers ?? []).map((u) => [u.id, u]));
  const counters = { calls: {} as Record<string, number>, rateLimited: 0, historyReads: 0 };
  let eventId = 1;

  const emit = (changes: readonly StoreChange[]): void => {
    if (!dispatcher || !sendWebhooks) return;
    dispatcher.enqueue(
      buildWebhookEvents(changes, subscriptions, {
        portalId,
        appId: options.appId,
        nextEventId: () => eventId++,
        isSensitive: (objectType, name) => registry.isSensitive(objectType, name),
      }),
    );
  };
  const ctx: SandboxContext = {
    store,
    registry,
    tokens,
    emit,
    portalId,
    appId: options.appId,
    clientId: options.clientId ?? "sandbox-client-id",
    clientSecret: options.clientSecret,
    now,
  };

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ limit: "5mb" }));
  app.use(express.urlencoded({ extended: false }));
  const gate = createCrmGate(ctx, limiter, () => (counters.rateLimited += 1));
  // Fault injection for the fault suite: while set, every CRM route answers this status.
  let fault: { status: 429 | 500 | 502 | 503; routes?: "crm" | "oauth" } | undefined;
  const faultGate = (req: Request, res: Response, next: () => void): void => {
    if (!fault || (fault.routes ?? "crm") !== (req.path.startsWith("/oauth/v1/") ? "oauth" : "crm")) return next();
    if (fault.status === 429) counters.rateLimited += 1;
    res
      .status(fault.status)
      .set(fault.status === 429 ? { "Retry-After": "1" } : {})
      .json({
        status: "error",
        message: fault.status === 429 ? "You have reached your ten_secondly_rolling limit." : "internal error",
        errorType: fault.status === 429 ? "RATE_LIMIT" : undefined,
        correlationId: randomUUID(),
        category: fault.status === 429 ? "RATE_LIMITS" : "INTERNAL_ERROR",
      });
  };
  const route: Route = (method, path, handler) => {
    const count = (req: Request, res: Response): void => {
      const key = `${method.toUpperCase()} ${path}`;
      counters.calls[key] = (counters.calls[key] ?? 0) + 1;
      if (asksForHistory(req)) counters.historyReads += 1;
      handler(req, res);
    };
    if (path.startsWith("/crm/") || path.startsWith("/settings/")) app[method](path, faultGate, gate, count);
    else if (path.startsWith("/oauth/v1/")) app[method](path, faultGate, count);
    else app[method](path, count);
  };
  registerPropertyRoutes(route, ctx);
  registerSearchRoute(route, ctx);
  registerBatchRoutes(route, ctx);
  registerObjectRoutes(route, ctx);
  registerOAuthRoutes(route, ctx);
  registerUserRoutes(route, users);
  const associations: AssociationMap = new Map();
  registerAssociationRoutes(route, ctx, associations);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({
      status: "error",
      message: "No such endpoint in the HubSpot sandbox",
      correlationId: randomUUID(),
      category: "OBJECT_NOT_FOUND",
    });
  });
  app.use(renderError);

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    portalId,
    appId: options.appId,
    close: () => close(server, dispatcher),
    setFault(next) {
      fault = next;
    },
    setWebhookTargetUrl(url) {
      sendWebhooks = url !== undefined;
      if (url === undefined) return;
      if (dispatcher) dispatcher.retarget(url);
      else dispatcher = newDispatcher(url);
    },
    seed(objectType, records) {
      const type = store.resolveType(objectType);
      return records.map((r) => {
        for (const name of Object.keys(r.properties)) registry.addTextIfMissing(type, name);
        store.assertValid(type, r.properties);
        return store.create(type, r.properties, { kind: "import" }, r.id).record;
      });
    },
    write(objectType, id, properties, actor) {
      const type = store.resolveType(objectType);
      store.assertValid(type, properties);
      const { record, changes } = store.update(type, id, properties, actor);
      emit(changes);
      return record;
    },
    getRecord: (objectType, id) => store.snapshot(store.resolveType(objectType), id),
    history: (objectType, id, property) => store.history(store.resolveType(objectType), id, property),
    stats: (): SandboxStats => ({
      calls: { ...counters.calls },
      rateLimited: counters.rateLimited,
      historyReads: counters.historyReads,
      webhookRequests: dispatcher?.counters.requests ?? 0,
      webhookEvents: dispatcher?.counters.events ?? 0,
      webhookFailures: dispatcher?.counters.failures ?? 0,
    }),
    associated: (objectType, id, toType) =>
      associatedIds(associations, store.resolveType(objectType), id, store.resolveType(toType)),
    putUser: (user) => void users.set(user.id, user),
    webhooksIdle: () => dispatcher?.idle() ?? Promise.resolve(),
    tokens: { issue: (who, issueOptions) => tokens.issue(who, issueOptions) },
  };
}

/** Errors in HubSpot's shape, never a stack trace. OAuth errors put their code in `status`, as HubSpot's do. */
function renderError(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const correlationId = randomUUID();
  if (error instanceof SandboxApiError) {
    res
      .status(error.status)
      .json({ status: "error", message: error.message, correlationId, category: error.category, ...error.extra });
    return;
  }
  const parseFailed = (error as { type?: string } | null)?.type === "entity.parse.failed";
  res.status(parseFailed ? 400 : 500).json({
    status: "error",
    message: parseFailed ? "Invalid input JSON on line 1" : "internal error in the HubSpot sandbox",
    correlationId,
    category: parseFailed ? "VALIDATION_ERROR" : "INTERNAL_ERROR",
  });
}

async function close(server: Server, dispatcher: WebhookDispatcher | undefined): Promise<void> {
  dispatcher?.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A read asking for property history (`propertiesWithHistory`, in the body or the query). */
function asksForHistory(req: Request): boolean {
  const asked = (req.body as { propertiesWithHistory?: unknown } | undefined)?.propertiesWithHistory;
  const list = asked ?? req.query["propertiesWithHistory"];
  return Array.isArray(list) ? list.length > 0 : typeof list === "string" && list !== "";
}
