import type { Request, Response } from "express";
import type { PropertyRegistry } from "./property-registry.js";
import type { RecordStore, StoreChange } from "./record-store.js";
import type { TokenInfo, TokenRegistry } from "./token-registry.js";

/** What the route handlers share. */
export interface SandboxContext {
  store: RecordStore;
  registry: PropertyRegistry;
  tokens: TokenRegistry;
  /** Turns changes into webhook events for the subscriptions. */
  emit(changes: readonly StoreChange[]): void;
  portalId: number;
  appId: number;
  clientId: string;
  clientSecret: string;
  now(): number;
}

/** Registers a handler and counts its calls under `METHOD /path`. */
export type Route = (
  method: "get" | "post" | "patch" | "put" | "delete",
  path: string,
  handler: (req: Request, res: Response) => void,
) => void;

/** The token holder of an authenticated CRM request (set by the gate). */
export function tokenOf(res: Response): TokenInfo {
  return res.locals["token"] as TokenInfo;
}

/** `?properties=a,b` or `?properties=a&properties=b` → `["a", "b"]`. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(","));
  const names = parts.map((p) => p.trim()).filter((p) => p !== "");
  return names.length > 0 ? names : undefined;
}

export function bodyOf(req: Request): Record<string, unknown> {
  return req.body !== null && typeof req.body === "object" && !Array.isArray(req.body)
    ? (req.body as Record<string, unknown>)
    : {};
}

/** Property maps arrive as JSON; HubSpot takes numbers and booleans as their string forms. */
export function stringProperties(value: unknown): Record<string, string> {
  if (value === null || typeof value !== "object") return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      v === null || v === undefined ? "" : String(v),
    ]),
  );
}
