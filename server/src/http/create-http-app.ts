import express, { type Express, type Router } from "express";
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { pinoHttp } from "pino-http";
import type { Logger, Metrics } from "../observability/index.js";
import { createErrorHandler, notFoundHandler } from "./error-handler.js";

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  /** Liveness and readiness: each dependency's check. */
  healthChecks: Record<string, () => Promise<unknown>>;
  /**
   * Routers mounted before the JSON parser, for routes that need the raw body (webhooks,
   * whose signatures cover the exact bytes).
   */
  rawRouters?: Router[];
  /** Routers mounted after the JSON parser. */
  routers: Router[];
  /** `TOLLGATE_METRICS_TOKEN`: when set, `/metrics` needs `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** Whether an `Authorization` header may see `/healthz` details (an API key); others get `{ok}`. */
  mayReadHealth?: (authorization: string | undefined) => boolean;
  /** Hears every refused request (401/403) before it is answered, to audit it. */
  onRefused?: (req: express.Request, err: unknown) => Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** `Bearer <token>`, compared as SHA-256 digests in constant time. */
function isBearer(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  if (!m) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}

/**
 * The express app: request ids, structured request logs, metrics, the capability routers,
 * and one error shape for everything (docs/contracts.md#http-api).
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const { logger, metrics } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    req.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", req.requestId);
    const stop = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      // The matched route pattern, never the raw path: ids in paths would explode label cardinality.
      const route = (req.route?.path as string | undefined) ? `${req.baseUrl}${req.route.path}` : "unmatched";
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ method: req.method, route });
    });
    next();
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as express.Request).requestId ?? randomUUID(),
      // The path only: query strings carry card users' emails and OAuth codes, which a log keeps.
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: (req.url ?? "").split("?")[0],
        }),
      },
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/metrics" },
    }),
  );

  app.get("/healthz", async (req, res) => {
    const results = await Promise.all(
      Object.entries(options.healthChecks).map(async ([name, check]) => {
        try {
          await check();
          return [name, { ok: true }] as const;
        } catch (err) {
          return [name, { ok: false, error: (err as Error).message }] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r.ok);
    // Dependency errors name hosts and users: only a caller with a key reads them.
    const details = options.mayReadHealth?.(req.get("authorization")) ?? false;
    res.status(ok ? 200 : 503).json(details ? { ok, checks: Object.fromEntries(results) } : { ok });
  });

  const metricsToken = options.metricsToken;
  app.get("/metrics", async (req, res) => {
    if (metricsToken !== undefined && !isBearer(req.get("authorization"), metricsToken)) {
      res.status(401).json({
        error: {
          code: "unauthorized",
          message: "send Authorization: Bearer <TOLLGATE_METRICS_TOKEN>",
          details: null,
        },
      });
      return;
    }
    res.setHeader("content-type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  for (const r of options.rawRouters ?? []) app.use(r);
  app.use(express.json({ limit: "1mb" }));
  app.use(express.text({ type: ["application/yaml", "application/x-yaml", "text/yaml", "text/plain"], limit: "1mb" }));
  for (const r of options.routers) app.use(r);

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger, options.onRefused));
  return app;
}
