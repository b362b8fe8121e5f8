import type { Server } from "node:http";
import { createApprovalTimers } from "../approvals/index.js";
import type { Config } from "../config/index.js";
import { listGovernedFields, startPolicyRefresh } from "../policy/index.js";
import type { Logger } from "../observability/index.js";
import { createChangeBroadcast } from "../redis/index.js";
import { checkRedisVersion } from "../redis/index.js";
import { provisionSalesforceAtStart } from "../tenancy/index.js";
import type { Crms } from "./connect-crms.js";
import type { Governance } from "./assemble-governance.js";
import type { Gate } from "./assemble-gate.js";
import type { Ingestion } from "./assemble-ingestion.js";
import type { Storage } from "./open-storage.js";

/** What start and stop act on. */
export interface LifecycleParts {
  config: Config;
  logger: Logger;
  storage: Storage;
  prefix: string;
  ownsDatabase: boolean;
  workers: boolean;
  provisionSalesforce: boolean;
  crms: Crms;
  governance: Governance;
  gate: Gate;
  ingestion: Ingestion;
  app: { listen(port: number, callback: () => void): Server };
}

/** Start and stop, in order: what must be known before anything runs, then workers, then the listener. */
export function createLifecycle(p: LifecycleParts): { start(): Promise<Server>; stop(): Promise<void> } {
  const { config, logger, storage, crms, governance: g, ingestion } = p;
  const { setup, policies } = ingestion.hubspotSetup;
  const privatePortal = config.hubspot.mode === "private_app" ? config.hubspot.portalId : undefined;
  const approvalTimers = createApprovalTimers({
    queue: g.approvalQueue,
    service: g.approvalService,
    notifier: g.notifier,
    sweepIntervalMs: config.reliability.sweepIntervalMs,
    logger,
  });
  let server: Server | undefined;
  let stopPolicyRefresh: (() => void) | undefined;
  // Several processes behave as one: a policy replaced in any of them is re-read by all at once.
  const policyBroadcast = createChangeBroadcast({
    redis: storage.redis,
    channel: `${p.prefix}:policy:changed`,
    registry: policies,
    logger,
  });
  let stopSafeModeRefresh: (() => void) | undefined;
  return {
    async start() {
      // An older Redis would fail later, mid-batch: refuse it now, in one line.
      await checkRedisVersion(storage.redis);
      // Kill-switch state comes back from PostgreSQL first: nothing may run before it is known.
      await g.killSwitches.start();
      await g.safeModes.refresh();
      // Private-app mode provisions before it accepts a single webhook (docs/contracts.md#fields-the-app-installs).
      if (privatePortal) await ingestion.hubspotSetup.atStart(privatePortal);
      // The Salesforce org likewise: its fields, field access and CDC selection before any event.
      const sf = crms.salesforce;
      if (sf && p.provisionSalesforce)
        await provisionSalesforceAtStart(sf, listGovernedFields(policies.current(sf.orgId).compiled), logger);
      if (p.workers) {
        await g.writes.start();
        await approvalTimers.start();
        await ingestion.webhooks.start();
        ingestion.reconciler.start();
        await ingestion.salesforce?.cdc.start();
      }
      storage.auditJobs?.start();
      await policyBroadcast.start();
      stopPolicyRefresh = startPolicyRefresh(policies, logger);
      stopSafeModeRefresh = startPolicyRefresh(g.safeModes, logger);
      server = await new Promise<Server>((resolve) => {
        const s = p.app.listen(config.port, () => resolve(s));
      });
      return server;
    },
    async stop() {
      stopPolicyRefresh?.();
      await policyBroadcast.close();
      stopSafeModeRefresh?.();
      storage.auditJobs?.stop();
      approvalTimers.stopSweeping();
      await p.gate.containment.close();
      await p.gate.mcp.close();
      await ingestion.reconciler.close();
      // A background setup still reading the CRM finishes before the database closes.
      if (privatePortal) await setup.idle(privatePortal);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await ingestion.salesforce?.cdc.stop();
      await ingestion.webhooks.close();
      await approvalTimers.close();
      await g.writes.close();
      await ingestion.receiver.close();
      await g.killSwitches.close();
      storage.redis.disconnect();
      if (p.ownsDatabase) await storage.db.close();
    },
  };
}
