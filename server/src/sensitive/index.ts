export { createSensitivePurge } from "./create-sensitive-purge.js";
export type { SensitivePurge, SensitivePurgeOptions } from "./create-sensitive-purge.js";
