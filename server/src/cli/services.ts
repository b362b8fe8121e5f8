import { userInfo } from "node:os";
import { loadConfig } from "../config/index.js";
import type { AuditActor } from "../../../shared/index.js";
import { createLogger, type Logger } from "../observability/index.js";
import { createTollgate, type OperatedTollgate } from "../runtime/index.js";

/**
 * What CLI commands share: the same runtime `npm start` builds from the environment, without
 * workers or a listener — work the CLI queues (rollback writes) is carried out by the running
 * server's workers, which share its Redis prefix.
 */
export interface CliServices {
  runtime: OperatedTollgate;
  defaultTenant: string;
  /** Who runs the command, as the audit names them (TOLLGATE_OPERATOR, else the OS user). */
  operator: AuditActor;
  close(): Promise<void>;
}

export async function createCliServices(
  env: NodeJS.ProcessEnv = process.env,
  options: {
    /** The running server's Redis namespace. @defaultValue "tollgate" */
    prefix?: string;
    /** @defaultValue warnings to stdout */
    logger?: Logger;
  } = {},
): Promise<CliServices> {
  const config = loadConfig(env);
  const runtime: OperatedTollgate = await createTollgate(config, {
    workers: false,
    logger: options.logger ?? createLogger({ level: "warn" }),
    ...(options.prefix ? { prefix: options.prefix } : {}),
  });
  // The CLI talks to the database directly, so whoever runs it already holds the keys: it acts
  // as an owner unless TOLLGATE_OPERATOR_ROLE narrows it.
  const role = env.TOLLGATE_OPERATOR_ROLE ?? "owner";
  return {
    runtime,
    defaultTenant: config.hubspot.portalId ?? runtime.services.policies.current("default").compiled.tenant,
    operator: { type: "human", id: env.TOLLGATE_OPERATOR ?? `cli:${userInfo().username}`, role, via: "cli" },
    close: () => runtime.stop(),
  };
}
