export { createTollgate } from "./create-tollgate.js";
export type {
  Backlog,
  OperatedTollgate,
  RunningTollgate,
  Tollgate,
  TollgateInternals,
  TollgateOptions,
  TollgateServices,
} from "./types.js";
