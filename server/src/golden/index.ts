export { createGoldenService } from "./create-golden-service.js";
export type { GoldenService, GoldenServiceOptions } from "./create-golden-service.js";
export { checkGolden, describeBreaks } from "./check-golden.js";
export type { StoredGoldenRecord } from "./check-golden.js";
export { GoldenRecordsChangedError } from "./golden-errors.js";
export { parseGoldenYaml } from "./parse-golden-yaml.js";
