import { Router } from "express";
import type { SignalService } from "../../signals/index.js";
import { principalOf, requireRole, type Principal } from "../authenticate.js";
import { tenantOf } from "../tenant-of.js";

export interface SignalRoutesOptions {
  signals: Pick<SignalService, "receive">;
  authenticate: (header: string | undefined) => Principal | undefined;
  defaultTenant: string;
}

/**
 * docs/contracts.md `POST /v1/signals` (docs/contracts.md): the sending system's key, role `operator`,
 * reports bounces, complaints, unsubscribes and replies — one signal or `{"signals": […]}`.
 * 200 once stored; the answer names the switches the report tripped.
 */
export function createSignalRouter({ signals, authenticate, defaultTenant }: SignalRoutesOptions): Router {
  const router = Router();
  router.post("/v1/signals", requireRole(authenticate, ["operator"]), async (req, res) => {
    const p = principalOf(req);
    const receipt = await signals.receive(
      tenantOf(req, defaultTenant),
      { name: p.name, role: p.role, via: `${p.via}:${p.name}` },
      req.body ?? {},
    );
    res.json(receipt);
  });
  return router;
}
