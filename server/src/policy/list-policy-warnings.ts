import { ENFORCEMENT_TRIGGER_METRICS } from "../../../shared/index.js";
import type { PolicyManifest } from "../../../shared/index.js";
import { SIGNAL_TRIGGER_METRICS } from "../../../shared/index.js";

const MEASURED = new Set<string>([...ENFORCEMENT_TRIGGER_METRICS, ...SIGNAL_TRIGGER_METRICS]);

/** A problem that does not stop the policy from loading, but should stop a reviewer. */
export interface PolicyWarning {
  path: string;
  message: string;
}

/**
 * What is valid but cannot work as written: a kill-switch trigger on a metric nothing measures
 * would never trip, silently (docs/policy.md "Automatic triggers"). Pure.
 */
export function listPolicyWarnings(manifest: PolicyManifest): PolicyWarning[] {
  return manifest.kill_switch_triggers.flatMap((t, i) =>
    MEASURED.has(t.metric)
      ? []
      : [
          {
            path: `kill_switch_triggers.${i}.metric`,
            message: `metric ${JSON.stringify(t.metric)} has no source: nothing measures it, so this trigger never trips (measured: ${[...MEASURED].join(", ")})`,
          },
        ],
  );
}
