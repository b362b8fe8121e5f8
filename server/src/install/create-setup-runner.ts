/**
 * Keeps a tenant's HubSpot install current in the background: provisioning (properties the policy
 * needs) and then the baseline (the current value of every governed field, so a revert needs no
 * history read from day one). It runs after install, after every policy change, and at start in
 * private-app mode; progress is kept per tenant for the settings page, `GET /v1/setup` and the CLI.
 * See docs/operations.md#install-and-setup.
 */

/** What one object's baseline read. */
export interface SetupObjectProgress {
  objectType: string;
  records: number;
  values: number;
  calls: number;
}

export const SETUP_STATES = ["provisioning", "baselining", "done", "failed"] as const;
export type SetupState = (typeof SETUP_STATES)[number];
export const SETUP_REASONS = ["install", "start", "policy_change"] as const;
export type SetupReason = (typeof SETUP_REASONS)[number];

export interface SetupProgress {
  tenantId: string;
  state: SetupState;
  reason: SetupReason;
  startedAt: string;
  finishedAt: string | null;
  /** Properties provisioning created this run. */
  created: number;
  /** Objects baselined so far, in order. */
  objects: SetupObjectProgress[];
  /**
   * Webhook subscriptions a policy change needs that the uploaded project may lack
   * (`object.property`): HubSpot takes a 2025.2 app's subscriptions only from the project, so an
   * admin runs `npm run hubspot:webhooks` and `hs project upload` (docs/operations.md#install-and-setup).
   */
  subscriptionsToUpload: string[];
  error: string | null;
}

export interface SetupRunnerOptions {
  /** Creates what the tenant's policy needs (idempotent); resolves with how many properties it created. */
  provision: (tenantId: string) => Promise<{ created: number }>;
  /** Baselines every governed field; calls `onObject` as each object finishes. */
  baseline: (tenantId: string, onObject: (done: SetupObjectProgress) => void) => Promise<void>;
  /** Told about a failed run (the progress says `failed` too). */
  onError?: (tenantId: string, err: unknown) => void;
  now?: () => Date;
}

export interface SetupRunOptions {
  /** The caller has just provisioned: baseline only. @defaultValue false */
  skipProvision?: boolean;
  /** See {@link SetupProgress.subscriptionsToUpload}. */
  subscriptionsToUpload?: readonly string[];
}

export interface SetupRunner {
  /**
   * Runs provisioning (unless `skipProvision`: the caller just did it) then the baseline, in the
   * background; resolves at once. A run asked for while one is going starts when it ends, once.
   */
  run(tenantId: string, reason: SetupReason, options?: SetupRunOptions): void;
  /** The latest run's progress, or `undefined` before the first. */
  progress(tenantId: string): SetupProgress | undefined;
  /** Resolves when no run is going or waiting for the tenant. */
  idle(tenantId: string): Promise<void>;
}

export function createSetupRunner(options: SetupRunnerOptions): SetupRunner {
  const now = options.now ?? (() => new Date());
  const progress = new Map<string, SetupProgress>();
  const running = new Map<string, Promise<void>>();
  const waiting = new Map<string, { reason: SetupReason; skipProvision: boolean; subscriptions: string[] }>();

  async function runOnce(
    tenantId: string,
    reason: SetupReason,
    skipProvision: boolean,
    subscriptionsToUpload: string[],
  ): Promise<void> {
    const p: SetupProgress = {
      tenantId,
      state: skipProvision ? "baselining" : "provisioning",
      reason,
      startedAt: now().toISOString(),
      finishedAt: null,
      created: 0,
      objects: [],
      subscriptionsToUpload,
      error: null,
    };
    progress.set(tenantId, p);
    try {
      if (!skipProvision) {
        p.created = (await options.provision(tenantId)).created;
        p.state = "baselining";
      }
      await options.baseline(tenantId, (done) => p.objects.push(done));
      p.state = "done";
    } catch (err) {
      p.state = "failed";
      p.error = err instanceof Error ? err.message : String(err);
      options.onError?.(tenantId, err);
    } finally {
      p.finishedAt = now().toISOString();
    }
  }

  function drain(
    tenantId: string,
    reason: SetupReason,
    skipProvision: boolean,
    subscriptions: string[],
  ): Promise<void> {
    const done = runOnce(tenantId, reason, skipProvision, subscriptions).then(() => {
      const next = waiting.get(tenantId);
      waiting.delete(tenantId);
      if (next) return drain(tenantId, next.reason, next.skipProvision, next.subscriptions);
      running.delete(tenantId);
    });
    running.set(tenantId, done);
    return done;
  }

  return {
    run(tenantId, reason, runOptions = {}) {
      const skipProvision = runOptions.skipProvision ?? false;
      const subscriptions = [...(runOptions.subscriptionsToUpload ?? [])];
      if (running.has(tenantId)) {
        // One later run does what every request since asked for: it provisions if any did.
        const prev = waiting.get(tenantId);
        waiting.set(tenantId, {
          reason,
          skipProvision: skipProvision && (prev?.skipProvision ?? true),
          subscriptions: [...new Set([...(prev?.subscriptions ?? []), ...subscriptions])],
        });
        return;
      }
      void drain(tenantId, reason, skipProvision, subscriptions);
    },
    progress: (tenantId) => {
      const p = progress.get(tenantId);
      return p && { ...p, objects: [...p.objects], subscriptionsToUpload: [...p.subscriptionsToUpload] };
    },
    async idle(tenantId) {
      while (running.has(tenantId)) await running.get(tenantId);
    },
  };
}
