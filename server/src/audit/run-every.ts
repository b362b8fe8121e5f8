/** A job run every `intervalMs`, one round at a time: a slow round is not overtaken by the next. */
export function runEvery(intervalMs: number, round: () => Promise<unknown>): { start(): void; stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    start() {
      if (timer) return;
      timer = setInterval(() => {
        running ??= round()
          .catch(() => undefined)
          .finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
