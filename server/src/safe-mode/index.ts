export { createSafeModeService } from "./create-safe-mode-service.js";
export type { SafeMode, SafeModeService, SafeModeServiceOptions } from "./create-safe-mode-service.js";
