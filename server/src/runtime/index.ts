export { createTollgate } from "./create-tollgate.js";
export type { Tollgate, TollgateOptions } from "./create-tollgate.js";
