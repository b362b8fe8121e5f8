import { loadConfig } from "./config/index.js";
import { TollgateError } from "./errors/index.js";
import { PolicyValidationError } from "./policy/index.js";
import { createTollgate } from "./runtime/index.js";

/**
 * `npm start`: the backend and its workers, configured only by the environment (docs/contracts.md#configuration).
 * A bad variable or policy stops start-up with a clear message and a non-zero exit.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const tollgate = await createTollgate(config);
  const server = await tollgate.start();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  tollgate.logger.info(
    {
      port,
      publicUrl: config.publicUrl,
      hubspot: config.hubspot.mode,
      database: config.databaseUrl ? "postgres" : "pglite",
    },
    "tollgate listening",
  );

  const shutdown = async (signal: string) => {
    tollgate.logger.info({ signal }, "shutting down");
    await tollgate.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err: unknown) => {
  if (err instanceof PolicyValidationError) {
    console.error(err.message);
  } else if (err instanceof TollgateError) {
    console.error(`tollgate: ${err.message}`);
  } else {
    console.error(`tollgate: failed to start: ${(err as Error).message}`);
  }
  process.exit(1);
});
